// The IMAP tokenizer (RFC 3501 §4, §9): a cursor over one framed request that reads the lexical
// pieces every command grammar is made of — atoms, quoted strings, literals, astrings, numbers,
// sequence sets, parenthesised lists — and fails with an ImapParseError naming what was expected.
//
// Invariants: the cursor only moves forward (mark/reset excepted); a literal is taken only where its
// `{n}` announcement stands at the end of a line segment, and reading it moves to the next segment.
// Quoted strings accept 8-bit bytes (clients send UTF-8 there; RFC 3501 alone would refuse them) but
// never NUL; strings are decoded as UTF-8 unless a caller asks for bytes.
import { ImapParseError } from './errors.js';
import { decodeMutf7, normalizeMailboxName, UNDECODABLE_NAME } from './mutf7.js';
import { parseSequenceSet, SAVED_RESULT, type SeqRanges, type SequenceSet } from './sequence-set.js';

/** One complete command, as the framer (framer.ts) cuts it: `lines[i]` ends with the announcement of `literals[i]`. */
export interface ImapRequest {
  readonly lines: readonly Buffer[];
  readonly literals: readonly Buffer[];
}

const ATOM = 1; // ATOM-CHAR
const ASTRING = 2; // ASTRING-CHAR = ATOM-CHAR / "]"
const LIST = 4; // list-char = ATOM-CHAR / "%" / "*" / "]"
const TAG = 8; // ASTRING-CHAR except "+"

const CHAR_CLASS = new Uint8Array(256);
for (let c = 0x21; c < 0x7f; c++) {
  if (!'(){%*"\\]'.includes(String.fromCharCode(c))) CHAR_CLASS[c] = ATOM | ASTRING | LIST | TAG;
}
CHAR_CLASS[0x5d] = ASTRING | LIST | TAG; // ]
CHAR_CLASS[0x25] = LIST; // %
CHAR_CLASS[0x2a] = LIST; // *
CHAR_CLASS[0x2b] = ATOM | ASTRING | LIST; // +

const SP = 0x20;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const TILDE = 0x7e;
const LITERAL_ANNOUNCEMENT = /^\{\d+\+?\}$/;
const NUMBER_MAX = 0xffffffff; // RFC 3501 §9 number: unsigned 32-bit
const MODSEQ_MAX = (1n << 63n) - 1n; // RFC 7162 §7 mod-sequence-value: 63-bit

export function isTagChar(byte: number): boolean {
  return (CHAR_CLASS[byte] & TAG) !== 0;
}

export function isAtomChar(byte: number): boolean {
  return (CHAR_CLASS[byte] & ATOM) !== 0;
}

export function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function isSequenceSetChar(byte: number): boolean {
  return isDigit(byte) || byte === 0x3a || byte === 0x2c || byte === 0x2a || byte === 0x24; // : , * $
}

/** Where a Reader stands, for one-token look-ahead. */
export interface Mark {
  readonly segment: number;
  readonly pos: number;
}

export class Reader {
  private segment = 0;
  private pos = 0;
  private line: Buffer;

  constructor(private readonly request: ImapRequest) {
    this.line = request.lines[0] ?? Buffer.alloc(0);
  }

  fail(reason: string): never {
    throw new ImapParseError(reason);
  }

  atEnd(): boolean {
    return this.pos >= this.line.length;
  }

  /** The next byte, or -1 at the end. */
  peek(): number {
    return this.pos < this.line.length ? this.line[this.pos] : -1;
  }

  mark(): Mark {
    return { segment: this.segment, pos: this.pos };
  }

  reset(mark: Mark): void {
    this.segment = mark.segment;
    this.pos = mark.pos;
    this.line = this.request.lines[mark.segment];
  }

  tryByte(byte: number): boolean {
    if (this.peek() !== byte) return false;
    this.pos++;
    return true;
  }

  expect(byte: number, what: string): void {
    if (!this.tryByte(byte)) this.fail(this.atEnd() ? `Missing ${what}` : `Expected ${what}`);
  }

  /** The single space before `what`. */
  sp(what: string): void {
    if (this.tryByte(SP)) return;
    this.fail(this.atEnd() ? `Missing ${what}` : `Expected space before ${what}`);
  }

  /** A non-empty run of bytes accepted by `accepts`; returns where it started. */
  private span(accepts: (byte: number) => boolean, what: string): number {
    const start = this.pos;
    while (this.pos < this.line.length && accepts(this.line[this.pos])) this.pos++;
    if (this.pos === start) this.fail(this.atEnd() ? `Missing ${what}` : `Invalid ${what}`);
    return start;
  }

  /** A run of bytes of one character class (latin1). */
  private run(charClass: number, what: string): string {
    const start = this.span((c) => (CHAR_CLASS[c] & charClass) !== 0, what);
    return this.line.toString('latin1', start, this.pos);
  }

  atom(what: string): string {
    return this.run(ATOM, what);
  }

  /** An atom compared case-insensitively: returned in upper case. */
  keyword(what: string): string {
    return this.run(ATOM, what).toUpperCase();
  }

  tag(): string {
    return this.run(TAG, 'tag');
  }

  /** A non-empty run of bytes accepted by `accepts` (e.g. digits), latin1. */
  chars(accepts: (byte: number) => boolean, what: string): string {
    const start = this.span(accepts, what);
    return this.line.toString('latin1', start, this.pos);
  }

  /** number (RFC 3501 §9): unsigned 32-bit. */
  number(what: string): number {
    const digits = this.chars(isDigit, what);
    const value = Number(digits);
    if (digits.length > 10 || value > NUMBER_MAX) this.fail(`Invalid ${what}`);
    return value;
  }

  /** nz-number: a number other than 0. */
  nzNumber(what: string): number {
    const value = this.number(what);
    if (value === 0) this.fail(`Invalid ${what}`);
    return value;
  }

  /**
   * mod-sequence-value (RFC 7162 §7), 63-bit. Values past Number.MAX_SAFE_INTEGER are clamped to it:
   * our own mod-sequences never get that far, so a larger client value compares the same way.
   */
  modSequence(what: string, allowZero: boolean): number {
    const digits = this.chars(isDigit, what);
    if (digits.length > 19 || BigInt(digits) > MODSEQ_MAX || (!allowZero && BigInt(digits) === 0n)) {
      this.fail(`Invalid ${what}`);
    }
    return Math.min(Number(digits), Number.MAX_SAFE_INTEGER);
  }

  sequenceSet(what = 'sequence set'): SequenceSet {
    return parseSequenceSet(this.chars(isSequenceSetChar, what), what);
  }

  /** A sequence set where `$` has no meaning (QRESYNC's known sets). */
  sequenceRanges(what: string): SeqRanges {
    const set = this.sequenceSet(what);
    return set === SAVED_RESULT ? this.fail(`Invalid ${what}: $ is not allowed`) : set;
  }

  /** string = quoted / literal, as bytes. */
  stringBytes(what: string): Buffer {
    const c = this.peek();
    if (c === DQUOTE) return this.quoted(what);
    if (c === LBRACE) return this.literal(what);
    return this.fail(this.atEnd() ? `Missing ${what}` : `Expected string for ${what}`);
  }

  string(what: string): string {
    return this.stringBytes(what).toString('utf8');
  }

  /** astring = 1*ASTRING-CHAR / string, as bytes. */
  astringBytes(what: string): Buffer {
    const c = this.peek();
    if (c === DQUOTE || c === LBRACE) return this.stringBytes(what);
    const start = this.span((c) => (CHAR_CLASS[c] & ASTRING) !== 0, what);
    return this.line.subarray(start, this.pos);
  }

  astring(what: string): string {
    const c = this.peek();
    if (c === DQUOTE || c === LBRACE) return this.string(what);
    return this.run(ASTRING, what);
  }

  /** nstring = string / NIL; also accepts an atom-form value (lenient). */
  nstring(what: string): string | null {
    const c = this.peek();
    if (c === DQUOTE || c === LBRACE) return this.string(what);
    const word = this.run(ASTRING, what);
    return word.toUpperCase() === 'NIL' ? null : word;
  }

  /** list-mailbox = 1*list-char / string: a LIST pattern, mUTF-7 decoded. */
  listMailbox(what: string): string {
    const c = this.peek();
    const raw = c === DQUOTE || c === LBRACE ? this.stringBytes(what).toString('latin1') : this.run(LIST, what);
    return this.decodeName(raw);
  }

  /** mailbox = "INBOX" / astring: mUTF-7 decoded; INBOX in any case becomes `INBOX`. */
  mailbox(what = 'mailbox name'): string {
    return normalizeMailboxName(this.mailboxNameRaw(what));
  }

  /** A mailbox name decoded but not INBOX-normalised (a LIST reference). */
  mailboxNameRaw(what: string): string {
    return this.decodeName(this.astringBytes(what).toString('latin1'));
  }

  /** Decodes mUTF-7; an undecodable name is passed on marked (see UNDECODABLE_NAME) for a NO. */
  private decodeName(raw: string): string {
    return decodeMutf7(raw) ?? UNDECODABLE_NAME + raw;
  }

  /** `"(" item *(SP item) ")"`; `allowEmpty` admits `()`. */
  list<T>(what: string, item: () => T, allowEmpty = false): T[] {
    this.expect(0x28, `( before ${what}`);
    const items: T[] = [];
    if (this.tryByte(0x29)) {
      if (!allowEmpty) this.fail(`Empty ${what}`);
      return items;
    }
    for (;;) {
      items.push(item());
      if (this.tryByte(0x29)) return items;
      this.sp(what);
    }
  }

  /** A literal only (APPEND's message). */
  literalBytes(what: string): Buffer {
    if (this.peek() !== LBRACE) this.fail(this.atEnd() ? `Missing ${what}` : `Expected literal for ${what}`);
    return this.literal(what);
  }

  /** literal / literal8 (RFC 3516 §7: `"~{" number "}" CRLF *OCTET`); `binary` tells which it was. */
  literalOrLiteral8(what: string): { bytes: Buffer; binary: boolean } {
    const binary = this.tryByte(TILDE);
    return { bytes: this.literalBytes(what), binary };
  }

  private quoted(what: string): Buffer {
    const start = ++this.pos;
    let escaped: number[] | null = null;
    for (;;) {
      if (this.pos >= this.line.length) this.fail(`Unterminated quoted string for ${what}`);
      const c = this.line[this.pos];
      if (c === DQUOTE) break;
      if (c === 0) this.fail(`Invalid NUL in quoted string for ${what}`);
      if (c === BACKSLASH) {
        const next = this.line[this.pos + 1];
        if (next !== DQUOTE && next !== BACKSLASH) this.fail(`Invalid escape in quoted string for ${what}`);
        escaped ??= [...this.line.subarray(start, this.pos)];
        escaped.push(next);
        this.pos += 2;
        continue;
      }
      escaped?.push(c);
      this.pos++;
    }
    const value = escaped === null ? this.line.subarray(start, this.pos) : Buffer.from(escaped);
    this.pos++;
    return value;
  }

  private literal(what: string): Buffer {
    const announcement = this.line.toString('latin1', this.pos);
    const literal = this.request.literals[this.segment];
    if (!LITERAL_ANNOUNCEMENT.test(announcement) || literal === undefined) this.fail(`Invalid literal for ${what}`);
    this.segment++;
    this.line = this.request.lines[this.segment];
    this.pos = 0;
    return literal;
  }
}
