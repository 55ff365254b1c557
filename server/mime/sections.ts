// BODY[section] addressing (RFC 3501 §6.4.5) over a parsed message, served from stored offsets
// without re-parsing.
//
// Invariants (Dovecot 2.3's answers, which clients are written against):
// - Part numbers index the children of a multipart. A non-multipart part has only number 1,
//   which is the part itself ([1] of a single-part message is its body, [1.MIME] its header).
//   After a message/rfc822 part, further numbers apply to the encapsulated message.
// - [n] is part n's body; [n.MIME] its own header; [n.HEADER], [n.TEXT] and [n.HEADER.FIELDS]
//   exist only when part n is message/rfc822 and address the encapsulated message. With no
//   part number they address the top-level message; [] is the whole message.
// - A section that does not exist yields null / an empty buffer (IMAP answers ""), never an
//   error. HEADER.FIELDS[.NOT] keeps matching fields whole (folded lines included), compares
//   names case-insensitively and always ends with the empty line: "\r\n" when nothing matched.

import { headerFields } from './header.js';
import type { MimePart, ParsedMessage } from './part-tree.js';

export interface ByteRange {
  start: number;
  end: number;
}

export type SectionText = 'HEADER' | 'TEXT' | 'MIME' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT';

export interface Section {
  /** Part numbers, e.g. [1, 2, 3] for "1.2.3"; [] for the top-level message. */
  path: readonly number[];
  text?: SectionText;
  /** Field names for HEADER.FIELDS and HEADER.FIELDS.NOT. */
  fields?: readonly string[];
}

/** The part that section number `path` names, or null when there is none. */
export function findPart(parsed: ParsedMessage, path: readonly number[]): MimePart | null {
  let part: MimePart | null = parsed.root;
  for (let i = 0; i < path.length && part !== null; i++) {
    const more = i + 1 < path.length;
    if (part.kind === 'multipart') {
      part = part.parts?.[path[i] - 1] ?? null;
    } else if (path[i] !== 1 || (more && part.kind !== 'message')) {
      part = null;
    }
    if (part !== null && more && part.kind === 'message') part = (part.parts as MimePart[])[0];
  }
  return part;
}

/** The message whose header/text a HEADER, TEXT or HEADER.FIELDS section addresses. */
function messageAt(parsed: ParsedMessage, path: readonly number[]): MimePart | null {
  if (path.length === 0) return parsed.root;
  const part = findPart(parsed, path);
  return part !== null && part.kind === 'message' ? (part.parts as MimePart[])[0] : null;
}

/**
 * Byte range of BODY[path] (text undefined), BODY[path.MIME], BODY[path.HEADER] or
 * BODY[path.TEXT]; for HEADER.FIELDS[.NOT] the range of the header they filter. null when the
 * section does not exist.
 */
export function sectionRange(parsed: ParsedMessage, path: readonly number[], text?: SectionText): ByteRange | null {
  if (text === undefined) {
    if (path.length === 0) return { start: 0, end: parsed.size };
    const part = findPart(parsed, path);
    return part === null ? null : { start: part.bodyStart, end: part.bodyEnd };
  }
  if (text === 'MIME') {
    const part = path.length === 0 ? null : findPart(parsed, path);
    return part === null ? null : { start: part.headerStart, end: part.headerEnd };
  }
  const message = messageAt(parsed, path);
  if (message === null) return null;
  return text === 'TEXT' ? { start: message.bodyStart, end: message.bodyEnd } : { start: message.headerStart, end: message.headerEnd };
}

const CRLF = Buffer.from('\r\n', 'latin1');

/** HEADER.FIELDS (exclude=false) or HEADER.FIELDS.NOT (exclude=true) of the header in `range`. */
export function filterHeaderFields(raw: Buffer, range: ByteRange, names: readonly string[], exclude: boolean): Buffer {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const chunks: Buffer[] = [];
  for (const field of headerFields(raw, range.start, range.end)) {
    if (wanted.has(field.name.toLowerCase()) === exclude) continue;
    chunks.push(raw.subarray(field.start, field.end));
    if (raw[field.end - 1] !== 0x0a) chunks.push(CRLF); // a header cut short has no final break
  }
  chunks.push(CRLF);
  return Buffer.concat(chunks);
}

/** The bytes of BODY[section] (before any <partial>); empty when the section does not exist. */
export function fetchSection(raw: Buffer, parsed: ParsedMessage, section: Section): Buffer {
  const range = sectionRange(parsed, section.path, section.text);
  if (range === null) return Buffer.alloc(0);
  if (section.text === 'HEADER.FIELDS' || section.text === 'HEADER.FIELDS.NOT') {
    return filterHeaderFields(raw, range, section.fields ?? [], section.text === 'HEADER.FIELDS.NOT');
  }
  return raw.subarray(range.start, range.end);
}
