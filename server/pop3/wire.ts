// POP3 request framing and grammar (RFC 1939 §3, RFC 2449 §3-4, RFC 2595 §4, RFC 5034 §4): the
// client's byte stream → lines → typed commands. No socket inside; table tests feed it byte by byte.
//
// Invariants:
// - A line ends at LF; one CR before it is removed (a bare-LF client is tolerated). Bytes are kept only
//   up to the limit the caller passes to next(): a line longer than that is skipped up to its LF
//   without keeping its bytes and reported once, as `too-long`, where it ends — so replies stay in
//   command order and memory per line is bounded.
// - The limit is per call because POP3 has two kinds of line: commands (RFC 2449 §4 says 255 octets;
//   we accept up to MAX_COMMAND_LINE_BYTES) and SASL responses during AUTH, which RFC 5034 §4 exempts
//   from that limit (bounded here by MAX_SASL_LINE_BYTES).
// - Queued, unprocessed input is the caller's to bound: pause the socket while `bufferedBytes` is large.
// - parseCommand never throws anything but Pop3Error; keywords are case-insensitive, arguments are
//   separated by one space (RFC 1939 §3). PASS takes the rest of the line, spaces included (§7).
import { Pop3Error } from './errors.js';

/** RFC 2449 §4 allows 255 octets; some clients send longer USER lines, and being liberal costs nothing. */
export const MAX_COMMAND_LINE_BYTES = 1024;
/** Base64 of the largest SASL response the auth layer accepts (8 KiB), with room to spare. */
export const MAX_SASL_LINE_BYTES = 12 * 1024;

export type FramedLine = { readonly kind: 'line'; readonly line: Buffer } | { readonly kind: 'too-long'; readonly limit: number };

const LF = 0x0a;
const CR = 0x0d;

export class LineFramer {
  private pending: Buffer = Buffer.alloc(0);
  /** Inside an over-long line: its bytes are being dropped up to the next LF. */
  private skipping = false;
  private skipLimit = 0;

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
  }

  /** The next complete line no longer than `limit` bytes (CRLF excluded), or null until more bytes come. */
  next(limit: number): FramedLine | null {
    const lf = this.pending.indexOf(LF);
    if (lf < 0) {
      // A line can be limit bytes plus its CR; anything beyond cannot become a valid line.
      if (this.pending.length > limit + 1) {
        this.skipping = true;
        this.skipLimit = limit;
        this.pending = Buffer.alloc(0);
      }
      return null;
    }
    const end = lf > 0 && this.pending[lf - 1] === CR ? lf - 1 : lf;
    const line = this.pending.subarray(0, end);
    this.pending = this.pending.subarray(lf + 1);
    if (this.skipping) {
      this.skipping = false;
      return { kind: 'too-long', limit: this.skipLimit };
    }
    if (line.length > limit) return { kind: 'too-long', limit };
    // A copy, so a short line does not keep a large received chunk alive.
    return { kind: 'line', line: Buffer.from(line) };
  }

  get bufferedBytes(): number {
    return this.pending.length;
  }

  /** A line has started arriving. */
  get midRequest(): boolean {
    return this.pending.length > 0;
  }

  /**
   * Drops everything queued. After STLS, plaintext the client sent behind the command must not be
   * read as if it had come over TLS (RFC 2595 §4, the STARTTLS command-injection attack).
   */
  discard(): number {
    const dropped = this.pending.length;
    this.pending = Buffer.alloc(0);
    this.skipping = false;
    return dropped;
  }
}

type NoArguments = Record<never, never>;

/** Each command's arguments, by keyword. */
interface CommandArguments {
  USER: { readonly username: string };
  PASS: { readonly password: string };
  AUTH: { readonly mechanism: string | null; readonly initialResponse: string | null };
  STLS: NoArguments;
  CAPA: NoArguments;
  QUIT: NoArguments;
  STAT: NoArguments;
  NOOP: NoArguments;
  RSET: NoArguments;
  LIST: { readonly message: number | null };
  UIDL: { readonly message: number | null };
  RETR: { readonly message: number };
  DELE: { readonly message: number };
  TOP: { readonly message: number; readonly lines: number };
}

export type Pop3CommandName = keyof CommandArguments;
export type Pop3Command = { [N in Pop3CommandName]: { readonly name: N } & CommandArguments[N] }[Pop3CommandName];
export type CommandOf<N extends Pop3CommandName> = Extract<Pop3Command, { name: N }>;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const KEYWORD = /^[A-Za-z]{3,4}$/;
const NUMBER = /^\d{1,9}$/;

/** Whether text holds a control character (or, unless spaces are allowed, a space). */
function hasControl(text: string, spaceAllowed: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || (c === 0x20 && !spaceAllowed)) return true;
  }
  return false;
}

/** The upper-case keyword of a line, for logs and errors; null when the line has none. */
export function keywordOf(line: Buffer): string | null {
  const head = line.subarray(0, 5).toString('latin1').split(' ', 1)[0];
  return KEYWORD.test(head) ? head.toUpperCase() : null;
}

export function parseCommand(line: Buffer): Pop3Command {
  let text: string;
  try {
    text = strictUtf8.decode(line);
  } catch {
    throw new Pop3Error('Command is not valid UTF-8');
  }
  const space = text.indexOf(' ');
  const keyword = (space < 0 ? text : text.slice(0, space)).toUpperCase();
  const rest = space < 0 ? null : text.slice(space + 1);
  if (!KEYWORD.test(keyword)) throw new Pop3Error(keyword === '' ? 'Empty command' : 'Unknown command');
  // PASS takes everything after the first space: passwords may contain spaces (RFC 1939 §7).
  if (keyword === 'PASS') {
    if (rest === null || rest === '' || hasControl(rest, true)) throw new Pop3Error('Syntax: PASS password');
    return { name: 'PASS', password: rest };
  }
  // Trailing spaces are forgiven (some old clients send `STAT `); PASS above keeps them, they may be the password's.
  const trimmed = rest?.replace(/ +$/, '') ?? '';
  const args = trimmed === '' ? [] : trimmed.split(' ');
  if (args.some((a) => a === '' || hasControl(a, false))) throw new Pop3Error(`Syntax error in the arguments of ${keyword}`);
  const arity = (min: number, max: number, usage: string) => {
    if (args.length < min || args.length > max) throw new Pop3Error(`Syntax: ${usage}`);
  };
  switch (keyword) {
    case 'STLS':
    case 'CAPA':
    case 'QUIT':
    case 'STAT':
    case 'NOOP':
    case 'RSET':
      arity(0, 0, keyword);
      return { name: keyword };
    case 'USER':
      arity(1, 1, 'USER name');
      return { name: 'USER', username: args[0] };
    case 'AUTH':
      // RFC 5034 §4: AUTH mechanism [initial-response]; a bare AUTH lists the mechanisms (RFC 1734 clients).
      arity(0, 2, 'AUTH mechanism [initial-response]');
      return { name: 'AUTH', mechanism: args[0]?.toUpperCase() ?? null, initialResponse: args[1] ?? null };
    case 'LIST':
    case 'UIDL':
      arity(0, 1, `${keyword} [msg]`);
      return { name: keyword, message: args.length === 0 ? null : messageNumber(args[0]) };
    case 'RETR':
    case 'DELE':
      arity(1, 1, `${keyword} msg`);
      return { name: keyword, message: messageNumber(args[0]) };
    case 'TOP':
      arity(2, 2, 'TOP msg n');
      return { name: 'TOP', message: messageNumber(args[0]), lines: lineCount(args[1]) };
    default:
      throw new Pop3Error('Unknown command');
  }
}

/** RFC 1939 §3: msg is a message-number, 1 up to the number of messages. */
function messageNumber(arg: string): number {
  if (!NUMBER.test(arg) || Number(arg) === 0) throw new Pop3Error(`Invalid message number: ${arg}`);
  return Number(arg);
}

/** RFC 1939 §7 (TOP): n is a non-negative number of lines; a huge n means the whole body. */
function lineCount(arg: string): number {
  if (!/^\d{1,20}$/.test(arg)) throw new Pop3Error(`Invalid number of lines: ${arg}`);
  return Math.min(Number(arg), Number.MAX_SAFE_INTEGER);
}
