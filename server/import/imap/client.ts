// The IMAP client the import pulls mail with (imapsync-style, RFC 3501): one connection, one command
// at a time, plain / implicit TLS / STARTTLS, LOGIN or AUTHENTICATE PLAIN with an authorization
// identity (a master user logging in as the user). Responses are framed by our server's ImapFramer
// (bounded lines and literals) and parsed by response.ts; untagged data goes to the running command's
// handler as it arrives, so a FETCH of many messages is never collected by the client.
// Invariants: a command resolves only on its tagged OK; NO/BAD reject with the server's text; a
// closed or silent connection (no byte for `timeoutMs`) rejects the running command and every later one.
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { ImapFramer } from '../../imap/wire/framer.js';
import { parseResponse, quoted, text, type Response } from './response.js';

export type Security = 'tls' | 'starttls' | 'none';

export interface ImapConnectOptions {
  host: string;
  port: number;
  security: Security;
  /** Check the server's certificate (off for an old server with a self-signed one). */
  verifyCertificate: boolean;
  timeoutMs?: number;
}

/** Largest message the import takes (a literal above it ends the connection with an error). */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/** The server refused, or could not be talked to: the admin's to fix (wrong host, password, TLS). */
export class ImapSourceError extends Error {
  override name = 'ImapSourceError';
}

export type DataResponse = Extract<Response, { kind: 'data' }>;
export type StatusResponse = Extract<Response, { kind: 'status' }>;
/** A command's words; a Buffer is sent as a literal. */
export type CommandPart = string | Buffer;

interface Running {
  tag: string;
  onData?: (data: DataResponse) => void;
  onStatus?: (status: StatusResponse) => void;
  resolve(status: StatusResponse): void;
  reject(error: Error): void;
}

const newFramer = () => new ImapFramer({ maxLineBytes: 1024 * 1024, maxLiteralBytes: MAX_MESSAGE_BYTES });

export class ImapClient {
  capabilities = new Set<string>();
  /** The greeting was PREAUTH (a tunnel to the user's own server): there is nothing to log in to. */
  preauthenticated = false;
  private framer = newFramer();
  private running: Running | undefined;
  private continuation: ((text: string) => void) | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private tags = 0;
  private failure: Error | undefined;

  private constructor(
    private socket: Socket | TLSSocket,
    private readonly label: string,
  ) {}

  static async connect(options: ImapConnectOptions): Promise<ImapClient> {
    const label = `${options.host}:${options.port}`;
    const timeoutMs = options.timeoutMs ?? 120_000;
    const tls = { host: options.host, port: options.port, servername: options.host, rejectUnauthorized: options.verifyCertificate };
    const client = new ImapClient(options.security === 'tls' ? tlsConnect(tls) : tcpConnect({ host: options.host, port: options.port }), label);
    client.wire(timeoutMs);
    const greeting = await new Promise<StatusResponse>((resolve, reject) => (client.running = { tag: '*', resolve, reject }));
    client.preauthenticated = greeting.status === 'PREAUTH';
    if (options.security === 'starttls') {
      await client.refreshCapabilities();
      if (!client.capabilities.has('STARTTLS')) throw new ImapSourceError(`${label} does not offer STARTTLS`);
      await client.command(['STARTTLS']);
      const plain = client.socket;
      for (const event of ['data', 'error', 'close']) plain.removeAllListeners(event);
      plain.setTimeout(0);
      client.framer = newFramer();
      client.socket = tlsConnect({ ...tls, socket: plain as Socket });
      const secured = new Promise<void>((resolve) => client.socket.once('secureConnect', resolve));
      client.wire(timeoutMs);
      await Promise.race([secured, new Promise<never>((_, reject) => client.socket.once('error', reject))]).catch((error: Error) => {
        throw new ImapSourceError(`${label}: ${error.message}`);
      });
      client.capabilities.clear();
    }
    if (client.capabilities.size === 0) await client.refreshCapabilities();
    return client;
  }

  private wire(timeoutMs: number) {
    const socket = this.socket;
    socket.setTimeout(timeoutMs, () => this.fail(new ImapSourceError(`${this.label} did not answer for ${Math.round(timeoutMs / 1000)} s`)));
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => this.fail(new ImapSourceError(`${this.label}: ${error.message}`)));
    socket.on('close', () => this.fail(new ImapSourceError(`${this.label} closed the connection`)));
  }

  private fail(error: Error) {
    this.failure ??= error;
    const running = this.running;
    this.running = undefined;
    running?.reject(this.failure);
    this.socket.destroy();
  }

  private receive(chunk: Buffer) {
    for (const event of this.framer.push(chunk)) {
      if (event.kind === 'rejected' || event.kind === 'fatal') {
        return this.fail(new ImapSourceError(`${this.label} sent a response over the limits (a message over ${MAX_MESSAGE_BYTES} bytes?)`));
      }
      if (event.kind !== 'request') continue;
      let response: Response;
      try {
        response = parseResponse(event.request);
      } catch (error) {
        return this.fail(new ImapSourceError(`${this.label} sent a response that is not IMAP: ${(error as Error).message}`));
      }
      this.handle(response);
    }
  }

  private handle(response: Response) {
    const running = this.running;
    if (response.kind === 'continue') {
      const waiting = this.continuation;
      this.continuation = undefined;
      waiting?.(response.text);
      return;
    }
    if (response.kind === 'data') {
      if (response.name === 'CAPABILITY') this.setCapabilities(response.values.map((v) => text(v) ?? ''));
      running?.onData?.(response);
      return;
    }
    if (response.code === 'CAPABILITY') this.setCapabilities((response.codeArgs ?? '').split(' '));
    if (running && response.tag === running.tag) {
      this.running = undefined;
      if (response.status === 'OK' || response.status === 'PREAUTH') running.resolve(response);
      else if (running.tag === '*') running.reject(new ImapSourceError(`${this.label} refused the connection: ${response.text}`));
      else running.reject(new ImapCommandError(response));
    } else if (response.status === 'BYE') this.failure ??= new ImapSourceError(`${this.label} ended the session: ${response.text}`);
    else running?.onStatus?.(response);
  }

  private setCapabilities(words: string[]) {
    this.capabilities = new Set(words.filter((w) => w !== '').map((w) => w.toUpperCase()));
  }

  async refreshCapabilities(): Promise<void> {
    await this.command(['CAPABILITY']);
  }

  /** Runs one command after those queued before it; untagged data and status go to the handlers. */
  command(parts: CommandPart[], onData?: (data: DataResponse) => void, onStatus?: (status: StatusResponse) => void): Promise<StatusResponse> {
    const run = this.queue.then(() => this.send(parts, onData, onStatus));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async send(parts: CommandPart[], onData?: (data: DataResponse) => void, onStatus?: (status: StatusResponse) => void): Promise<StatusResponse> {
    if (this.failure) throw this.failure;
    const tag = `m${++this.tags}`;
    const done = new Promise<StatusResponse>((resolve, reject) => {
      this.running = { tag, resolve, reject, ...(onData ? { onData } : {}), ...(onStatus ? { onStatus } : {}) };
    });
    const plus = this.capabilities.has('LITERAL+');
    let line = tag;
    for (const part of parts) {
      if (typeof part === 'string') {
        line += ` ${part}`;
        continue;
      }
      this.socket.write(`${line} {${part.length}${plus ? '+' : ''}}\r\n`);
      if (!plus) await Promise.race([new Promise((resolve) => (this.continuation = resolve)), done]);
      this.socket.write(part);
      line = '';
    }
    this.socket.write(`${line}\r\n`);
    return done;
  }

  /** A string argument: quoted, or a literal when it holds 8-bit or line-end bytes. */
  static string(s: string): CommandPart {
    return quoted(s) ?? Buffer.from(s, 'utf8');
  }

  /** LOGIN, or AUTHENTICATE PLAIN when a master user logs in as `user` (RFC 4616 authorization identity). */
  async login(user: string, password: string, masterUser?: string): Promise<void> {
    if (this.preauthenticated) return;
    if (this.capabilities.has('LOGINDISABLED') && masterUser === undefined) {
      throw new ImapSourceError(`${this.label} refuses LOGIN on an unencrypted connection: use TLS or STARTTLS`);
    }
    try {
      if (masterUser === undefined) await this.command(['LOGIN', ImapClient.string(user), ImapClient.string(password)]);
      else await this.authenticatePlain(user, masterUser, password);
    } catch (error) {
      if (error instanceof ImapCommandError) throw new ImapSourceError(`${this.label} refused the login of ${masterUser ? `${masterUser} as ${user}` : user}: ${error.message}`);
      throw error;
    }
    // Servers may announce more after login, in the tagged OK or not at all.
    await this.refreshCapabilities();
  }

  private authenticatePlain(user: string, master: string, password: string): Promise<StatusResponse> {
    const run = this.queue.then(async () => {
      if (this.failure) throw this.failure;
      const tag = `m${++this.tags}`;
      const done = new Promise<StatusResponse>((resolve, reject) => (this.running = { tag, resolve, reject }));
      const continued = new Promise((resolve) => (this.continuation = resolve));
      this.socket.write(`${tag} AUTHENTICATE PLAIN\r\n`);
      await Promise.race([continued, done]);
      this.socket.write(`${Buffer.from(`${user}\0${master}\0${password}`, 'utf8').toString('base64')}\r\n`);
      return done;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (!this.failure) await this.command(['LOGOUT']).catch(() => undefined);
    this.failure ??= new ImapSourceError('closed');
    this.socket.destroy();
  }
}

/** A tagged NO or BAD. */
export class ImapCommandError extends Error {
  override name = 'ImapCommandError';
  constructor(readonly response: StatusResponse) {
    super(`${response.status}${response.code ? ` [${response.code}]` : ''} ${response.text}`.trim());
  }
}
