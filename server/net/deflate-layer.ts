// A raw DEFLATE layer (RFC 1951) over a connection, as IMAP COMPRESS=DEFLATE (RFC 4978) uses it:
// what the client sends is inflated before it reaches the framer, what the session writes is
// deflated and sent with Z_SYNC_FLUSH at the end of each burst, so the client can decode every
// response as soon as it arrives. It sits above TLS (compress, then encrypt: RFC 4978 §3).
//
// Invariants:
// - Output order is the order of send() calls; send() resolves once its burst was flushed and its
//   compressed bytes handed to the socket (zlib emits a burst's 'data' before its flush callback).
// - Input is inflated one slice of at most INFLATE_SLICE_BYTES at a time, and only while `room()`
//   says the reader wants more: a small compressed input can inflate to ~1000 times its size, so the
//   inflated bytes waiting unframed stay bounded (about INFLATE_SLICE_BYTES × 1032 at the worst)
//   the way a plain connection's are by pausing the socket. Compressed bytes not inflated yet are
//   counted in `queuedBytes` for the caller to pause the socket on.
// - Invalid compressed input fails the connection (`onError`); close() frees zlib's memory.
import { constants, createDeflateRaw, createInflateRaw, type DeflateRaw, type InflateRaw } from 'node:zlib';

/** Compressed bytes handed to the inflater at once. */
export const INFLATE_SLICE_BYTES = 4 * 1024;

export interface DeflateLayerSides {
  /** Writes compressed bytes to the socket (the current one: TLS or plain). */
  write(compressed: Buffer): void;
  /** Receives inflated bytes (the framer's push). */
  deliver(plain: Buffer): void;
  /** Whether the reader wants more input now. */
  room(): boolean;
  /** The peer's compressed stream is invalid. */
  onError(error: Error): void;
}

export class DeflateLayer {
  private readonly deflater: DeflateRaw;
  private readonly inflater: InflateRaw;
  private readonly queued: Buffer[] = [];
  private queuedCount = 0;
  private inflating = false;
  private closed = false;

  constructor(private readonly sides: DeflateLayerSides) {
    this.deflater = createDeflateRaw();
    this.inflater = createInflateRaw();
    this.deflater.on('data', (chunk: Buffer) => sides.write(chunk));
    this.inflater.on('data', (chunk: Buffer) => sides.deliver(chunk));
    this.inflater.on('error', (error) => {
      if (!this.closed) sides.onError(error);
    });
    this.deflater.on('error', (error) => {
      if (!this.closed) sides.onError(error);
    });
  }

  /** Compressed bytes received and not yet inflated. */
  get queuedBytes(): number {
    return this.queuedCount;
  }

  /** Queues compressed bytes from the peer and inflates what the reader has room for. */
  receive(compressed: Buffer): void {
    this.queued.push(compressed);
    this.queuedCount += compressed.length;
    this.pump();
  }

  /** Inflates the next slice, if the reader has room and no slice is being inflated. */
  pump(): void {
    if (this.inflating || this.closed || this.queuedCount === 0 || !this.sides.room()) return;
    const head = this.queued[0];
    const slice = head.length > INFLATE_SLICE_BYTES ? head.subarray(0, INFLATE_SLICE_BYTES) : head;
    if (slice === head) this.queued.shift();
    else this.queued[0] = head.subarray(INFLATE_SLICE_BYTES);
    this.queuedCount -= slice.length;
    this.inflating = true;
    this.inflater.write(slice, () => {
      this.inflating = false;
      this.pump();
    });
  }

  /** Deflates one burst of output and flushes it (Z_SYNC_FLUSH). */
  send(chunks: readonly Buffer[]): Promise<void> {
    if (this.closed) return Promise.resolve();
    for (const chunk of chunks) this.deflater.write(chunk);
    return new Promise((resolve) => this.deflater.flush(constants.Z_SYNC_FLUSH, () => resolve()));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queued.length = 0;
    this.queuedCount = 0;
    this.deflater.destroy();
    this.inflater.destroy();
  }
}
