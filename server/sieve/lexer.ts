// The Sieve lexer (RFC 5228 §8.1): script text to tokens with their line and column.
//
// Invariants:
// - Input is the script as a JS string (decoded from UTF-8 by the caller); columns count UTF-16
//   code units from 1. CRLF and bare LF both end a line.
// - Comments and whitespace produce no tokens; the token list always ends with an 'eof' token.
// - Quoted strings are unescaped ("\x" is x, RFC 5228 §2.4.2); multi-line strings ("text:")
//   lose their dot-stuffing and keep CRLF line ends. Encoded characters and variables are not
//   expanded here: that depends on the script's require list.
// - Numbers carry their K/M/G multiplier applied; values above MAX_NUMBER are refused.
// - Every problem is a SieveError at the offending position; the lexer never loops without
//   consuming input.

import { SieveError, type Position } from './errors.js';
import { MAX_NUMBER } from './limits.js';

export type TokenType = 'identifier' | 'tag' | 'number' | 'string' | 'punct' | 'eof';

export interface Token extends Position {
  type: TokenType;
  /** identifier/tag name (tag without ':', lower-cased), string value, or the punctuation char. */
  text: string;
  /** For numbers only. */
  value: number;
  /** For strings only: written as "text:" multi-line. */
  multiline: boolean;
}

const PUNCT = '[](){},;';
const QUANTIFIERS: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

function isAlpha(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

class Scanner {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  readonly tokens: Token[] = [];

  constructor(private readonly src: string) {}

  private here(): Position {
    return { line: this.line, column: this.pos - this.lineStart + 1 };
  }

  private fail(message: string, at: Position = this.here()): never {
    throw new SieveError(message, at);
  }

  /** Advances past one character, keeping line accounting. */
  private advance(): string {
    const c = this.src[this.pos++];
    if (c === '\n') {
      this.line++;
      this.lineStart = this.pos;
    }
    return c;
  }

  private push(type: TokenType, text: string, at: Position, value = 0, multiline = false): void {
    this.tokens.push({ type, text, value, multiline, ...at });
  }

  run(): Token[] {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src[this.pos];
      const at = this.here();
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') this.advance();
      else if (c === '#') this.skipLine();
      else if (c === '/' && src[this.pos + 1] === '*') this.skipBracketComment(at);
      else if (c === '"') this.push('string', this.quoted(at), at);
      else if (PUNCT.includes(c)) {
        this.advance();
        this.push('punct', c, at);
      } else if (c === ':') {
        this.advance();
        if (!isAlpha(src[this.pos] ?? '')) this.fail('":" must be followed by a tag name, as in ":is".', at);
        this.push('tag', this.identifier().toLowerCase(), at);
      } else if (isDigit(c)) this.number(at);
      else if (isAlpha(c)) {
        const name = this.identifier();
        if (name.toLowerCase() === 'text' && src[this.pos] === ':') {
          this.advance();
          this.push('string', this.multiline(at), at, 0, true);
        } else this.push('identifier', name.toLowerCase(), at);
      } else this.fail(`unexpected character ${JSON.stringify(c)}.`, at);
    }
    this.push('eof', '', this.here());
    return this.tokens;
  }

  private identifier(): string {
    const start = this.pos;
    while (this.pos < this.src.length && (isAlpha(this.src[this.pos]) || isDigit(this.src[this.pos]))) this.pos++;
    return this.src.slice(start, this.pos);
  }

  private number(at: Position): void {
    const start = this.pos;
    while (this.pos < this.src.length && isDigit(this.src[this.pos])) this.pos++;
    let value = Number(this.src.slice(start, this.pos));
    const q = (this.src[this.pos] ?? '').toLowerCase();
    if (q in QUANTIFIERS) {
      value *= QUANTIFIERS[q];
      this.pos++;
    }
    if (isAlpha(this.src[this.pos] ?? '')) this.fail('a number may only be followed by K, M or G.', this.here());
    if (value > MAX_NUMBER) this.fail(`number too large (the largest is ${MAX_NUMBER}).`, at);
    this.push('number', this.src.slice(start, this.pos), at, value);
  }

  private skipLine(): void {
    while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
  }

  private skipBracketComment(at: Position): void {
    const end = this.src.indexOf('*/', this.pos + 2);
    if (end === -1) this.fail('comment "/*" is never closed with "*/".', at);
    while (this.pos < end + 2) this.advance();
  }

  private quoted(at: Position): string {
    this.advance();
    let out = '';
    for (;;) {
      if (this.pos >= this.src.length) this.fail('string is never closed with a double quote.', at);
      const c = this.advance();
      if (c === '"') return out;
      if (c === '\\') {
        if (this.pos >= this.src.length) this.fail('string is never closed with a double quote.', at);
        out += this.advance();
      } else out += c;
    }
  }

  /** After "text:": optional blanks and a comment, then lines up to a line holding only ".". */
  private multiline(at: Position): string {
    while (this.src[this.pos] === ' ' || this.src[this.pos] === '\t') this.pos++;
    if (this.src[this.pos] === '#') this.skipLine();
    else if (this.src[this.pos] === '\r') this.pos++;
    if (this.src[this.pos] !== '\n') this.fail('"text:" must be followed by the end of the line.', this.here());
    this.advance();
    const lines: string[] = [];
    for (;;) {
      if (this.pos >= this.src.length) this.fail('multi-line string is never ended with a line holding only ".".', at);
      const nl = this.src.indexOf('\n', this.pos);
      const end = nl === -1 ? this.src.length : nl;
      const line = this.src.slice(this.pos, end > this.pos && this.src[end - 1] === '\r' ? end - 1 : end);
      while (this.pos < end) this.pos++;
      if (nl !== -1) this.advance();
      if (line === '.') return lines.map((l) => l + '\r\n').join('');
      lines.push(line.startsWith('.') ? line.slice(1) : line);
    }
  }
}

/** Splits a script into tokens; throws SieveError at the first bad character. */
export function tokenize(source: string): Token[] {
  return new Scanner(source).run();
}
