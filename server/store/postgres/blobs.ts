// Message bytes on PostgreSQL (the contract of ../blobs.ts): `bytea` rows content-addressed by SHA-256
// with a reference count changed in the transaction that creates or deletes the holding rows. Two
// nodes storing the same bytes at once meet in one row (INSERT ... ON CONFLICT adds the references).
import { createHash } from 'node:crypto';
import type { Async } from '../index.js';
import type { BlobRepo } from '../blobs.js';
import type { Sql } from './sql.js';

export function createBlobRepo(sql: Sql): Async<BlobRepo> {
  return {
    async acquire(bytes, refs, sha256) {
      const sha = sha256 ?? createHash('sha256').update(bytes).digest();
      return (await sql.value<number>(
        `INSERT INTO blobs (sha256, size, data, refcount) VALUES (?, ?, ?, ?)
         ON CONFLICT (sha256) DO UPDATE SET refcount = blobs.refcount + excluded.refcount RETURNING id`,
        [sha, bytes.length, bytes, refs],
      ))!;
    },
    async addRefs(id, refs) {
      await sql.run('UPDATE blobs SET refcount = refcount + ? WHERE id = ?', [refs, id]);
    },
    async release(id, refs = 1) {
      const left = await sql.value<number>('UPDATE blobs SET refcount = refcount - ? WHERE id = ? RETURNING refcount', [refs, id]);
      if (left !== undefined && left <= 0) await sql.run('DELETE FROM blobs WHERE id = ?', [id]);
    },
    async read(id) {
      const data = await sql.value<Buffer>('SELECT data FROM blobs WHERE id = ?', [id]);
      if (data === undefined) throw new Error(`blob ${id} is missing`);
      return data;
    },
    async readRange(id, start, length) {
      if (length <= 0) return Buffer.alloc(0);
      const row = await sql.one<{ data: Buffer | null }>('SELECT substring(data FROM ? FOR ?) AS data FROM blobs WHERE id = ?', [start + 1, length, id]);
      if (!row) throw new Error(`blob ${id} is missing`);
      return row.data ?? Buffer.alloc(0);
    },
    async size(id) {
      const size = await sql.value<number>('SELECT size FROM blobs WHERE id = ?', [id]);
      if (size === undefined) throw new Error(`blob ${id} is missing`);
      return size;
    },
  };
}
