// RFC 5228 §5.4 envelope: match the SMTP envelope's "from" and "to" (and "auth", the
// authenticated sender, as RFC 5228 allows extensions to add parts). Part names are checked at
// compile time when constant.

import { addressPart, envelopeAddress, evaluateMatch } from '../match-test.js';
import type { Extension } from '../spec.js';
import { ADDRESS_GROUPS } from './base.js';
import { defineTest } from './define.js';

const PARTS = ['from', 'to', 'auth'] as const;
type Part = (typeof PARTS)[number];

export const envelope: Extension = {
  name: 'envelope',
  tests: [
    defineTest('envelope', {
      extension: 'envelope',
      groups: ADDRESS_GROUPS,
      positional: [
        { name: 'parts', type: 'string-list' },
        { name: 'keys', type: 'string-list' },
      ],
      validate(node, ctx) {
        const parts = node.args.get('parts');
        if (parts?.type !== 'string-list') return;
        for (const item of parts.items) {
          const text = item.constant;
          if (text !== null && !PARTS.includes(text.toLowerCase() as Part)) ctx.error(`"${text}" is not an envelope part (from, to, auth).`, item.position);
        }
      },
      evaluate(node, rt) {
        const values: string[] = [];
        for (const part of rt.list(node, 'parts')) {
          const raw = rt.env.envelope[part.toLowerCase() as Part];
          if (raw === undefined || !PARTS.includes(part.toLowerCase() as Part)) continue;
          const value = addressPart(node, rt, envelopeAddress(raw));
          if (value !== null) values.push(value);
        }
        return evaluateMatch(node, rt, values);
      },
    }),
  ],
};
