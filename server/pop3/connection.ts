// One POP3 client connection as the session sees it: read a line, write bytes, switch to TLS, close.
// Owns the socket and the framer; knows nothing of commands.
//
// Invariants:
// - Reads are pulled: the session asks for one line at a time, so commands run one after another
//   however many the client pipelines. Queued input is bounded: the socket is paused while more than
//   MAX_BUFFERED_BYTES wait unframed.
// - One writer (the session); write() resolves when the bytes are queued below the high-water mark,
//   or when the socket is gone, so a client that stops reading stalls only its own session.
// - STLS: the framer's queued plaintext is dropped and the plain socket stops being read before the
//   `+OK` goes out, and the TLS socket takes over in the same tick, so nothing the client sent before
//   the handshake is read as if it came over TLS (RFC 2595 §4, RFC 3207 §6 command injection).
// - Idle clients are logged out after IDLE_TIMEOUT_MS (RFC 1939 §3: at least 10 minutes) without
//   entering the UPDATE state.
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import { LineFramer, type FramedLine } from './wire.js';

export const MAX_BUFFERED_BYTES = 64 * 1024;
export const IDLE_TIMEOUT_MS = 10 * 60_000;

const AUTOLOGOUT = Buffer.from('-ERR Autologout: idle for too long\r\n');

export class Pop3Connection {
  private socket: Socket;
  private readonly framer = new LineFramer();
  private wake: (() => void) | null = null;
  private ended = false;

  constructor(
    socket: Socket,
    /** The connection is TLS from the start (pop3s) or after STLS. */
    public secure: boolean,
  ) {
    this.socket = socket;
    this.attach(socket);
  }

  get remoteIp(): string {
    return this.socket.remoteAddress ?? 'unknown';
  }

  /** The next line within `limit` bytes, or null once the connection is over. */
  async readLine(limit: number): Promise<FramedLine | null> {
    for (;;) {
      const event = this.framer.next(limit);
      if (event) return event;
      if (this.ended) return null;
      this.socket.resume();
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async write(bytes: Buffer): Promise<void> {
    if (this.ended || this.socket.destroyed || this.socket.write(bytes)) return;
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

  /** Sends the STLS go-ahead and performs the server side of the handshake. Returns the dropped plaintext's length. */
  async startTls(goAhead: Buffer, secureContext: SecureContext): Promise<number> {
    const plain = this.socket;
    this.detach(plain);
    plain.pause();
    // The TLS socket reports failures from now on; the plain one must not throw an unhandled error.
    plain.on('error', () => {});
    const dropped = this.framer.discard();
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
    return dropped;
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
