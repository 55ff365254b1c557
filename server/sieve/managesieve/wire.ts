// ManageSieve request framing and tokens (RFC 5804 §4): the client's byte stream → commands made of
// an atom and string/number arguments. No socket inside; tests feed it byte by byte.
//
// Invariants:
// - A command ends at LF (one CR before it is dropped); strings are quoted ("\" escapes only '"' and
//   '\', at most MAX_QUOTED_BYTES) or literals "{N+}" / "{N}" followed by CRLF and N octets (the
//   server never sends continuation requests, so both forms are read the same way).
// - Bounded memory: the non-literal part of a command is at most MAX_LINE_BYTES and a literal at
//   most MAX_LITERAL_BYTES; a longer literal is reported once as `too-big` and its bytes, with the
//   rest of its line, are dropped as they arrive without being kept.
// - Strings must be UTF-8; the framer reports malformed input as `bad` with a reason, after dropping
//   the rest of that line, so the session can answer NO and go on.

import { MAX_SCRIPT_SIZE } from '../limits.js';

export const MAX_LINE_BYTES = 8 * 1024;
export const MAX_QUOTED_BYTES = 1024;
/** A script literal may be as large as a script plus room for a byte-order mark or line ends. */
export const MAX_LITERAL_BYTES = MAX_SCRIPT_SIZE + 1024;

export type Argument = { type: 'string'; value: string } | { type: 'number'; value: number };

export type Framed =
  | { kind: 'command'; name: string; args: Argument[] }
  | { kind: 'bad'; reason: string }
  | { kind: 'too-big'; size: number };

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const utf8 = new TextDecoder('utf-8', { fatal: true });

class Incomplete {}
class Malformed {
  constructor(
    readonly reason: string,
    /** Where parsing stopped: the rest of the line from here on is dropped. */
    readonly at: number,
  ) {}
}
class TooBig {
  constructor(
    readonly size: number,
    readonly skip: number,
  ) {}
}

function text(bytes: Buffer): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

export class RequestFramer {
  private pending: Buffer = Buffer.alloc(0);
  /** Literal bytes still to drop, then the rest of that line. */
  private skipBytes = 0;
  private skipLine = false;

  get bufferedBytes(): number {
    return this.pending.length;
  }

  /** A command (or a literal being skipped) has started arriving and is not complete yet. */
  get midRequest(): boolean {
    return this.pending.length > 0 || this.skipBytes > 0;
  }

  push(chunk: Buffer): void {
    if (this.skipBytes > 0) {
      const dropped = Math.min(this.skipBytes, chunk.length);
      this.skipBytes -= dropped;
      chunk = chunk.subarray(dropped);
    }
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
  }

  /** Drops queued input (at STARTTLS). */
  discard(): number {
    const n = this.pending.length;
    this.pending = Buffer.alloc(0);
    return n;
  }

  /** The next framed command, or null until more bytes come. `bare`: a line of arguments only (a
   * SASL response during AUTHENTICATE), returned with the name "". */
  next(bare = false): Framed | null {
    if (this.skipBytes > 0) return null;
    if (this.skipLine) {
      const lf = this.pending.indexOf(LF);
      if (lf < 0) {
        this.pending = Buffer.alloc(0);
        return null;
      }
      this.pending = this.pending.subarray(lf + 1);
      this.skipLine = false;
    }
    try {
      const { name, args, end } = this.parse(bare);
      this.pending = this.pending.subarray(end);
      return { kind: 'command', name, args };
    } catch (e) {
      if (e instanceof Incomplete) return null;
      if (e instanceof TooBig) {
        this.pending = Buffer.alloc(0);
        this.skipBytes = e.skip;
        this.skipLine = true;
        return { kind: 'too-big', size: e.size };
      }
      if (e instanceof Malformed) {
        const lf = this.pending.indexOf(LF, e.at);
        if (lf < 0) {
          this.pending = Buffer.alloc(0);
          this.skipLine = true;
        } else this.pending = this.pending.subarray(lf + 1);
        return { kind: 'bad', reason: e.reason };
      }
      throw e;
    }
  }

  private parse(bare: boolean): { name: string; args: Argument[]; end: number } {
    const buf = this.pending;
    let pos = 0;
    let literalBytes = 0;
    const bad = (reason: string): Malformed => new Malformed(reason, pos);
    const string = (bytes: Buffer): Argument => {
      const value = text(bytes);
      if (value === null) throw bad('strings must be UTF-8');
      return { type: 'string', value };
    };
    const need = (n: number): void => {
      if (pos - literalBytes > MAX_LINE_BYTES) throw bad(`command line longer than ${MAX_LINE_BYTES} bytes`);
      if (pos + n > buf.length) throw new Incomplete();
    };
    const atom = (): string => {
      const start = pos;
      while (pos < buf.length && /[A-Za-z0-9_.-]/.test(String.fromCharCode(buf[pos]))) pos++;
      need(1);
      return buf.toString('latin1', start, pos);
    };
    need(1);
    const name = bare ? '' : atom().toUpperCase();
    if (name === '' && !bare) throw bad('expected a command name');
    const args: Argument[] = [];
    for (;;) {
      need(1);
      if (buf[pos] === LF || (buf[pos] === CR && (need(2), buf[pos + 1] === LF))) {
        pos += buf[pos] === CR ? 2 : 1;
        return { name, args, end: pos };
      }
      if (!(bare && args.length === 0)) {
        if (buf[pos] !== SP) throw bad('expected a space between arguments');
        pos++;
      }
      need(1);
      const c = buf[pos];
      if (c === DQUOTE) {
        pos++;
        const parts: number[] = [];
        for (;;) {
          need(1);
          const b = buf[pos++];
          if (b === DQUOTE) break;
          if (b === CR || b === LF) throw bad('quoted string not closed before the end of the line');
          if (b === BACKSLASH) {
            need(1);
            const e = buf[pos++];
            if (e !== DQUOTE && e !== BACKSLASH) throw bad('only \\" and \\\\ may be escaped in a quoted string');
            parts.push(e);
          } else parts.push(b);
          if (parts.length > MAX_QUOTED_BYTES) throw bad(`quoted string longer than ${MAX_QUOTED_BYTES} bytes; use a literal`);
        }
        args.push(string(Buffer.from(parts)));
      } else if (c === 0x7b) {
        const close = buf.indexOf('}', pos);
        if (close < 0) {
          if (buf.length - pos > 24) throw bad('bad literal');
          throw new Incomplete();
        }
        const m = /^\{(\d{1,10})\+?\}$/.exec(buf.toString('latin1', pos, close + 1));
        if (m === null) throw bad('bad literal: expected {N+}');
        pos = close + 1;
        need(1);
        if (buf[pos] === CR) {
          need(2);
          pos++;
        }
        if (buf[pos] !== LF) throw bad('a literal\'s size must end its line');
        pos++;
        const size = Number(m[1]);
        if (size > MAX_LITERAL_BYTES) throw new TooBig(size, Math.max(0, size - (buf.length - pos)));
        need(size);
        pos += size;
        args.push(string(buf.subarray(pos - size, pos)));
        literalBytes += size;
        continue;
      } else if (c >= 0x30 && c <= 0x39) {
        const start = pos;
        while (pos < buf.length && buf[pos] >= 0x30 && buf[pos] <= 0x39) pos++;
        need(1);
        if (pos - start > 15) throw bad('number too large');
        args.push({ type: 'number', value: Number(buf.toString('latin1', start, pos)) });
      } else throw bad('expected a string or a number');
    }
  }
}
