// Content-Type, Content-Disposition and Content-Language parsing with RFC 2045 parameters and
// RFC 2231 continuations, reading broken input the way Dovecot 2.3 does (clients are written
// against those answers).
//
// Invariants:
// - Names and values are latin1 byte strings, case kept as written; comments are removed.
// - A Content-Type that does not parse as type "/" subtype [";" ...] (no subtype, no "/", empty,
//   garbage after the subtype) yields type "" and subtype "" with no parameters.
// - Parameters without "=value" are dropped and parsing resumes at the next ";"; "name=" keeps an
//   empty value; an unquoted value starting with "=" (a bare encoded word) runs to ";" or space.
// - RFC 2231 pieces name*0, name*1*, ... are joined (in index order) into one parameter named
//   "name" or, when any piece is extended, "name*" whose value is "charset'lang'%XX..." as sent
//   (non-extended pieces %-escaped, "''" prefixed). Pieces with gaps in their numbering are kept
//   separately under their original names. Joined parameters follow the plain ones, sorted by name.
//   `paramValue` gives the decoded Unicode value for display and search.

import { decodeBytes } from './charset.js';
import { decodeHeaderValue } from './encoded-word.js';
import { Lexer } from './lexer.js';

export type MimeParam = [name: string, value: string];

export interface ContentType {
  /** "" when the field is broken. */
  type: string;
  subtype: string;
  params: MimeParam[];
}

export interface ContentDisposition {
  type: string;
  params: MimeParam[];
}

/** RFC 2046 allows 70 characters; like Dovecot we keep 80 and match longer delimiters by prefix. */
export const BOUNDARY_MAX_LENGTH = 80;

const BROKEN: ContentType = Object.freeze({ type: '', subtype: '', params: [] }) as ContentType;

export function parseContentType(value: string): ContentType {
  const lex = new Lexer(value);
  if (lex.skipLwsp() <= 0) return BROKEN;
  if (lex.parseMimeToken() <= 0 || lex.out === '') return BROKEN;
  const type = lex.out;
  if (lex.peek() !== 0x2f) return BROKEN;
  lex.pos++;
  if (lex.skipLwsp() <= 0) return BROKEN;
  lex.out = '';
  if (lex.parseMimeToken() < 0 || lex.out === '' || (!lex.atEnd && lex.peek() !== 0x3b)) return BROKEN;
  return { type, subtype: lex.out, params: parseParams(lex) };
}

export function parseContentDisposition(value: string): ContentDisposition | null {
  const lex = new Lexer(value);
  lex.skipLwsp();
  if (lex.parseMimeToken() < 0) return null;
  const type = lex.out;
  return { type, params: parseParams(lex) };
}

export function parseContentLanguage(value: string): string[] | null {
  const lex = new Lexer(value);
  const tags: string[] = [];
  lex.skipLwsp();
  while (lex.parseAtom() >= 0) {
    tags.push(lex.out);
    lex.out = '';
    if (lex.atEnd || lex.peek() !== 0x2c) break;
    lex.pos++;
    lex.skipLwsp();
  }
  return tags.length > 0 ? tags : null;
}

/** One `; name=value`; ok=false for a malformed parameter, done=true at the end. */
function nextParam(lex: Lexer): { done: boolean; ok: boolean; name: string; value: string } {
  const fail = { done: false, ok: false, name: '', value: '' };
  if (lex.atEnd) return { done: true, ok: false, name: '', value: '' };
  if (lex.peek() !== 0x3b) return fail;
  lex.pos++;
  if (lex.skipLwsp() <= 0) return fail;
  lex.out = '';
  if (lex.parseMimeToken() <= 0) return fail;
  const name = lex.out;
  if (lex.peek() !== 0x3d) return fail;
  lex.pos++;
  lex.out = '';
  let ret = lex.skipLwsp();
  if (ret > 0) {
    const c = lex.peek();
    if (c === 0x22) {
      ret = lex.parseQuotedString();
    } else if (c === 0x3d) {
      // Unquoted encoded word ("name==?utf-8?b?...?="): take it up to ';' or whitespace.
      const start = lex.pos;
      while (!lex.atEnd && !'; \t\r\n'.includes(lex.text[lex.pos])) lex.pos++;
      lex.out = lex.text.slice(start, lex.pos);
    } else {
      ret = lex.parseMimeToken();
    }
  }
  return ret < 0 ? fail : { done: false, ok: true, name, value: lex.out };
}

interface Piece {
  name: string;
  index: number;
  extended: boolean;
  value: string;
}

/** Parameters after the type token, with RFC 2231 pieces merged. */
export function parseParams(lex: Lexer): MimeParam[] {
  const plain: MimeParam[] = [];
  const pieces: Piece[] = [];
  for (;;) {
    const p = nextParam(lex);
    if (p.done) break;
    if (!p.ok) {
      if (lex.atEnd) break;
      // Resync at the next ';'. (Dovecot always skips one byte here, which can swallow the ';'
      // of the following parameter and lose it; we keep it.)
      if (lex.peek() !== 0x3b) lex.pos++;
      continue;
    }
    const piece = rfc2231Piece(p.name, p.value);
    if (piece === null) plain.push([p.name, p.value]);
    else pieces.push(piece);
  }
  if (pieces.length === 0) return plain;

  pieces.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.index - b.index));
  for (let i = 0; i < pieces.length; ) {
    let j = i;
    let contiguous = true;
    let extended = false;
    const key = pieces[i].name.toLowerCase();
    for (; j < pieces.length && pieces[j].name.toLowerCase() === key; j++) {
      if (pieces[j].index !== j - i) contiguous = false;
      if (pieces[j].extended) extended = true;
    }
    if (!contiguous) {
      for (const p of pieces.slice(i, j)) plain.push([`${p.name}*${p.index}${p.extended ? '*' : ''}`, p.value]);
    } else {
      let value = !pieces[i].extended && extended ? "''" : '';
      for (const p of pieces.slice(i, j)) value += !p.extended && extended ? p.value.replaceAll('%', '%25') : p.value;
      plain.push([extended ? `${pieces[i].name}*` : pieces[i].name, value]);
    }
    i = j;
  }
  return plain;
}

/** name*, name*N or name*N* as an RFC 2231 piece; null for an ordinary name. */
function rfc2231Piece(name: string, value: string): Piece | null {
  const m = /^([^*]*)\*(?:(\d+)(\*)?|(\*?))$/.exec(name);
  if (m === null) return null;
  if (m[2] === undefined) return { name: m[1], index: 0, extended: true, value };
  return { name: m[1], index: Number(m[2]), extended: m[3] !== undefined, value };
}

/** Decodes an RFC 2231 extended value "charset'language'%XX..." to Unicode. */
export function decodeRfc2231Value(value: string): string {
  const first = value.indexOf("'");
  const second = first === -1 ? -1 : value.indexOf("'", first + 1);
  const charset = second === -1 ? null : value.slice(0, first);
  const encoded = second === -1 ? value : value.slice(second + 1);
  const bytes = Buffer.from(
    encoded.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  );
  return decodeBytes(bytes, charset);
}

/**
 * The Unicode value of parameter `name` (case-insensitive): the RFC 2231 "name*" form when present,
 * else the plain value with any RFC 2047 encoded words decoded. null when absent.
 */
export function paramValue(params: readonly MimeParam[], name: string): string | null {
  const lower = name.toLowerCase();
  const extended = params.find(([n]) => n.toLowerCase() === `${lower}*`);
  if (extended !== undefined) return decodeRfc2231Value(extended[1]);
  const plain = params.find(([n]) => n.toLowerCase() === lower);
  return plain === undefined ? null : decodeHeaderValue(plain[1]);
}

/** The multipart boundary of a Content-Type, truncated like Dovecot; null when there is none. */
export function boundaryOf(contentType: ContentType): string | null {
  const plain = contentType.params.find(([n]) => n.toLowerCase() === 'boundary');
  if (plain !== undefined) return plain[1].slice(0, BOUNDARY_MAX_LENGTH);
  // RFC 2231 form (Dovecot ignores it; we decode it so such messages keep their parts).
  const extended = contentType.params.find(([n]) => n.toLowerCase() === 'boundary*');
  if (extended === undefined) return null;
  const value = extended[1].replace(/^[^']*'[^']*'/, '');
  return value.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))).slice(0, BOUNDARY_MAX_LENGTH);
}
