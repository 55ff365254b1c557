// A ManageSieve server on a loopback ephemeral port with an in-memory script repository and the
// real authenticator (test-cost hashing), plus a raw client that reads responses structurally.

import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { createAuthenticator, type AuthAccountStore, type LoginAccount } from '../../../../server/auth/authenticator.js';
import { createPasswordHasher } from '../../../../server/auth/password-hash.js';
import { createThrottle } from '../../../../server/auth/throttle.js';
import type { Logger } from '../../../../server/log.js';
import { createManageSieveListener, type SieveScriptRepository, type SieveScriptSummary } from '../../../../server/sieve/managesieve/server.js';
import { createSelfSigned } from '../../../../server/tls/certificate.js';

export const USER = 'bob@example.com';
export const PASSWORD = 'correct horse';

export class MemoryScripts implements SieveScriptRepository {
  readonly scripts = new Map<string, string>();
  active: string | null = null;

  async list(): Promise<SieveScriptSummary[]> {
    return [...this.scripts.keys()].map((name) => ({ name, active: name === this.active }));
  }
  async get(_account: number, name: string): Promise<string | null> {
    return this.scripts.get(name) ?? null;
  }
  async put(_account: number, name: string, content: string): Promise<'ok' | 'too-many'> {
    this.scripts.set(name, content);
    return 'ok';
  }
  async remove(_account: number, name: string): Promise<'ok' | 'missing' | 'active'> {
    if (!this.scripts.has(name)) return 'missing';
    if (this.active === name) return 'active';
    this.scripts.delete(name);
    return 'ok';
  }
  async rename(_account: number, from: string, to: string): Promise<'ok' | 'missing' | 'exists'> {
    const content = this.scripts.get(from);
    if (content === undefined) return 'missing';
    if (this.scripts.has(to)) return 'exists';
    this.scripts.delete(from);
    this.scripts.set(to, content);
    if (this.active === from) this.active = to;
    return 'ok';
  }
  async setActive(_account: number, name: string | null): Promise<'ok' | 'missing'> {
    if (name !== null && !this.scripts.has(name)) return 'missing';
    this.active = name;
    return 'ok';
  }
}

export const events: string[] = [];
const logger: Logger = {
  debug: () => undefined,
  info: (event) => void events.push(event),
  warn: (event) => void events.push(event),
  error: (event, fields) => void events.push(`${event} ${String(fields?.error)}`),
  child: () => logger,
};

export async function startServer(options: { plaintext: boolean }) {
  const hasher = createPasswordHasher({ cost: 'test' });
  // scramSecret null: derived at the first password login, as for a newly imported account
  const account: LoginAccount = { id: 7, address: USER, passwordHash: await hasher.hash(PASSWORD), active: true, scramSecret: null };
  const store: AuthAccountStore = {
    findLoginAccount: async (address) => (address.toLowerCase() === USER ? { ...account } : undefined),
    updatePasswordHash: async (_id, passwordHash, scramSecret) => void Object.assign(account, { passwordHash, scramSecret }),
    recordLogin: async () => undefined,
    isMasterUser: async () => false,
  };
  const clock = { now: () => Date.now() };
  const auth = createAuthenticator({ store, hasher, throttle: createThrottle({ clock }), clock, sleep: async () => undefined, unknownUserKey: Buffer.alloc(32, 7) });
  const scripts = new MemoryScripts();
  const identity = createSelfSigned('localhost', Date.now());
  const admit = async () => ({ plaintextLogin: options.plaintext, done: () => undefined });
  const listener = createManageSieveListener({ name: 'managesieve', identity: () => identity, auth, scripts, log: logger, admit, maxConnections: () => 100, minBytesPerSecond: () => 0 });
  const port = await listener.start('127.0.0.1', 0);
  return { port, scripts, stop: () => listener.stop() };
}

export interface Response {
  /** Lines before the status line, literals inlined. */
  lines: string[];
  status: 'OK' | 'NO' | 'BYE';
  code: string | null;
  text: string | null;
}

const STATUS = /^(OK|NO|BYE)(?: \(([^)]*)\))?(?: (?:"((?:[^"\\]|\\.)*)"|\{(\d+)\}))?$/;

export class Client {
  private buffer = Buffer.alloc(0);
  private waiting: (() => void) | null = null;
  private ended = false;

  constructor(private socket: Socket | TLSSocket) {
    this.listen(socket);
  }

  static async open(port: number): Promise<Client> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new Client(socket);
  }

  private listen(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.waiting?.();
    });
    socket.on('close', () => {
      this.ended = true;
      this.waiting?.();
    });
  }

  private async bytes(n: number): Promise<Buffer> {
    while (this.buffer.length < n) {
      if (this.ended) throw new Error(`connection closed; had ${this.buffer.toString()}`);
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }

  async line(): Promise<string> {
    for (let guard = 0; guard < 10_000; guard++) {
      const lf = this.buffer.indexOf('\r\n');
      if (lf >= 0) return (await this.bytes(lf + 2)).toString('utf8', 0, lf);
      if (this.ended) throw new Error(`connection closed; had ${JSON.stringify(this.buffer.toString())}`);
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
    throw new Error('no line');
  }

  /** Reads lines (and literals) up to the status line. */
  async response(): Promise<Response> {
    const lines: string[] = [];
    for (;;) {
      let line = await this.line();
      const literal = /\{(\d+)\}$/.exec(line);
      if (literal !== null) {
        const body = (await this.bytes(Number(literal[1]))).toString('utf8');
        const status = STATUS.exec(line);
        if (status !== null) return { lines, status: status[1] as Response['status'], code: status[2] ?? null, text: body };
        line = line.slice(0, literal.index) + body;
        const rest = await this.line();
        lines.push(line + rest);
        continue;
      }
      const status = STATUS.exec(line);
      if (status !== null) return { lines, status: status[1] as Response['status'], code: status[2] ?? null, text: status[3]?.replace(/\\(.)/g, '$1') ?? null };
      lines.push(line);
    }
  }

  send(text: string): void {
    this.socket.write(text);
  }

  async command(text: string): Promise<Response> {
    this.send(text + '\r\n');
    return this.response();
  }

  /** STARTTLS, then the handshake; returns the capability response sent over TLS. */
  async startTls(): Promise<Response> {
    const go = await this.command('STARTTLS');
    assert.equal(go.status, 'OK');
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    const tls = tlsConnect({ socket: plain as Socket, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => tls.once('secureConnect', resolve).once('error', reject));
    this.socket = tls;
    this.listen(tls);
    return this.response();
  }

  close(): void {
    this.socket.destroy();
  }
}

export const plain = (user: string, password: string): string => Buffer.from(`\0${user}\0${password}`).toString('base64');
