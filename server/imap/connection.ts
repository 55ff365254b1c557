// One IMAP client connection as the session sees it: pull the next framer event, write bytes, switch
// to TLS, close. Owns the socket and the framer; knows nothing of commands.
//
// Invariants:
// - Reads are pulled: the session asks for one framer event at a time, so commands run one after
//   another however many the client pipelines. Queued input is bounded: the socket is paused while
//   more than MAX_BUFFERED_BYTES wait unframed, and resumed when the session asks for more.
// - One writer (the session); write() and writeAll() resolve when the bytes are queued below the socket's
//   high-water mark, or when the socket is gone, so a client that stops reading stalls only itself.
// - STARTTLS: the plain socket stops being read and the framer (with any plaintext queued after the
//   command) is replaced before the tagged OK goes out, and the TLS socket takes over in the same
//   tick, so nothing sent before the handshake is read as if it came over TLS (RFC 3501 §6.2.1,
//   RFC 7817 on command injection).
// - Clients idle for IDLE_TIMEOUT_MS are logged out (RFC 3501 §5.4: at least 30 minutes).
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import { ImapFramer, type FramerEvent, type FramerLimits } from './wire/index.js';

export const MAX_BUFFERED_BYTES = 256 * 1024;
export const IDLE_TIMEOUT_MS = 30 * 60_000 + 10_000;

const AUTOLOGOUT = Buffer.from('* BYE Autologout: idle for too long\r\n');

export class ImapConnection {
  private socket: Socket;
  private framer: ImapFramer;
  private wake: (() => void) | null = null;
  private ended = false;

  constructor(
    socket: Socket,
    /** The connection is TLS from the start (imaps) or after STARTTLS. */
    public secure: boolean,
    private readonly limits: Partial<FramerLimits>,
  ) {
    this.socket = socket;
    this.framer = new ImapFramer(limits);
    this.attach(socket);
  }

  get remoteIp(): string {
    return this.socket.remoteAddress ?? 'unknown';
  }

  get closed(): boolean {
    return this.ended;
  }

  /** The next framer event, or null once the connection is over. */
  async next(): Promise<FramerEvent | null> {
    for (;;) {
      const event = this.framer.next();
      if (event !== null) return event;
      if (this.ended) return null;
      this.socket.resume();
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** The next line is raw (a SASL response, IDLE's DONE): see ImapFramer.expectLine. */
  expectLine(): void {
    this.framer.expectLine();
  }

  async write(bytes: Buffer): Promise<void> {
    await this.writeAll([bytes]);
  }

  /** Writes the chunks as one gathered write (corked: one writev, not a syscall per chunk). */
  async writeAll(chunks: readonly Buffer[]): Promise<void> {
    if (this.ended || chunks.length === 0) return;
    const socket = this.socket;
    let below = true;
    if (chunks.length === 1) below = socket.write(chunks[0]);
    else {
      socket.cork();
      for (const chunk of chunks) below = socket.write(chunk);
      socket.uncork();
    }
    if (below) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** Sends the STARTTLS go-ahead and performs the server side of the handshake; false if it failed. */
  async startTls(goAhead: Buffer, secureContext: SecureContext): Promise<boolean> {
    const plain = this.socket;
    this.detach(plain);
    plain.pause();
    // The TLS socket reports failures from now on; the plain one must not throw an unhandled error.
    plain.on('error', () => {});
    this.framer = new ImapFramer(this.limits);
    plain.write(goAhead);
    const tls = new TLSSocket(plain, { isServer: true, secureContext });
    this.socket = tls;
    this.attach(tls);
    await new Promise<void>((resolve) => {
      const settle = () => {
        tls.off('secure', settle);
        tls.off('close', settle);
        resolve();
      };
      tls.on('secure', settle);
      tls.on('close', settle);
    });
    this.secure = !this.ended;
    return this.secure;
  }

  /** Flushes what was written, then closes. */
  async close(): Promise<void> {
    this.end();
    const socket = this.socket;
    if (socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', resolve);
      socket.end(() => socket.destroy());
    });
  }

  /** Drops the connection at once (server shutdown). */
  destroy(): void {
    this.end();
    this.socket.destroy();
  }

  private readonly onData = (chunk: Buffer) => {
    // push() only queues; events are pulled in next().
    this.framer.push(chunk);
    if (this.framer.bufferedBytes > MAX_BUFFERED_BYTES) this.socket.pause();
    this.wakeReader();
  };

  private readonly onGone = () => this.end();

  private readonly onTimeout = () => {
    if (this.ended) return this.socket.destroy();
    this.end();
    this.socket.end(AUTOLOGOUT);
  };

  private attach(socket: Socket) {
    socket.setTimeout(IDLE_TIMEOUT_MS);
    socket.on('data', this.onData);
    socket.on('end', this.onGone);
    socket.on('close', this.onGone);
    socket.on('error', this.onGone);
    socket.on('timeout', this.onTimeout);
  }

  private detach(socket: Socket) {
    socket.setTimeout(0);
    socket.off('data', this.onData);
    socket.off('end', this.onGone);
    socket.off('close', this.onGone);
    socket.off('error', this.onGone);
    socket.off('timeout', this.onTimeout);
  }

  private end() {
    this.ended = true;
    this.wakeReader();
  }

  private wakeReader() {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
