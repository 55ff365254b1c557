// Milter packet framing: turns the bytes a milter sends, in whatever chunks they arrive, into whole
// packets `{ code, data }`. Pure and resumable; no socket inside.
//
// Invariants:
// - A packet is delivered only when all of its bytes have arrived; bytes of the next packet stay queued.
// - A length of 0 (no code byte) or above `maxPacketBytes` is a protocol error, raised before any of
//   the packet's data is kept, so a broken or hostile peer cannot make us buffer without bound.
import { MilterProtocolError } from './errors.js';

export interface Packet {
  /** The one-character command or reply code. */
  readonly code: string;
  readonly data: Buffer;
}

/** Generous for replies (body replacement chunks are at most 1 MiB with SMFIP_MDS_1M), still bounded. */
export const DEFAULT_MAX_PACKET_BYTES = 4 * 1024 * 1024;

export class PacketReader {
  private chunks: Buffer[] = [];
  private queued = 0;

  constructor(private readonly maxPacketBytes = DEFAULT_MAX_PACKET_BYTES) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.queued += chunk.length;
  }

  /** The next complete packet, or null until more bytes arrive. */
  next(): Packet | null {
    if (this.queued < 4) return null;
    const head = this.peek(4);
    const length = head.readUInt32BE(0);
    if (length < 1) throw new MilterProtocolError('packet with length 0');
    if (length > this.maxPacketBytes) throw new MilterProtocolError(`packet of ${length} bytes exceeds ${this.maxPacketBytes}`);
    if (this.queued < 4 + length) return null;
    const packet = this.take(4 + length);
    return { code: String.fromCharCode(packet[4]), data: packet.subarray(5) };
  }

  private peek(n: number): Buffer {
    if (this.chunks[0].length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0].subarray(0, n);
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.chunks = all.length > n ? [all.subarray(n)] : [];
    this.queued -= n;
    return all.subarray(0, n);
  }
}
