// The preview of a message (RFC 8970 §3): a short plain-text snippet of what the reader sees first,
// for message lists on phones and webmail.
//
// Invariants:
// - The text comes from the first inline text/plain part in reading order (not inside an attached
//   message/rfc822), or else the first inline text/html part with its markup removed; no such part
//   gives the empty string (FETCH then answers NIL, RFC 8970 §3.1).
// - Quoted lines (starting with ">") and the signature after the first "-- " line are left out;
//   runs of whitespace become one space; the result is at most PREVIEW_MAX characters (RFC 8970
//   §3.1: at most 256), cut on a character boundary, never inside a surrogate pair.
import { decodeBytes } from './charset.js';
import { readMimeFields } from './mime-fields.js';
import { paramValue } from './params.js';
import type { MimePart, ParsedMessage } from './part-tree.js';
import { decodeTransfer } from './transfer-encoding.js';

/** Dovecot's and Fastmail's preview length; RFC 8970 §3.1 allows up to 256 characters. */
export const PREVIEW_MAX = 200;
/** Only the start of a long part is decoded (the preview needs a few hundred characters), which also bounds the markup scan. */
const SCAN_BYTES = 16 * 1024;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function messagePreview(raw: Buffer, parsed: ParsedMessage): string {
  let html: { part: MimePart; insideMultipart: boolean } | null = null;
  const pending: { part: MimePart; insideMultipart: boolean }[] = [{ part: parsed.root, insideMultipart: false }];
  while (pending.length > 0) {
    const next = pending.pop() as { part: MimePart; insideMultipart: boolean };
    const { part } = next;
    if (part.kind === 'multipart') {
      const children = part.parts ?? [];
      for (let i = children.length - 1; i >= 0; i--) pending.push({ part: children[i], insideMultipart: true });
      continue;
    }
    if (part.kind !== 'text') continue;
    const fields = readMimeFields(raw, part, next.insideMultipart);
    if (fields.disposition?.type.toLowerCase() === 'attachment') continue;
    if (part.type === 'text/plain' || part.type === '') return plainPreview(partText(raw, part, next.insideMultipart));
    if (part.type === 'text/html' && html === null) html = next;
  }
  return html === null ? '' : plainPreview(htmlToText(partText(raw, html.part, html.insideMultipart)));
}

function partText(raw: Buffer, part: MimePart, insideMultipart: boolean): string {
  const f = readMimeFields(raw, part, insideMultipart);
  const body = decodeTransfer(raw.subarray(part.bodyStart, Math.min(part.bodyEnd, part.bodyStart + SCAN_BYTES)), f.encoding);
  return decodeBytes(body, f.contentType === null ? null : paramValue(f.contentType.params, 'charset'));
}

function plainPreview(text: string): string {
  const kept: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '-- ') break;
    if (!line.trimStart().startsWith('>')) kept.push(line);
  }
  const flat = kept.join(' ').replace(/\s+/g, ' ').trim();
  if (flat.length <= PREVIEW_MAX) return flat;
  const cut = flat.slice(0, PREVIEW_MAX);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

function htmlToText(html: string): string {
  return html
    .replace(/<(style|script|head|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<blockquote\b[\s\S]*?<\/blockquote\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole: string, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    });
}
