// RFC 5173 body: match the message body after a transform. :raw is the undecoded body, :content
// picks leaf parts by content type ("" all, "text" a main type, "text/plain" an exact type) and
// :text (the default) reads the text parts with HTML tags removed.
//
// Invariants: parts come decoded from the SieveMessage; multipart containers are never matched
// (their prologue/epilogue is not offered by the message view).

import { evaluateMatch } from '../match-test.js';
import type { SieveBodyPart } from '../message.js';
import type { Extension } from '../spec.js';
import { MATCH_GROUPS } from './base.js';
import { defineTest } from './define.js';

function typeMatches(part: SieveBodyPart, wanted: string): boolean {
  const w = wanted.toLowerCase();
  if (w === '') return true;
  return w.includes('/') ? part.contentType === w : part.contentType.split('/')[0] === w;
}

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ');
}

export const body: Extension = {
  name: 'body',
  tests: [
    defineTest('body', {
      extension: 'body',
      groups: MATCH_GROUPS,
      tags: [
        { name: 'raw', extension: 'body', group: 'transform' },
        { name: 'content', extension: 'body', param: 'string-list', group: 'transform' },
        { name: 'text', extension: 'body', group: 'transform' },
      ],
      positional: [{ name: 'keys', type: 'string-list' }],
      evaluate(node, rt) {
        if (node.tags.has('raw')) return evaluateMatch(node, rt, [rt.message.rawBody()]);
        const types = rt.tagList(node, 'content');
        const values: string[] = [];
        for (const part of rt.message.bodyParts()) {
          if (types !== null) {
            if (types.some((t) => typeMatches(part, t))) values.push(part.text);
          } else if (part.contentType.startsWith('text/')) {
            values.push(part.contentType === 'text/html' ? htmlToText(part.text) : part.text);
          }
        }
        return evaluateMatch(node, rt, values);
      },
    }),
  ],
};
