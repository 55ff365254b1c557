// RFC 5322 / RFC 2045 tokenizer over one header field value, the shared base of Content-Type,
// parameter and address parsing. It follows the token rules Dovecot's lib-mail uses so that
// broken input is read the way mature IMAP servers read it (comments skipped anywhere whitespace
// may be, folding removed inside quoted strings, 8-bit bytes accepted as atom text).
//
// Invariants:
// - The input is a latin1 string (one char per byte); tokens are appended to `out` in the same
//   representation, so raw 8-bit bytes pass through unchanged.
// - Every `parse*`/`skip*` method returns -1 for broken input, 0 when it stopped at the end of the
//   value and 1 when more input follows; each call either consumes input or fails, so callers'
//   loops terminate.
// - `peek()` at the end returns 0, a byte no rule accepts.

// 1 = atext, 2 = alphanumeric or 8-bit (also atext), 4 = atext but a MIME tspecial ('/', '=', '?').
const ATEXT = new Uint8Array(256);
for (let c = 0x80; c < 0x100; c++) ATEXT[c] = 2;
for (let c = 0x30; c <= 0x39; c++) ATEXT[c] = 2;
for (let c = 0x41; c <= 0x5a; c++) ATEXT[c] = 2;
for (let c = 0x61; c <= 0x7a; c++) ATEXT[c] = 2;
for (const ch of "!#$%&'*+-^_`{|}~") ATEXT[ch.charCodeAt(0)] = 1;
for (const ch of '/=?') ATEXT[ch.charCodeAt(0)] = 4;

export function isAtext(c: number): boolean {
  return ATEXT[c] !== 0;
}

function isTokenChar(c: number): boolean {
  return (ATEXT[c] & 3) !== 0 || c === 0x2e; // MIME token: atext minus tspecials, plus '.'
}

const SP = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

export class Lexer {
  pos = 0;
  /** Token text collected by the parse methods; callers reset it. */
  out = '';
  /** Text of the most recent comment, when constructed with `trackComments`. */
  lastComment = '';

  constructor(
    readonly text: string,
    private readonly trackComments = false,
  ) {}

  get atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): number {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : 0;
  }

  private more(): number {
    return this.pos < this.text.length ? 1 : 0;
  }

  skipComment(): number {
    const s = this.text;
    let level = 1;
    let comment = '';
    let start = ++this.pos;
    for (; this.pos < s.length; this.pos++) {
      const c = s.charCodeAt(this.pos);
      if (c === 0x28) level++;
      else if (c === 0x29) {
        if (--level === 0) {
          if (this.trackComments) this.lastComment = comment + s.slice(start, this.pos);
          this.pos++;
          return this.more();
        }
      } else if (c === LF) {
        comment += s.slice(start, this.pos > start && s.charCodeAt(this.pos - 1) === CR ? this.pos - 1 : this.pos);
        start = this.pos + 1;
      } else if (c === BACKSLASH) {
        this.pos++;
        if (this.pos >= s.length) return -1;
        const next = s.charCodeAt(this.pos);
        if (next === CR || next === LF) {
          this.pos--; // a backslash before a line break stays literal
          continue;
        }
        comment += s.slice(start, this.pos - 1);
        start = this.pos;
      }
    }
    return -1; // missing ')'
  }

  /** Skips whitespace, line breaks and comments. */
  skipLwsp(): number {
    const s = this.text;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === SP || c === TAB || c === CR || c === LF) {
        this.pos++;
      } else if (c === 0x28) {
        if (this.skipComment() < 0) return -1;
      } else {
        break;
      }
    }
    return this.more();
  }

  parseAtom(): number {
    const s = this.text;
    if (this.pos >= s.length || !isAtext(s.charCodeAt(this.pos))) return -1;
    const start = this.pos++;
    while (this.pos < s.length && isAtext(s.charCodeAt(this.pos))) this.pos++;
    this.out += s.slice(start, this.pos);
    return this.pos < s.length ? this.skipLwsp() : 0;
  }

  /** dot-atom, allowing whitespace around the dots (RFC 822). */
  parseDotAtom(): number {
    const s = this.text;
    if (this.pos >= s.length || !isAtext(s.charCodeAt(this.pos))) return -1;
    let start = this.pos++;
    while (this.pos < s.length) {
      if (isAtext(s.charCodeAt(this.pos))) {
        this.pos++;
        continue;
      }
      if (start === this.pos) return -1;
      this.out += s.slice(start, this.pos);
      const ret = this.skipLwsp();
      if (ret <= 0) return ret;
      if (this.peek() !== 0x2e) return 1;
      this.pos++;
      this.out += '.';
      if (this.skipLwsp() <= 0) return -1;
      start = this.pos;
    }
    this.out += s.slice(start, this.pos);
    return 0;
  }

  /** MIME token (RFC 2045), which may be empty. */
  parseMimeToken(): number {
    const s = this.text;
    const start = this.pos;
    while (this.pos < s.length && isTokenChar(s.charCodeAt(this.pos))) this.pos++;
    this.out += s.slice(start, this.pos);
    return this.pos < s.length ? this.skipLwsp() : 0;
  }

  /** quoted-string at '"': unescapes quoted pairs and removes folding line breaks. */
  parseQuotedString(): number {
    const s = this.text;
    let start = ++this.pos;
    for (; this.pos < s.length; this.pos++) {
      const c = s.charCodeAt(this.pos);
      if (c === DQUOTE) {
        this.out += s.slice(start, this.pos);
        this.pos++;
        return this.skipLwsp();
      }
      if (c === LF) {
        this.out += s.slice(start, this.pos > start && s.charCodeAt(this.pos - 1) === CR ? this.pos - 1 : this.pos);
        start = this.pos + 1;
      } else if (c === BACKSLASH) {
        this.pos++;
        if (this.pos >= s.length) return -1;
        const next = s.charCodeAt(this.pos);
        if (next === CR || next === LF) {
          this.pos--;
          continue;
        }
        this.out += s.slice(start, this.pos - 1);
        start = this.pos;
      }
    }
    return -1; // missing '"'
  }

  private parseAtomOrDot(): number {
    const s = this.text;
    const start = this.pos;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (!isAtext(c) && c !== 0x2e) break;
      this.pos++;
    }
    this.out += s.slice(start, this.pos);
    return this.pos < s.length ? this.skipLwsp() : 0;
  }

  /** phrase / obs-phrase: words joined by single spaces; may be empty (returns 1 then). */
  parsePhrase(): number {
    if (this.atEnd) return 0;
    if (this.peek() === 0x2e) return -1;
    for (;;) {
      const ret = this.peek() === DQUOTE ? this.parseQuotedString() : this.parseAtomOrDot();
      if (ret <= 0) return ret;
      const c = this.peek();
      if (!isAtext(c) && c !== DQUOTE && c !== 0x2e) break;
      this.out += ' ';
    }
    return this.skipLwsp();
  }

  private parseDomainLiteral(): number {
    const s = this.text;
    let start = this.pos++;
    for (; this.pos < s.length; this.pos++) {
      const c = s.charCodeAt(this.pos);
      if (c === 0x5b) return -1;
      if (c === 0x5d) {
        this.out += s.slice(start, this.pos + 1);
        this.pos++;
        return this.skipLwsp();
      }
      if (c === LF) {
        this.out += s.slice(start, this.pos > start && s.charCodeAt(this.pos - 1) === CR ? this.pos - 1 : this.pos);
        start = this.pos + 1;
      } else if (c === BACKSLASH) {
        this.pos++;
        if (this.pos >= s.length) return -1;
        const next = s.charCodeAt(this.pos);
        if (next === CR || next === LF) {
          this.out += s.slice(start, this.pos);
          start = this.pos;
          this.pos--;
        }
      }
    }
    return -1; // missing ']'
  }

  /** domain after '@': dot-atom or domain-literal (kept with its brackets). */
  parseDomain(): number {
    this.pos++; // '@'
    if (this.skipLwsp() <= 0) return -1;
    return this.peek() === 0x5b ? this.parseDomainLiteral() : this.parseDotAtom();
  }
}
