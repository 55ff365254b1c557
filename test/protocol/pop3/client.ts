// A scripted POP3 client over a raw socket for protocol tests: send a command, read the status line
// or a whole multi-line response (un-stuffed, and also the raw bytes for exact checks), upgrade with
// STLS. Every read is bounded by READ_TIMEOUT_MS so a broken server fails the test instead of hanging
// it; that bound is a guard, not an assertion about speed.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

const READ_TIMEOUT_MS = 10_000;

export interface Multiline {
  status: string;
  /** The lines, byte-unstuffed, without CRLF. */
  lines: string[];
  /** The bytes between the status line and the terminating ".CRLF", as sent (still stuffed). */
  raw: Buffer;
}

export class Pop3TestClient {
  private buffer = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  private ended = false;
  greeting = '';

  private constructor(private socket: Socket) {
    this.listen(socket);
  }

  static async connect(port: number, options: { localAddress?: string; tls?: boolean; host?: string } = {}): Promise<Pop3TestClient> {
    const plain = netConnect({ port, host: options.host ?? '127.0.0.1', localAddress: options.localAddress });
    await new Promise<void>((resolve, reject) => {
      plain.once('connect', () => resolve());
      plain.once('error', reject);
    });
    const socket = options.tls ? await handshake(plain) : plain;
    const client = new Pop3TestClient(socket);
    client.greeting = await client.readLine();
    return client;
  }

  get encrypted(): boolean {
    return (this.socket as TLSSocket).encrypted === true;
  }

  /** Sends raw bytes. */
  send(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Sends a command and returns its status line. */
  async command(line: string): Promise<string> {
    this.send(`${line}\r\n`);
    return this.readLine();
  }

  /** Sends a command whose +OK starts a multi-line response. A -ERR comes back with no lines. */
  async multi(line: string): Promise<Multiline> {
    this.send(`${line}\r\n`);
    return this.readMulti();
  }

  async readMulti(): Promise<Multiline> {
    const status = await this.readLine();
    if (!status.startsWith('+OK')) return { status, lines: [], raw: Buffer.alloc(0) };
    const terminator = await this.waitFor(() => {
      if (this.buffer.subarray(0, 3).equals(Buffer.from('.\r\n'))) return 0;
      const at = this.buffer.indexOf('\r\n.\r\n');
      return at < 0 ? -1 : at + 2;
    });
    const raw = this.buffer.subarray(0, terminator);
    this.buffer = this.buffer.subarray(terminator + 3);
    const text = raw.toString('latin1');
    const lines = text === '' ? [] : text.slice(0, -2).split('\r\n').map((l) => (l.startsWith('.') ? l.slice(1) : l));
    return { status, lines, raw: Buffer.from(raw) };
  }

  async readLine(): Promise<string> {
    const at = await this.waitFor(() => this.buffer.indexOf('\r\n'));
    const line = this.buffer.subarray(0, at).toString('latin1');
    this.buffer = this.buffer.subarray(at + 2);
    return line;
  }

  /** STLS and the client side of the handshake (self-signed certificate accepted). */
  async starttls(): Promise<string> {
    const status = await this.command('STLS');
    if (status.startsWith('+OK')) await this.upgrade();
    return status;
  }

  /** The client side of the handshake, after the server's go-ahead was read. */
  async upgrade(): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    this.socket = await handshake(plain);
    this.listen(this.socket);
  }

  /** Resolves when the server has closed the connection (after reading what it sent). */
  async closed(): Promise<string> {
    await this.waitFor(() => (this.ended ? 0 : -1));
    return this.buffer.toString('latin1');
  }

  /** Drops the connection without QUIT, as a crashing client or a lost network would. */
  async drop(): Promise<void> {
    this.socket.destroy();
    await new Promise<void>((resolve) => (this.socket.closed ? resolve() : this.socket.once('close', () => resolve())));
  }

  async quit(): Promise<string> {
    const status = await this.command('QUIT');
    await this.closed();
    return status;
  }

  private listen(socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.notify();
    });
    socket.on('close', () => {
      this.ended = true;
      this.notify();
    });
    socket.on('error', () => {});
  }

  private notify() {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  /** Waits until `find` returns an index ≥ 0. */
  private async waitFor(find: () => number): Promise<number> {
    const deadline = Date.now() + READ_TIMEOUT_MS;
    for (;;) {
      const at = find();
      if (at >= 0) return at;
      if (this.ended) throw new Error(`connection closed; unread: ${JSON.stringify(this.buffer.toString('latin1'))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no response within ${READ_TIMEOUT_MS} ms; unread: ${JSON.stringify(this.buffer.toString('latin1'))}`);
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

/** The client side of a TLS handshake over a connected socket (the self-signed certificate accepted). */
async function handshake(plain: Socket): Promise<TLSSocket> {
  const secure = tlsConnect({ socket: plain, rejectUnauthorized: false });
  await new Promise<void>((resolve, reject) => {
    secure.once('secureConnect', () => resolve());
    secure.once('error', reject);
  });
  return secure;
}
