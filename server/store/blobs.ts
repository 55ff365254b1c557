// The only module that knows where message bytes live: in the `blobs` table, content-addressed by
// SHA-256 with a reference count, so a message delivered to twenty local users (or queued and
// delivered) is stored once. Callers must run acquire/release inside the transaction that creates
// or deletes the rows holding the reference; a blob whose count reaches zero is deleted at once.
import { createHash } from 'node:crypto';
import type { Db } from './db.js';

export interface BlobRepo {
  /**
   * Stores `bytes` (or finds it) and adds `refs` references; returns the blob id. `sha256`: the bytes'
   * SHA-256 when the caller has it already (an import hashes on its reading thread).
   */
  acquire(bytes: Buffer, refs: number, sha256?: Buffer): number;
  addRefs(id: number, refs: number): void;
  release(id: number, refs?: number): void;
  read(id: number): Buffer;
  /** Bytes [start, start+length) of the blob; clipped at its end. */
  readRange(id: number, start: number, length: number): Buffer;
  size(id: number): number;
}

export function createBlobRepo(db: Db): BlobRepo {
  const find = db.prepare<[Buffer], { id: number }>('SELECT id FROM blobs WHERE sha256 = ?');
  const insert = db.prepare<[Buffer, number, Buffer, number]>('INSERT INTO blobs (sha256, size, data, refcount) VALUES (?, ?, ?, ?)');
  const addRefs = db.prepare<[number, number]>('UPDATE blobs SET refcount = refcount + ? WHERE id = ?');
  const release = db.prepare<[number, number]>('UPDATE blobs SET refcount = refcount - ? WHERE id = ? RETURNING refcount');
  const remove = db.prepare<[number]>('DELETE FROM blobs WHERE id = ?');
  const read = db.prepare<[number], { data: Buffer }>('SELECT data FROM blobs WHERE id = ?');
  const readRange = db.prepare<[number, number, number], { data: Buffer | null }>('SELECT substr(data, ?, ?) AS data FROM blobs WHERE id = ?');
  const size = db.prepare<[number], { size: number }>('SELECT size FROM blobs WHERE id = ?');

  return {
    acquire(bytes, refs, sha256) {
      const sha = sha256 ?? createHash('sha256').update(bytes).digest();
      const existing = find.get(sha);
      if (existing) {
        addRefs.run(refs, existing.id);
        return existing.id;
      }
      return Number(insert.run(sha, bytes.length, bytes, refs).lastInsertRowid);
    },
    addRefs(id, refs) {
      addRefs.run(refs, id);
    },
    release(id, refs = 1) {
      const row = release.get(refs, id) as { refcount: number } | undefined;
      if (row && row.refcount <= 0) remove.run(id);
    },
    read(id) {
      const row = read.get(id);
      if (!row) throw new Error(`blob ${id} is missing`);
      return row.data;
    },
    readRange(id, start, length) {
      if (length <= 0) return Buffer.alloc(0);
      const row = readRange.get(start + 1, length, id);
      if (!row) throw new Error(`blob ${id} is missing`);
      return row.data ?? Buffer.alloc(0);
    },
    size(id) {
      const row = size.get(id);
      if (!row) throw new Error(`blob ${id} is missing`);
      return row.size;
    },
  };
}
