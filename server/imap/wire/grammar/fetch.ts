// FETCH: the attribute list (macros expanded), BODY[section]<partial>, BINARY[part]<partial> and
// BINARY.SIZE[part] (RFC 3516), and the CONDSTORE/QRESYNC modifiers CHANGEDSINCE and VANISHED.
//
// Invariants: macros (ALL, FAST, FULL) are expanded here, so the command layer sees attributes only;
// header field names keep the client's spelling, because the response must name the section the way
// the client asked for it (sectionSpec rebuilds it).
import { shown } from '../errors.js';
import type { SequenceSet } from '../sequence-set.js';
import { isAtomChar, isDigit, type Reader } from '../tokens.js';
import type { PartialRange } from '../responses.js';
import { readPartialRange } from './search.js';

export type SimpleFetchItem =
  | 'ENVELOPE'
  | 'FLAGS'
  | 'INTERNALDATE'
  | 'RFC822'
  | 'RFC822.HEADER'
  | 'RFC822.SIZE'
  | 'RFC822.TEXT'
  | 'BODY'
  | 'BODYSTRUCTURE'
  | 'UID'
  | 'MODSEQ'
  | 'PREVIEW'
  | 'EMAILID'
  | 'THREADID'
  | 'SAVEDATE';

const SIMPLE_ITEMS: ReadonlySet<string> = new Set<SimpleFetchItem>([
  'ENVELOPE',
  'FLAGS',
  'INTERNALDATE',
  'RFC822',
  'RFC822.HEADER',
  'RFC822.SIZE',
  'RFC822.TEXT',
  'BODY',
  'BODYSTRUCTURE',
  'UID',
  'MODSEQ',
  'PREVIEW',
  'EMAILID',
  'THREADID',
  'SAVEDATE',
]);

const MACROS: Record<string, SimpleFetchItem[]> = {
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

export interface BodySection {
  /** The MIME part path (`1.2` → [1, 2]); empty for the whole message. */
  readonly part: number[];
  /** What of that part; null = all of it. MIME needs a part path. */
  readonly text: 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME' | null;
  /** Header field names for HEADER.FIELDS[.NOT], as the client spelt them; else empty. */
  readonly fields: string[];
}

export type FetchAttribute =
  | { readonly item: SimpleFetchItem }
  | {
      readonly item: 'BODY[section]';
      /** BODY.PEEK: do not set \Seen. */
      readonly peek: boolean;
      readonly section: BodySection;
      readonly partial: { readonly start: number; readonly count: number } | null;
    }
  /** BINARY[part]<partial> (RFC 3516 §4.1): the part's content with its Content-Transfer-Encoding undone. */
  | {
      readonly item: 'BINARY[section]';
      /** BINARY.PEEK: do not set \Seen. */
      readonly peek: boolean;
      /** The MIME part path; empty for the whole message. */
      readonly part: number[];
      readonly partial: { readonly start: number; readonly count: number } | null;
    }
  /** BINARY.SIZE[part] (RFC 3516 §4.2): the size of that decoded content. */
  | { readonly item: 'BINARY.SIZE'; readonly part: number[] };

export interface FetchArgs {
  readonly set: SequenceSet;
  readonly items: FetchAttribute[];
  /** CHANGEDSINCE (RFC 7162 §3.1.4): only messages with a greater mod-sequence; null = all. */
  readonly changedSince: number | null;
  /** VANISHED (RFC 7162 §3.2.6): also report expunged UIDs of the set. UID FETCH only. */
  readonly vanished: boolean;
  /** PARTIAL (RFC 9394 §4): only the messages at these positions of the set (after CHANGEDSINCE). */
  readonly partial: PartialRange | null;
}

// fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att /
//   "(" fetch-att *(SP fetch-att) ")") [fetch-modifiers] (RFC 3501 §6.4.5, RFC 4466 §2.4);
// fetch-modifiers = SP "(" fetch-modifier *(SP fetch-modifier) ")";
// fetch-modifier = "CHANGEDSINCE" SP mod-sequence-value (RFC 7162 §3.1.4) / "VANISHED" (RFC 7162 §3.2.6) /
//   "PARTIAL" SP partial-range (RFC 9394 §4)
export function parseFetch(r: Reader, uid: boolean): FetchArgs {
  r.sp('sequence set');
  const set = r.sequenceSet();
  r.sp('fetch attributes');
  let items: FetchAttribute[];
  if (r.peek() === 0x28) items = r.list('fetch attributes', () => readFetchAtt(r));
  else {
    const mark = r.mark();
    const macro = MACROS[r.keyword('fetch attribute')];
    if (macro === undefined) {
      r.reset(mark);
      items = [readFetchAtt(r)];
    } else items = macro.map((item) => ({ item }));
  }

  let changedSince: number | null = null;
  let vanished = false;
  let partial: PartialRange | null = null;
  if (!r.atEnd()) {
    r.sp('fetch modifiers');
    r.list('fetch modifiers', () => {
      const name = r.keyword('fetch modifier');
      if (name === 'CHANGEDSINCE') {
        r.sp('mod-sequence');
        changedSince = r.modSequence('mod-sequence', false);
      } else if (name === 'VANISHED') vanished = true;
      else if (name === 'PARTIAL') {
        r.sp('partial range');
        partial = readPartialRange(r);
      } else r.fail(`Unknown fetch modifier ${shown(name)}`);
    });
  }
  if (vanished && !uid) r.fail('VANISHED is only allowed in UID FETCH');
  if (vanished && changedSince === null) r.fail('VANISHED requires CHANGEDSINCE');
  return { set, items, changedSince, vanished, partial };
}

function isItemNameChar(c: number): boolean {
  return isDigit(c) || c === 0x2e || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a); // . A-Z a-z
}

// fetch-att = "ENVELOPE" / "FLAGS" / "INTERNALDATE" / "RFC822" [".HEADER" / ".SIZE" / ".TEXT"] /
//   "BODY" ["STRUCTURE"] / "UID" / "BODY" section ["<" number "." nz-number ">"] /
//   "BODY.PEEK" section ["<" number "." nz-number ">"] (RFC 3501 §9); =/ "MODSEQ" (RFC 7162 §7);
//   =/ "BINARY" [".PEEK"] section-binary [partial] / "BINARY.SIZE" section-binary (RFC 3516 §7);
//   =/ "PREVIEW" [SP "(" preview-mod *(SP preview-mod) ")"], preview-mod = "LAZY" (RFC 8970 §7);
//   =/ "EMAILID" / "THREADID" (RFC 8474 §7); =/ "SAVEDATE" (RFC 8514 §5)
function readFetchAtt(r: Reader): FetchAttribute {
  const name = r.chars(isItemNameChar, 'fetch attribute').toUpperCase();
  if (r.peek() !== 0x5b) {
    if (!SIMPLE_ITEMS.has(name)) r.fail(`Unknown fetch attribute ${shown(name)}`);
    if (name === 'PREVIEW') readPreviewModifiers(r);
    return { item: name as SimpleFetchItem };
  }
  r.expect(0x5b, '[');
  if (name === 'BINARY' || name === 'BINARY.PEEK' || name === 'BINARY.SIZE') {
    const part = readSectionBinary(r);
    if (name === 'BINARY.SIZE') return { item: 'BINARY.SIZE', part };
    return { item: 'BINARY[section]', peek: name === 'BINARY.PEEK', part, partial: readPartial(r) };
  }
  if (name !== 'BODY' && name !== 'BODY.PEEK') r.fail(`Unknown fetch attribute ${shown(name)}`);
  const section = readSection(r);
  r.expect(0x5d, '] after section');
  return { item: 'BODY[section]', peek: name === 'BODY.PEEK', section, partial: readPartial(r) };
}

/** LAZY lets the server answer NIL when no preview is at hand; ours is always computed, so it changes nothing. */
function readPreviewModifiers(r: Reader): void {
  const mark = r.mark();
  if (!r.tryByte(0x20) || r.peek() !== 0x28) return r.reset(mark);
  r.list('preview modifiers', () => {
    const modifier = r.keyword('preview modifier');
    if (modifier !== 'LAZY') r.fail(`Unknown preview modifier ${shown(modifier)}`);
  });
}

// partial = "<" number "." nz-number ">" (RFC 3501 §9, RFC 3516 §7)
function readPartial(r: Reader): { start: number; count: number } | null {
  if (!r.tryByte(0x3c)) return null;
  const start = r.number('partial start');
  r.expect(0x2e, '. in partial range');
  const partial = { start, count: r.nzNumber('partial length') };
  r.expect(0x3e, '> after partial range');
  return partial;
}

// section-binary = "[" [section-part] "]" (RFC 3516 §7); the "[" is read already
function readSectionBinary(r: Reader): number[] {
  const part: number[] = [];
  if (r.tryByte(0x5d)) return part;
  for (;;) {
    part.push(r.nzNumber('section part'));
    if (r.tryByte(0x5d)) return part;
    r.expect(0x2e, '. or ] in binary section');
  }
}

// section-spec = section-msgtext / (section-part ["." section-text]); section-part = nz-number
// *("." nz-number); section-text = section-msgtext / "MIME"; section-msgtext = "HEADER" /
// "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT" (RFC 3501 §9)
function readSection(r: Reader): BodySection {
  const part: number[] = [];
  while (isDigit(r.peek())) {
    part.push(r.nzNumber('section part'));
    if (!r.tryByte(0x2e)) return { part, text: null, fields: [] };
  }
  if (r.peek() === 0x5d && part.length === 0) return { part, text: null, fields: [] };
  const text = r.chars(isItemNameChar, 'section').toUpperCase();
  if (text === 'HEADER' || text === 'TEXT' || (text === 'MIME' && part.length > 0)) return { part, text, fields: [] };
  if (text !== 'HEADER.FIELDS' && text !== 'HEADER.FIELDS.NOT') return r.fail(`Invalid section ${shown(text)}`);
  r.sp('header list');
  // header-list = "(" header-fld-name *(SP header-fld-name) ")"; header-fld-name = astring
  const fields = r.list('header list', () => r.astring('header field name'));
  return { part, text, fields };
}

/** A section-spec standing alone (an IMAP URL's `;SECTION=`, RFC 5092 §4): the whole text must be one. */
export function parseSectionText(r: Reader): BodySection {
  const section = readSection(r);
  if (!r.atEnd()) r.fail('Unexpected characters after the section');
  return section;
}

/** The section as it appears between the brackets of a FETCH response (`1.HEADER.FIELDS (From)`). */
export function sectionSpec(section: BodySection): string {
  const path = section.part.join('.');
  if (section.text === null) return path;
  const fields = section.fields.map((name) =>
    [...Buffer.from(name)].every(isAtomChar) ? name : `"${name.replace(/["\\]/g, '\\$&')}"`,
  );
  const text = fields.length > 0 ? `${section.text} (${fields.join(' ')})` : section.text;
  return path === '' ? text : `${path}.${text}`;
}
