// A selected view's UIDs in sequence order, kept compact (4 bytes a message in a Uint32Array that
// grows by doubling; RFC 3501 UIDs are 32-bit), so a session on a 100,000-message mailbox holds
// 400 KB for its sequence map rather than an array of boxed numbers.
// Invariant: ascending; appends are above the last UID.
import { positionOf } from './wire/index.js';

const INITIAL_CAPACITY = 16;

export class UidList {
  private data: Uint32Array;
  private size: number;

  constructor(uids: ArrayLike<number>) {
    this.data = new Uint32Array(Math.max(INITIAL_CAPACITY, uids.length));
    this.data.set(uids);
    this.size = uids.length;
  }

  get length(): number {
    return this.size;
  }

  /** The highest UID, or 0 when empty. */
  get last(): number {
    return this.size > 0 ? this.data[this.size - 1] : 0;
  }

  /** The UID with sequence number `seq` (1-based). */
  at(seq: number): number {
    return this.data[seq - 1];
  }

  /** The sequence number of `uid`, or 0. */
  seqOf(uid: number): number {
    return positionOf(this.values(), uid);
  }

  /** The UIDs in order, without copying (valid until the next change). */
  values(): Uint32Array {
    return this.data.subarray(0, this.size);
  }

  /** Appends `uids` (ascending, above the last). */
  append(uids: readonly number[]): void {
    if (this.size + uids.length > this.data.length) {
      const grown = new Uint32Array(Math.max(this.data.length * 2, this.size + uids.length));
      grown.set(this.values());
      this.data = grown;
    }
    this.data.set(uids, this.size);
    this.size += uids.length;
  }

  /** Removes the UIDs in `gone`, keeping the order. */
  remove(gone: ReadonlySet<number>): void {
    let kept = 0;
    for (let i = 0; i < this.size; i++) {
      const uid = this.data[i];
      if (!gone.has(uid)) this.data[kept++] = uid;
    }
    this.size = kept;
  }
}
