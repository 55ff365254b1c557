// One client connection of a line protocol (IMAP, POP3) as its session sees it: pull input through the
// protocol's framer, write bytes, switch to TLS, close. Owns the socket; knows nothing of commands.
//
// Invariants:
// - Reads are pulled: the session asks for one framed item at a time, so commands run one after
//   another however many the client pipelines. Queued input is bounded: the socket is paused while
//   more than `maxBufferedBytes` wait unframed, and resumed when the session asks for more.
// - One writer (the session); write() and writeAll() resolve when the bytes are queued below the
//   socket's high-water mark, or when the socket is gone, so a client that stops reading stalls only
//   itself.
// - STARTTLS/STLS: the plain socket stops being read and the framer's queued plaintext is dropped
//   (by the protocol's `reset`) before the go-ahead goes out, and the TLS socket takes over in the
//   same tick, so nothing sent before the handshake is read as if it came over TLS (RFC 3207 §6,
//   RFC 7817 on command injection).
// - Clients idle for `idleTimeoutMs` get the protocol's autologout line and are disconnected.
// - Slow clients: while the session waits for the rest of a request the framer has started (a
//   literal, a partial line), fewer than `minBytesPerSecond` bytes over a RATE_WINDOW_MS window get
//   the protocol's `tooSlow` line and a disconnect; a client that trickles a byte now and then
//   would otherwise keep resetting the idle timeout for ever. Idle clients between requests (IDLE)
//   are not judged.
// - Compression (IMAP COMPRESS=DEFLATE, deflate-layer.ts): once on, it stays on until the end; input is
//   inflated before the framer, output deflated and flushed per writeAll burst, above TLS. The framer's
//   queued input from before the switch is dropped (`reset`), as for STARTTLS: a client sends nothing
//   after COMPRESS until it has the answer (RFC 4978 §3).
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import { DeflateLayer } from './deflate-layer.js';

export interface Framer {
  push(chunk: Buffer): void;
  readonly bufferedBytes: number;
  /** A request has started arriving and is not complete yet. */
  readonly midRequest: boolean;
}

/** The window over which a client's data rate is judged (SMTP DATA uses it too). */
export const RATE_WINDOW_MS = 30_000;

export interface ConnectionOptions {
  maxBufferedBytes: number;
  idleTimeoutMs: number;
  /** Sent to a client that stayed idle too long, just before the connection closes. */
  autologout: Buffer;
  /** The slowest a started request may arrive (0: no check). */
  minBytesPerSecond: number;
  /** Sent to a client whose request arrives slower than that, just before the connection closes. */
  tooSlow: Buffer;
}

export class ClientConnection<F extends Framer> {
  private socket: Socket;
  private wake: (() => void) | null = null;
  private ended = false;
  private windowBytes = 0;
  private rateTimer: NodeJS.Timeout | null = null;
  private deflate: DeflateLayer | null = null;

  constructor(
    socket: Socket,
    /** The connection is TLS from the start (implicit-TLS port) or after STARTTLS/STLS. */
    public secure: boolean,
    protected framer: F,
    private readonly options: ConnectionOptions,
  ) {
    this.socket = socket;
    this.attach(socket);
  }

  get remoteIp(): string {
    return this.socket.remoteAddress ?? 'unknown';
  }

  get closed(): boolean {
    return this.ended;
  }

  /** Compression is on (COMPRESS=DEFLATE). */
  get compressed(): boolean {
    return this.deflate !== null;
  }

  /** Calls `take` until it yields an item; null once the connection is over and nothing is queued. */
  protected async pull<T>(take: () => T | null): Promise<T | null> {
    for (;;) {
      const item = take();
      if (item !== null) {
        this.stopRateCheck();
        return item;
      }
      if (this.ended) return null;
      if (this.framer.midRequest) this.startRateCheck();
      this.deflate?.pump();
      this.socket.resume();
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async write(bytes: Buffer): Promise<void> {
    await this.writeAll([bytes]);
  }

  /** Writes the chunks as one gathered write (corked: one writev, not a syscall per chunk). */
  async writeAll(chunks: readonly Buffer[]): Promise<void> {
    const socket = this.socket;
    if (this.ended || socket.destroyed || chunks.length === 0) return;
    let below = true;
    if (this.deflate !== null) {
      await this.deflate.send(chunks);
      below = !socket.writableNeedDrain;
    } else if (chunks.length === 1) below = socket.write(chunks[0]);
    else {
      socket.cork();
      for (const chunk of chunks) below = socket.write(chunk);
      socket.uncork();
    }
    if (below) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.on('drain', done);
      socket.on('close', done);
    });
  }

  /**
   * Sends the go-ahead and performs the server side of the TLS handshake; `reset` drops the framer's
   * queued plaintext first. Returns whether the connection is now secure.
   */
  protected async upgrade(goAhead: Buffer, secureContext: SecureContext, reset: () => void): Promise<boolean> {
    const plain = this.socket;
    this.detach(plain);
    plain.pause();
    // The TLS socket reports failures from now on; the plain one must not throw an unhandled error.
    plain.on('error', () => {});
    reset();
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

  /**
   * Sends the go-ahead uncompressed and compresses both directions from the next byte on (RFC 4978
   * §3); `reset` drops the framer's queued input first. Input is inflated from this moment, so a
   * client answering the go-ahead at once is read right.
   */
  protected startDeflate(goAhead: Buffer, reset: () => void): void {
    reset();
    this.socket.write(goAhead);
    this.deflate = new DeflateLayer({
      write: (compressed) => this.socket.write(compressed),
      deliver: (plain) => this.deliver(plain),
      room: () => this.framer.bufferedBytes <= this.options.maxBufferedBytes,
      onError: () => this.destroy(),
    });
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
    this.windowBytes += chunk.length;
    if (this.deflate === null) return this.deliver(chunk);
    this.deflate.receive(chunk);
    if (this.deflate.queuedBytes > this.options.maxBufferedBytes) this.socket.pause();
  };

  /** Input for the framer: push() only queues; items are pulled by the session. */
  private deliver(chunk: Buffer) {
    this.framer.push(chunk);
    if (this.framer.bufferedBytes > this.options.maxBufferedBytes) this.socket.pause();
    this.wakeReader();
  }

  private readonly onGone = () => this.end();

  private readonly onTimeout = () => {
    if (this.ended) return this.socket.destroy();
    this.endWith(this.options.autologout);
  };

  private attach(socket: Socket) {
    socket.setTimeout(this.options.idleTimeoutMs);
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
    this.deflate?.close();
    this.stopRateCheck();
    this.wakeReader();
  }

  /** Ends the connection with a last line (autologout, too slow), compressed if compression is on. */
  private endWith(line: Buffer) {
    const socket = this.socket;
    const deflate = this.deflate;
    this.deflate = null;
    this.end();
    if (deflate === null) {
      socket.end(line);
      return;
    }
    void deflate.send([line]).then(() => {
      deflate.close();
      socket.end();
    });
  }

  private startRateCheck() {
    if (this.rateTimer || this.options.minBytesPerSecond === 0) return;
    this.windowBytes = 0;
    this.rateTimer = setInterval(() => {
      if (!this.framer.midRequest) return this.stopRateCheck();
      if (this.windowBytes >= (this.options.minBytesPerSecond * RATE_WINDOW_MS) / 1000) {
        this.windowBytes = 0;
        return;
      }
      this.endWith(this.options.tooSlow);
    }, RATE_WINDOW_MS).unref();
  }

  private stopRateCheck() {
    if (this.rateTimer) clearInterval(this.rateTimer);
    this.rateTimer = null;
  }

  private wakeReader() {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
