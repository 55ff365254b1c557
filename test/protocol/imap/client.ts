// A scripted IMAP client over a raw socket for protocol tests (STYLE "Tests"): sends tagged commands,
// reads responses (literals included), parses them into values and compares structurally — never by
// matching a whole transcript. Every read is bounded by READ_TIMEOUT_MS so a broken server fails the
// test instead of hanging it; that bound is a guard, not an assertion about speed.
import assert from 'node:assert/strict';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { constants, createDeflateRaw, createInflateRaw, type DeflateRaw, type InflateRaw } from 'node:zlib';

const READ_TIMEOUT_MS = 10_000;

/** A parsed value: atoms and strings as strings, numbers as numbers, NIL as null, lists as arrays. */
export type Value = string | number | null | Value[];

export interface Response {
  /** `*`, `+`, or the command's tag. */
  tag: string;
  /** The whole response as received, without its final CRLF. */
  raw: Buffer;
  /** Everything after the tag, parsed (status responses: the status word, then the text as one string). */
  values: Value[];
  /** OK / NO / BAD / BYE / PREAUTH for status responses. */
  status?: string;
  /** The response code between brackets, as sent (`UIDNEXT 5`). */
  code?: string;
  text?: string;
}

export interface Result {
  untagged: Response[];
  tagged: Response;
}

const STATUS = new Set(['OK', 'NO', 'BAD', 'BYE', 'PREAUTH']);

/** Index just past the CRLF that ends the response starting at 0, or -1 when incomplete. */
function responseEnd(buffer: Buffer): number {
  let from = 0;
  for (;;) {
    const crlf = buffer.indexOf('\r\n', from);
    if (crlf === -1) return -1;
    const literal = /\{(\d+)\}$/.exec(buffer.toString('latin1', Math.max(from, crlf - 20), crlf));
    if (literal === null) return crlf + 2;
    from = crlf + 2 + Number(literal[1]);
    if (from > buffer.length) return -1;
  }
}

class Parser {
  pos = 0;
  constructor(private readonly b: Buffer) {}

  values(end = -1): Value[] {
    const out: Value[] = [];
    for (;;) {
      while (this.b[this.pos] === 0x20) this.pos++;
      if (this.pos >= this.b.length) {
        if (end !== -1) throw new Error(`unterminated list in ${this.b.toString('latin1')}`);
        return out;
      }
      const c = this.b[this.pos];
      if (c === end) {
        this.pos++;
        return out;
      }
      if (c === 0x28) {
        this.pos++;
        out.push(this.values(0x29));
      } else if (c === 0x22) out.push(this.quoted());
      else if (c === 0x7b) out.push(this.literal());
      else if (c === 0x7e && this.b[this.pos + 1] === 0x7b) {
        this.pos++; // literal8 (RFC 3516): `~{n}`
        out.push(this.literal());
      } else out.push(this.atom());
    }
  }

  quoted(): string {
    let s = '';
    for (this.pos++; this.b[this.pos] !== 0x22; this.pos++) {
      if (this.pos >= this.b.length) throw new Error('unterminated quoted string');
      if (this.b[this.pos] === 0x5c) this.pos++;
      s += String.fromCharCode(this.b[this.pos]);
    }
    this.pos++;
    return Buffer.from(s, 'latin1').toString('utf8');
  }

  literal(): string {
    const close = this.b.indexOf('}', this.pos);
    const size = Number(this.b.toString('latin1', this.pos + 1, close));
    const start = close + 3;
    this.pos = start + size;
    return this.b.toString('latin1', start, start + size);
  }

  atom(): Value {
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.b.length) {
      const c = this.b[this.pos];
      if (c === 0x5b) depth++;
      else if (c === 0x5d) depth--;
      else if (depth === 0 && (c === 0x20 || c === 0x28 || c === 0x29)) break;
      this.pos++;
    }
    const text = this.b.toString('latin1', start, this.pos);
    if (text === 'NIL') return null;
    return /^\d+$/.test(text) ? Number(text) : text;
  }
}

export function parseResponse(raw: Buffer): Response {
  const space = raw.indexOf(0x20);
  const tag = raw.toString('latin1', 0, space === -1 ? raw.length : space);
  const rest = space === -1 ? Buffer.alloc(0) : raw.subarray(space + 1);
  if (tag === '+') return { tag, raw, values: [], text: rest.toString('utf8') };
  const word = rest.toString('latin1', 0, rest.indexOf(0x20) === -1 ? rest.length : rest.indexOf(0x20));
  if (STATUS.has(word)) {
    let text = rest.toString('utf8', word.length + 1);
    let code: string | undefined;
    if (text.startsWith('[')) {
      const close = text.indexOf(']');
      code = text.slice(1, close);
      text = text.slice(close + 2);
    }
    return { tag, raw, values: [word, text], status: word, code, text };
  }
  return { tag, raw, values: new Parser(rest).values() };
}

export class ImapTestClient {
  private buffer = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  private ended = false;
  private counter = 0;
  /** COMPRESS=DEFLATE's two streams, once on. */
  private deflate: { out: DeflateRaw; in: InflateRaw } | null = null;
  /** Compressed bytes received (after COMPRESS), for checking that the server really compresses. */
  compressedBytesIn = 0;
  greeting!: Response;

  private constructor(private socket: Socket) {
    this.listen(socket);
  }

  static async connect(port: number, options: { tls?: boolean; host?: string; localAddress?: string } = {}): Promise<ImapTestClient> {
    const plain = netConnect({ port, host: options.host ?? '127.0.0.1', localAddress: options.localAddress });
    await new Promise<void>((resolve, reject) => {
      plain.once('connect', () => resolve());
      plain.once('error', reject);
    });
    const client = new ImapTestClient(options.tls ? await handshake(plain) : plain);
    client.greeting = await client.read();
    return client;
  }

  get encrypted(): boolean {
    return (this.socket as TLSSocket).encrypted === true;
  }

  send(data: string | Buffer): void {
    if (this.deflate === null) this.socket.write(data);
    else {
      this.deflate.out.write(data);
      this.deflate.out.flush(constants.Z_SYNC_FLUSH);
    }
  }

  /** COMPRESS DEFLATE (RFC 4978); after an OK both directions are compressed (raw deflate, sync flushes). */
  async compress(): Promise<Result> {
    const result = await this.command('COMPRESS DEFLATE');
    if (result.tagged.status !== 'OK') return result;
    const out = createDeflateRaw();
    const inflate = createInflateRaw();
    out.on('data', (chunk: Buffer) => this.socket.write(chunk));
    inflate.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.notify();
    });
    inflate.on('error', () => this.socket.destroy());
    this.deflate = { out, in: inflate };
    // Anything after the OK is compressed already.
    const rest = this.buffer;
    this.buffer = Buffer.alloc(0);
    if (rest.length > 0) this.received(rest);
    return result;
  }

  nextTag(): string {
    return `A${++this.counter}`;
  }

  /** Sends `tag text` and reads until the tagged response. */
  async command(text: string): Promise<Result> {
    const tag = this.nextTag();
    this.send(`${tag} ${text}\r\n`);
    return this.until(tag);
  }

  /** command(), asserting the tagged status. */
  async transact(expected: 'OK' | 'NO' | 'BAD', text: string): Promise<Result> {
    const result = await this.command(text);
    assert.equal(result.tagged.status, expected, `${text} → ${result.tagged.raw.toString()}`);
    return result;
  }

  /** APPEND with a synchronizing literal: waits for the continuation before sending the message. */
  async append(mailbox: string, message: string | Buffer, extra = ''): Promise<Result> {
    const bytes = Buffer.from(message);
    const tag = this.nextTag();
    this.send(`${tag} APPEND ${mailbox}${extra ? ` ${extra}` : ''} {${bytes.length}}\r\n`);
    const go = await this.read();
    if (go.tag !== '+') return { untagged: [], tagged: go };
    this.send(Buffer.concat([bytes, Buffer.from('\r\n')]));
    return this.until(tag);
  }

  /** Reads responses up to and including the one tagged `tag`. */
  async until(tag: string): Promise<Result> {
    const untagged: Response[] = [];
    for (;;) {
      const response = await this.read();
      if (response.tag === tag) return { untagged, tagged: response };
      untagged.push(response);
    }
  }

  /** The next response. */
  async read(): Promise<Response> {
    const end = await this.waitFor(() => responseEnd(this.buffer));
    const raw = Buffer.from(this.buffer.subarray(0, end - 2));
    this.buffer = this.buffer.subarray(end);
    return parseResponse(raw);
  }

  /** STARTTLS and the client side of the handshake. */
  async starttls(): Promise<Result> {
    const result = await this.command('STARTTLS');
    if (result.tagged.status === 'OK') await this.upgrade();
    return result;
  }

  /** The client side of the TLS handshake, after the server's OK to STARTTLS. */
  async upgrade(): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    this.socket = await handshake(plain);
    this.listen(this.socket);
  }

  async login(address: string, password: string): Promise<Result> {
    return this.transact('OK', `LOGIN ${quote(address)} ${quote(password)}`);
  }

  async logout(): Promise<void> {
    await this.transact('OK', 'LOGOUT');
    await this.closed();
  }

  /** Resolves when the server has closed the connection; returns what was left unread. */
  async closed(): Promise<string> {
    await this.waitFor(() => (this.ended ? 0 : -1));
    return this.buffer.toString('latin1');
  }

  async drop(): Promise<void> {
    this.socket.destroy();
    await new Promise<void>((resolve) => (this.socket.closed ? resolve() : this.socket.once('close', () => resolve())));
  }

  /** Bytes received and not yet read as responses. */
  get unread(): string {
    return this.buffer.toString('latin1');
  }

  private listen(socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.received(chunk));
    socket.on('close', () => {
      const ended = () => {
        this.ended = true;
        this.notify();
      };
      // Compressed input may still be inflating: the connection ends for the reader after it.
      if (this.deflate === null || this.deflate.in.destroyed) ended();
      else this.deflate.in.once('end', ended).once('error', ended).end();
    });
    socket.on('error', () => {});
  }

  private received(chunk: Buffer) {
    if (this.deflate !== null) {
      this.compressedBytesIn += chunk.length;
      this.deflate.in.write(chunk);
      return;
    }
    this.buffer = Buffer.concat([this.buffer, chunk]);
    this.notify();
  }

  private notify() {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  private async waitFor(find: () => number): Promise<number> {
    const deadline = Date.now() + READ_TIMEOUT_MS;
    for (;;) {
      const at = find();
      if (at >= 0) return at;
      if (this.ended) throw new Error(`connection closed; unread: ${JSON.stringify(this.buffer.toString('latin1'))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no response within ${READ_TIMEOUT_MS} ms; unread: ${JSON.stringify(this.buffer.toString('latin1').slice(0, 2000))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

export function quote(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

/** Untagged responses whose values start with `...head` (e.g. `fetches(r)` = [seq, 'FETCH', items]). */
export function untagged(result: Result, ...head: Value[]): Response[] {
  return result.untagged.filter((r) => head.every((h, i) => (h === '*' ? true : r.values[i] === h)));
}

/** The FETCH responses of a result as { seq, items } with items as a name → value map. */
export function fetches(result: Result): Array<{ seq: number; items: Record<string, Value> }> {
  return result.untagged
    .filter((r) => r.values[1] === 'FETCH')
    .map((r) => {
      const list = r.values[2] as Value[];
      const items: Record<string, Value> = {};
      for (let i = 0; i < list.length; i += 2) items[String(list[i])] = list[i + 1];
      return { seq: r.values[0] as number, items };
    });
}

/** The client side of a TLS handshake over a connected socket (the self-signed certificate accepted). */
async function handshake(plain: Socket): Promise<TLSSocket> {
  const secure = tlsConnect({ socket: plain, rejectUnauthorized: false });
  await new Promise<void>((resolve, reject) => {
    secure.once('secureConnect', () => resolve());
    secure.once('error', reject);
  });
  return secure;
}
