// IMAP request framing (RFC 3501 §2.2, §4.3, §7.5; RFC 7888 LITERAL+): turns the client's byte stream
// into whole requests, with no socket and no grammar inside.
//
// Invariants:
// - A request is its command lines (CRLF removed; a bare LF is accepted too) and, between them, the
//   literal bytes each line announced with a trailing `{n}` / `{n+}`. The announcement stays at the end
//   of its line so the tokenizer finds the literal where the grammar puts it.
// - Memory per command is bounded: line bytes (all lines of one command, literals excluded) by
//   maxLineBytes, literal bytes (sum over the command) by maxAppendBytes for APPEND and
//   maxLiteralBytes otherwise. A literal's size is checked against the limit before any of its bytes
//   are kept, and bytes are kept only as they arrive (an announcement alone allocates nothing).
// - A command over a limit is never partly delivered: the framer keeps framing it without keeping its
//   bytes and reports `rejected` once, where the command ends, so responses stay in command order.
//   · line too long: the rest of the line is skipped up to its LF (only the last bytes are kept, to
//     see whether the line ends in a literal announcement);
//   · synchronizing literal over the limit: the command ends at that line — the client waits for a
//     `+` that never comes, gets the tagged BAD/NO [TOOBIG] instead and sends nothing more (§7.5);
//   · non-synchronizing literal over the limit: its bytes are read and discarded (RFC 7888 §4 lets the
//     server consume them or close; consuming keeps the connection usable). A `{n+}` whose n is not a
//     32-bit number cannot be skipped reliably, so that one is `fatal`: answer BYE and close.
// - Pull-based: push() only queues bytes; events are produced as the caller iterates, so the session
//   can switch to raw-line mode (expectLine) between a command and the bytes that follow it. Queued,
//   unprocessed input is the caller's to bound: pause the socket while `bufferedBytes` is large.

import { isTagChar, type ImapRequest } from './tokens.js';

export type { ImapRequest };


export interface FramerLimits {
  /** Command line bytes, summed over the lines of one command, literals excluded. */
  readonly maxLineBytes: number;
  /** Literal bytes, summed over one command other than APPEND. */
  readonly maxLiteralBytes: number;
  /** Literal bytes of one APPEND (the message). */
  readonly maxAppendBytes: number;
}

export const DEFAULT_FRAMER_LIMITS: FramerLimits = {
  maxLineBytes: 64 * 1024,
  maxLiteralBytes: 1024 * 1024,
  maxAppendBytes: 64 * 1024 * 1024,
};

/** RFC 3501 §9: `number` is an unsigned 32-bit integer; a larger literal size is not IMAP. */
const MAX_LITERAL_SIZE = 0xffffffff;
/** How much of an over-long line is kept: enough to hold `{4294967295+}` and then some. */
const TAIL_BYTES = 32;
/** How much of a command's first line is kept to name its tag and command in a rejection. */
const HEAD_BYTES = 128;
const LITERAL_AT_END = /\{(\d+)(\+?)\}$/;

export type RejectReason = 'line-too-long' | 'literal-too-large';

export type FramerEvent =
  /** A complete command, ready for parseCommand. */
  | { readonly kind: 'request'; readonly request: ImapRequest }
  /** A synchronizing literal was accepted: send a continuation (`+ Ready`) now. */
  | { readonly kind: 'needs-literal'; readonly size: number }
  /** A command over a limit ended (its bytes were dropped): answer `BAD` or, for APPEND, `NO [TOOBIG]`. */
  | {
      readonly kind: 'rejected';
      readonly reason: RejectReason;
      readonly tag: string | null;
      /** The command name (upper case; `UID` for UID commands), when it could be read. */
      readonly command: string | null;
      readonly limit: number;
    }
  /** The raw line asked for with expectLine(). */
  | { readonly kind: 'line'; readonly line: Buffer }
  /** The stream can no longer be framed (an unskippable literal): send BYE and close. */
  | { readonly kind: 'fatal'; readonly tag: string | null; readonly reason: string };

/** A finished line without its CRLF; an over-long line is only its last bytes. */
interface Line {
  readonly bytes: Buffer;
  readonly overLong: boolean;
}

interface Rejection {
  readonly reason: RejectReason;
  readonly limit: number;
}

export class ImapFramer {
  private readonly limits: FramerLimits;
  private readonly input: Buffer[] = [];
  private inputHead = 0;
  private buffered = 0;
  private rawLine = false;
  private closed = false;

  // The line being read.
  private lineParts: Buffer[] = [];
  private lineLength = 0;
  private tail: Buffer | null = null; // set once the line is over the limit

  // The command being read.
  private lines: Buffer[] = [];
  private literals: Buffer[] = [];
  private lineBytes = 0;
  private literalBytes = 0;
  private head: { tag: string | null; command: string | null } | null = null;
  private rejection: Rejection | null = null;
  private literalRemaining = -1; // ≥ 0 while reading literal bytes
  private literalParts: Buffer[] = [];

  constructor(limits: Partial<FramerLimits> = {}) {
    this.limits = { ...DEFAULT_FRAMER_LIMITS, ...limits };
  }

  /** Bytes received but not yet framed. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** A command has started arriving (a partial line, or lines and literals of an unfinished one). */
  get midRequest(): boolean {
    return this.buffered > 0 || this.lineLength > 0 || this.lines.length > 0 || this.literalRemaining >= 0;
  }

  /** Queues `chunk` and iterates the events it completes (lazily: see expectLine). */
  push(chunk: Buffer): IterableIterator<FramerEvent> {
    if (chunk.length > 0 && !this.closed) {
      this.input.push(chunk);
      this.buffered += chunk.length;
    }
    return this.events();
  }

  /**
   * The next line is raw, not a command: the client's reply to an AUTHENTICATE challenge or the
   * `DONE` that ends IDLE. One line only; framing of commands resumes after it. Call it between
   * commands, right after handling the request that asked for it.
   */
  expectLine(): void {
    if (this.lines.length > 0 || this.lineLength > 0 || this.literalRemaining >= 0) {
      throw new Error('expectLine() called in the middle of a command');
    }
    this.rawLine = true;
  }

  /** The next event, or null when more input is needed. */
  next(): FramerEvent | null {
    while (!this.closed) {
      if (this.literalRemaining >= 0) {
        if (!this.readLiteral()) return null;
        continue;
      }
      const line = this.readLine();
      if (line === null) return null;
      const event = this.rawLine ? this.finishRawLine(line) : this.addCommandLine(line);
      if (event !== null) return event;
    }
    return null;
  }

  private *events(): IterableIterator<FramerEvent> {
    for (let event = this.next(); event !== null; event = this.next()) yield event;
  }

  private finishRawLine({ bytes, overLong }: Line): FramerEvent {
    this.rawLine = false;
    if (!overLong) return { kind: 'line', line: bytes };
    return { kind: 'rejected', reason: 'line-too-long', tag: null, command: null, limit: this.limits.maxLineBytes };
  }

  /** Adds a finished command line; returns the event it causes, if any. */
  private addCommandLine({ bytes, overLong }: Line): FramerEvent | null {
    if (this.head === null) this.head = sniffHead(bytes);
    if (overLong) this.reject('line-too-long', this.limits.maxLineBytes);
    else if (this.rejection === null) {
      this.lines.push(bytes);
      this.lineBytes += bytes.length;
    }

    const announced = LITERAL_AT_END.exec(bytes.toString('latin1', Math.max(0, bytes.length - TAIL_BYTES)));
    if (announced === null) return this.endCommand();
    const size = announced[1].length > 10 ? Infinity : Number(announced[1]);
    const sync = announced[2] === '';
    if (this.rejection === null) {
      const limit = this.head.command === 'APPEND' ? this.limits.maxAppendBytes : this.limits.maxLiteralBytes;
      if (size > limit - this.literalBytes) this.reject('literal-too-large', limit);
    }
    if (sync) {
      if (this.rejection !== null) return this.endCommand();
      this.literalRemaining = size;
      return { kind: 'needs-literal', size };
    }
    if (size > MAX_LITERAL_SIZE) {
      this.closed = true;
      return { kind: 'fatal', tag: this.head.tag, reason: 'Invalid non-synchronizing literal size' };
    }
    this.literalRemaining = size;
    return null;
  }

  private reject(reason: RejectReason, limit: number): void {
    if (this.rejection !== null) return;
    this.rejection = { reason, limit };
    this.lines = [];
    this.literals = [];
  }

  private endCommand(): FramerEvent {
    const head = this.head ?? { tag: null, command: null };
    const event: FramerEvent =
      this.rejection === null
        ? { kind: 'request', request: { lines: this.lines, literals: this.literals } }
        : { kind: 'rejected', reason: this.rejection.reason, limit: this.rejection.limit, ...head };
    this.lines = [];
    this.literals = [];
    this.lineBytes = 0;
    this.literalBytes = 0;
    this.head = null;
    this.rejection = null;
    return event;
  }

  /** Reads literal bytes; true once the literal is complete. */
  private readLiteral(): boolean {
    while (this.literalRemaining > 0 && this.input.length > 0) {
      const chunk = this.input[0];
      const n = Math.min(this.literalRemaining, chunk.length - this.inputHead);
      if (this.rejection === null) this.literalParts.push(chunk.subarray(this.inputHead, this.inputHead + n));
      this.consume(n);
      this.literalRemaining -= n;
    }
    if (this.literalRemaining > 0) return false;
    if (this.rejection === null) {
      const literal = this.literalParts.length === 1 ? this.literalParts[0] : Buffer.concat(this.literalParts);
      this.literals.push(literal);
      this.literalBytes += literal.length;
    }
    this.literalParts = [];
    this.literalRemaining = -1;
    return true;
  }

  /** Reads up to the next LF. */
  private readLine(): Line | null {
    while (this.input.length > 0) {
      const chunk = this.input[0];
      const lf = chunk.indexOf(0x0a, this.inputHead);
      const end = lf === -1 ? chunk.length : lf;
      this.appendToLine(chunk.subarray(this.inputHead, end));
      this.consume(end - this.inputHead + (lf === -1 ? 0 : 1));
      if (lf !== -1) return this.finishLine();
    }
    return null;
  }

  private appendToLine(piece: Buffer): void {
    if (piece.length === 0) return;
    this.lineLength += piece.length;
    if (this.tail !== null) {
      this.tail = lastBytes(Buffer.concat([this.tail, lastBytes(piece, TAIL_BYTES)]), TAIL_BYTES);
      return;
    }
    this.lineParts.push(piece);
    // One byte of slack: the CR of the CRLF is still on the line until the LF arrives.
    if (this.lineLength > this.lineLimit() + 1) this.overflow(Buffer.concat(this.lineParts));
  }

  private lineLimit(): number {
    return this.rawLine ? this.limits.maxLineBytes : this.limits.maxLineBytes - this.lineBytes;
  }

  private overflow(line: Buffer): void {
    if (!this.rawLine && this.head === null) this.head = sniffHead(line);
    this.tail = lastBytes(line, TAIL_BYTES);
    this.lineParts = [];
  }

  private finishLine(): Line {
    let overLong = this.tail !== null;
    let bytes = withoutCr(this.tail ?? (this.lineParts.length === 1 ? this.lineParts[0] : Buffer.concat(this.lineParts)));
    if (!overLong && bytes.length > this.lineLimit()) {
      overLong = true;
      this.overflow(bytes);
      bytes = lastBytes(bytes, TAIL_BYTES);
    }
    this.lineParts = [];
    this.lineLength = 0;
    this.tail = null;
    return { bytes, overLong };
  }

  private consume(n: number): void {
    this.inputHead += n;
    this.buffered -= n;
    if (this.inputHead === this.input[0].length) {
      this.input.shift();
      this.inputHead = 0;
    }
  }
}

function withoutCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, line.length - 1) : line;
}

function lastBytes(buffer: Buffer, n: number): Buffer {
  return buffer.length <= n ? buffer : buffer.subarray(buffer.length - n);
}

/** Tag and command name of a command's first line, as far as they can be read (for rejections). */
function sniffHead(line: Buffer): { tag: string | null; command: string | null } {
  let space = 0;
  while (space < line.length && space < HEAD_BYTES && isTagChar(line[space])) space++;
  if (space === 0 || line[space] !== 0x20) return { tag: null, command: null };
  const command = /^[A-Za-z]+/.exec(line.toString('latin1', space + 1, HEAD_BYTES));
  return { tag: line.toString('latin1', 0, space), command: command?.[0].toUpperCase() ?? null };
}
