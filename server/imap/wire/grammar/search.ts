// SEARCH: the search program as a typed tree (RFC 3501 §6.4.4, RFC 7162 §3.1.5).
//
// Invariants: the tree has one node per concept, not per keyword — FROM/TO/CC/BCC/SUBJECT are
// `header` nodes, ANSWERED/UNSEEN/KEYWORD/... are `flag` nodes, NEW is RECENT AND UNSEEN, OLD is NOT
// RECENT — so the evaluator stays small. A list of keys is an `and` node (a single key stands alone).
// Nesting is bounded, so a hostile "NOT NOT NOT ..." cannot exhaust the stack.
import { parseImapDate } from '../date-time.js';
import { ImapParseError, shown } from '../errors.js';
import type { PartialRange } from '../responses.js';
import type { SequenceSet } from '../sequence-set.js';
import { isDigit, type Reader } from '../tokens.js';
import { canonicalFlag } from './flags.js';

export type DateComparison = 'before' | 'on' | 'since';

export type SearchKey =
  | { readonly type: 'all' }
  | { readonly type: 'and'; readonly keys: SearchKey[] }
  | { readonly type: 'or'; readonly left: SearchKey; readonly right: SearchKey }
  | { readonly type: 'not'; readonly key: SearchKey }
  | { readonly type: 'seq'; readonly set: SequenceSet }
  | { readonly type: 'uid'; readonly set: SequenceSet }
  /** The message has (`present`) or lacks the flag; system flags canonical, keywords as sent. */
  | { readonly type: 'flag'; readonly flag: string; readonly present: boolean }
  /** Header `field` (lower case) contains `value` (case-insensitive substring). */
  /** `address`: the FROM/TO/CC/BCC keys, matched against the parsed addresses rather than the raw text. */
  | { readonly type: 'header'; readonly field: string; readonly value: string; readonly address?: boolean }
  | { readonly type: 'body' | 'text'; readonly value: string }
  /**
   * `date` is YYYY-MM-DD; `internal` is INTERNALDATE, `sent` the Date: header, `saved` the save date
   * (RFC 8514 §4.3; the command layer turns it into a UID set, search-keys.ts).
   */
  | { readonly type: 'date'; readonly field: 'internal' | 'sent' | 'saved'; readonly comparison: DateComparison; readonly date: string }
  | { readonly type: 'size'; readonly comparison: 'larger' | 'smaller'; readonly size: number }
  /** INTERNALDATE at least (`older`) or less than (`younger`) `seconds` before now (WITHIN, RFC 5032). */
  | { readonly type: 'age'; readonly comparison: 'older' | 'younger'; readonly seconds: number }
  /** EMAILID / THREADID equal to `id` (RFC 8474 §6); the command layer turns it into a UID set (search-keys.ts). */
  | { readonly type: 'objectid'; readonly field: 'EMAILID' | 'THREADID'; readonly id: string }
  /** Mod-sequence at least `modSeq`; `entry` names the metadata item the client asked about. */
  | {
      readonly type: 'modseq';
      readonly modSeq: number;
      readonly entry: { readonly flag: string; readonly kind: 'priv' | 'shared' | 'all' } | null;
    };

/** search-return-opt (RFC 4731 §3.1, RFC 5182 §2.2, RFC 9394 §3.1, RFC 5267 §4.2 UPDATE). */
export type SearchReturnOption = 'MIN' | 'MAX' | 'ALL' | 'COUNT' | 'SAVE' | 'PARTIAL' | 'UPDATE';
const RETURN_OPTIONS: ReadonlySet<string> = new Set<SearchReturnOption>(['MIN', 'MAX', 'ALL', 'COUNT', 'SAVE', 'PARTIAL', 'UPDATE']);

/** RETURN's options, and PARTIAL's range when PARTIAL is one of them. */
export interface ReturnOptions {
  readonly options: ReadonlySet<SearchReturnOption>;
  readonly partial: PartialRange | null;
}

export interface SearchProgram {
  /** The CHARSET given (upper case), or null. */
  readonly charset: string | null;
  readonly key: SearchKey;
}

export interface SearchArgs extends SearchProgram {
  /** RETURN's options, or null without RETURN (a `* SEARCH` answer); `RETURN ()` means ALL (RFC 4731 §3.1). */
  readonly returns: ReadonlySet<SearchReturnOption> | null;
  /** PARTIAL's range (RFC 9394), when RETURN has PARTIAL. */
  readonly partial: PartialRange | null;
}

export const SEARCH_CHARSETS = ['US-ASCII', 'UTF-8'];
const MAX_DEPTH = 64;

const FLAG_KEYS: Record<string, readonly [flag: string, present: boolean]> = {
  ANSWERED: ['\\Answered', true],
  DELETED: ['\\Deleted', true],
  DRAFT: ['\\Draft', true],
  FLAGGED: ['\\Flagged', true],
  RECENT: ['\\Recent', true],
  SEEN: ['\\Seen', true],
  UNANSWERED: ['\\Answered', false],
  UNDELETED: ['\\Deleted', false],
  UNDRAFT: ['\\Draft', false],
  UNFLAGGED: ['\\Flagged', false],
  UNSEEN: ['\\Seen', false],
  OLD: ['\\Recent', false],
};
const HEADER_KEYS = new Set(['BCC', 'CC', 'FROM', 'SUBJECT', 'TO']);
const DATE_KEYS: Record<string, readonly ['internal' | 'sent' | 'saved', DateComparison]> = {
  BEFORE: ['internal', 'before'],
  ON: ['internal', 'on'],
  SINCE: ['internal', 'since'],
  SENTBEFORE: ['sent', 'before'],
  SENTON: ['sent', 'on'],
  SENTSINCE: ['sent', 'since'],
  // search-key =/ "SAVEDBEFORE" SP date / "SAVEDON" SP date / "SAVEDSINCE" SP date (RFC 8514 §5)
  SAVEDBEFORE: ['saved', 'before'],
  SAVEDON: ['saved', 'on'],
  SAVEDSINCE: ['saved', 'since'],
};

// search = "SEARCH" [search-return-opts] SP search-program; search-program = ["CHARSET" SP charset SP]
// search-key *(SP search-key) (RFC 3501 §6.4.4, RFC 4731 §3.1, RFC 5182 §4)
export function parseSearch(r: Reader): SearchArgs {
  const returns = readReturnOptions(r, RETURN_OPTIONS);
  r.sp('search key');
  const { charset, key } = parseSearchProgram(r, false);
  return { charset, key, returns: returns?.options ?? null, partial: returns?.partial ?? null };
}

// search-return-opts = SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")" (RFC 4731 §3.1);
// search-return-opt =/ "PARTIAL" SP partial-range (RFC 9394 §6); shared with SORT's ESORT form (RFC 5267
// §3.2). Null when the next word is not RETURN; `RETURN ()` means ALL. PARTIAL and ALL exclude each other.
export function readReturnOptions(r: Reader, known: ReadonlySet<string>): ReturnOptions | null {
  const mark = r.mark();
  if (!r.tryByte(0x20) || (r.peek() | 0x20) !== 0x72 || r.keyword('search key') !== 'RETURN') {
    r.reset(mark);
    return null;
  }
  r.sp('return options');
  let partial: PartialRange | null = null;
  const options = r.list(
    'return options',
    () => {
      const name = r.keyword('return option');
      if (!known.has(name)) r.fail(`Unknown return option ${shown(name)}`);
      if (name === 'PARTIAL') {
        r.sp('partial range');
        partial = readPartialRange(r);
      }
      return name as SearchReturnOption;
    },
    true,
  );
  const set = new Set<SearchReturnOption>(options.length === 0 ? ['ALL'] : options);
  if (set.has('PARTIAL') && set.has('ALL')) r.fail('PARTIAL and ALL cannot be combined');
  return { options: set, partial };
}

// partial-range = partial-range-first / partial-range-last; partial-range-first = nz-number ":" nz-number;
// partial-range-last = MINUS nz-number ":" MINUS nz-number (RFC 9394 §6); either end may come first
export function readPartialRange(r: Reader): PartialRange {
  const fromEnd = r.tryByte(0x2d);
  const a = r.nzNumber('partial range');
  r.expect(0x3a, ': in partial range');
  if (fromEnd) r.expect(0x2d, '- in partial range');
  const b = r.nzNumber('partial range');
  return { low: Math.min(a, b), high: Math.max(a, b), fromEnd };
}

/** `[CHARSET charset SP] search-key *(SP search-key)`; SORT and THREAD require the charset. */
export function parseSearchProgram(r: Reader, charsetRequired: boolean): SearchProgram {
  let charset: string | null = null;
  const mark = r.mark(); // the first word is CHARSET (starts with c/C) or the first key
  if (charsetRequired || ((r.peek() | 0x20) === 0x63 && r.keyword('search key') === 'CHARSET')) {
    if (!charsetRequired) r.sp('charset');
    charset = r.astring('charset').toUpperCase();
    // An unknown charset is a NO, not a BAD (RFC 3501 §6.4.4).
    if (!SEARCH_CHARSETS.includes(charset)) {
      throw new ImapParseError(`Unsupported charset ${shown(charset)}`, null, 'NO', {
        code: 'BADCHARSET',
        charsets: SEARCH_CHARSETS,
      });
    }
    r.sp('search key');
  } else r.reset(mark);
  const keys = [readKey(r, 0)];
  while (r.tryByte(0x20)) keys.push(readKey(r, 0));
  return { charset, key: keys.length === 1 ? keys[0] : { type: 'and', keys } };
}

// search-key = "ALL" / "ANSWERED" / "BCC" SP astring / "BEFORE" SP date / "BODY" SP astring / "CC" SP
//   astring / "DELETED" / "FLAGGED" / "FROM" SP astring / "KEYWORD" SP flag-keyword / "NEW" / "OLD" /
//   "ON" SP date / "RECENT" / "SEEN" / "SINCE" SP date / "SUBJECT" SP astring / "TEXT" SP astring /
//   "TO" SP astring / "UNANSWERED" / "UNDELETED" / "UNFLAGGED" / "UNKEYWORD" SP flag-keyword /
//   "UNSEEN" / "DRAFT" / "HEADER" SP header-fld-name SP astring / "LARGER" SP number / "NOT" SP
//   search-key / "OR" SP search-key SP search-key / "SENTBEFORE" SP date / "SENTON" SP date /
//   "SENTSINCE" SP date / "SMALLER" SP number / "UID" SP sequence-set / "UNDRAFT" / sequence-set (or "$", RFC 5182) /
//   "(" search-key *(SP search-key) ")" (RFC 3501 §9); =/ search-modsequence (RFC 7162 §3.1.5)
function readKey(r: Reader, depth: number): SearchKey {
  if (depth > MAX_DEPTH) r.fail('Search keys nested too deeply');
  const c = r.peek();
  if (c === 0x28) {
    const keys = r.list('search keys', () => readKey(r, depth + 1));
    return keys.length === 1 ? keys[0] : { type: 'and', keys };
  }
  if (isDigit(c) || c === 0x2a || c === 0x24) return { type: 'seq', set: r.sequenceSet() };
  const name = r.keyword('search key');
  const flag = FLAG_KEYS[name];
  if (flag !== undefined) return { type: 'flag', flag: flag[0], present: flag[1] };
  if (HEADER_KEYS.has(name)) return { type: 'header', field: name.toLowerCase(), value: argument(r, name), address: name !== 'SUBJECT' };
  const date = DATE_KEYS[name];
  if (date !== undefined) return { type: 'date', field: date[0], comparison: date[1], date: readDate(r, name) };
  switch (name) {
    case 'ALL':
      return { type: 'all' };
    // search-key =/ "SAVEDATESUPPORTED" (RFC 8514 §5): every mailbox here keeps save dates.
    case 'SAVEDATESUPPORTED':
      return { type: 'all' };
    case 'NEW':
      return {
        type: 'and',
        keys: [
          { type: 'flag', flag: '\\Recent', present: true },
          { type: 'flag', flag: '\\Seen', present: false },
        ],
      };
    case 'KEYWORD':
    case 'UNKEYWORD':
      r.sp(`${name} flag`);
      return { type: 'flag', flag: canonicalFlag(r.atom(`${name} flag`)), present: name === 'KEYWORD' };
    case 'BODY':
    case 'TEXT':
      return { type: name === 'BODY' ? 'body' : 'text', value: argument(r, name) };
    case 'HEADER': {
      r.sp('header field name');
      const field = r.astring('header field name').toLowerCase();
      return { type: 'header', field, value: argument(r, name) };
    }
    case 'LARGER':
    case 'SMALLER':
      r.sp(`${name} size`);
      return { type: 'size', comparison: name === 'LARGER' ? 'larger' : 'smaller', size: r.number(`${name} size`) };
    case 'UID':
      r.sp('UID set');
      return { type: 'uid', set: r.sequenceSet('UID set') };
    case 'NOT':
      r.sp('search key');
      return { type: 'not', key: readKey(r, depth + 1) };
    case 'OR': {
      r.sp('search key');
      const left = readKey(r, depth + 1);
      r.sp('search key');
      return { type: 'or', left, right: readKey(r, depth + 1) };
    }
    case 'MODSEQ':
      return readModSeq(r);
    // search-key =/ ( "OLDER" / "YOUNGER" ) SP nz-number (RFC 5032 §4)
    case 'OLDER':
    case 'YOUNGER':
      r.sp(`${name} interval`);
      return { type: 'age', comparison: name === 'OLDER' ? 'older' : 'younger', seconds: r.nzNumber(`${name} interval`) };
    // search-key =/ "EMAILID" SP objectid / "THREADID" SP objectid; objectid = 1*255(ALPHA / DIGIT / "_" / "-") (RFC 8474 §7)
    case 'EMAILID':
    case 'THREADID': {
      r.sp(`${name} object id`);
      const id = r.chars(isObjectIdChar, `${name} object id`);
      if (id.length > OBJECTID_MAX) r.fail(`${name} object id longer than ${OBJECTID_MAX}`);
      return { type: 'objectid', field: name, id };
    }
    default:
      return r.fail(`Unknown search key ${shown(name)}`);
  }
}

/** RFC 8474 §7: an objectid has at most 255 characters. */
const OBJECTID_MAX = 255;

function isObjectIdChar(c: number): boolean {
  return isDigit(c) || c === 0x5f || c === 0x2d || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a); // _ - A-Z a-z
}

function argument(r: Reader, key: string): string {
  r.sp(`${key} string`);
  return r.astring(`${key} string`);
}

// date = date-text / DQUOTE date-text DQUOTE (RFC 3501 §9)
function readDate(r: Reader, key: string): string {
  r.sp(`${key} date`);
  const text = r.peek() === 0x22 ? r.string(`${key} date`) : r.atom(`${key} date`);
  const date = parseImapDate(text);
  if (date === null) r.fail(`Invalid ${key} date`);
  return date;
}

// search-modsequence = "MODSEQ" [search-modseq-ext] SP mod-sequence-valzer;
// search-modseq-ext = SP entry-name SP entry-type-req; entry-name = DQUOTE "/flags/" attr-flag DQUOTE;
// entry-type-req = "priv" / "shared" / "all" (RFC 7162 §3.1.5, §7)
function readModSeq(r: Reader): SearchKey {
  r.sp('mod-sequence');
  let entry: { flag: string; kind: 'priv' | 'shared' | 'all' } | null = null;
  if (r.peek() === 0x22) {
    const name = r.string('entry name');
    if (!name.toLowerCase().startsWith('/flags/') || name.length === '/flags/'.length) r.fail('Invalid entry name');
    r.sp('entry type');
    const kind = r.keyword('entry type').toLowerCase();
    if (kind !== 'priv' && kind !== 'shared' && kind !== 'all') r.fail('Invalid entry type');
    entry = { flag: canonicalFlag(name.slice('/flags/'.length)), kind };
    r.sp('mod-sequence');
  }
  return { type: 'modseq', modSeq: r.modSequence('mod-sequence', true), entry };
}
