// URLAUTH access keys (RFC 4467 §3): one secret per mailbox, made when first needed; reset() forgets
// it, so the URLs authorised with it stop working. The caller checks that the mailbox is the user's.
import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';

/** Bytes of a key: HMAC-SHA256 keys of the hash's block half are plenty. */
export const URLAUTH_KEY_BYTES = 32;

export interface UrlauthKeyRepo {
  /** The mailbox's key, if it has one. */
  get(mailboxId: number): Buffer | undefined;
  /** The mailbox's key, made now when it has none. */
  key(mailboxId: number): Buffer;
  /** Forgets the keys of these mailboxes. */
  reset(mailboxIds: readonly number[]): void;
}

export function createUrlauthKeyRepo(db: Db): UrlauthKeyRepo {
  const insert = db.prepare<[number, Buffer]>('INSERT OR IGNORE INTO urlauth_keys (mailbox_id, key) VALUES (?, ?)');
  const select = db.prepare<[number], Buffer>('SELECT key FROM urlauth_keys WHERE mailbox_id = ?').pluck();
  const remove = db.prepare<[number]>('DELETE FROM urlauth_keys WHERE mailbox_id = ?');
  return {
    get: (mailboxId) => select.get(mailboxId),
    key(mailboxId) {
      insert.run(mailboxId, randomBytes(URLAUTH_KEY_BYTES));
      return select.get(mailboxId)!;
    },
    reset(mailboxIds) {
      for (const id of mailboxIds) remove.run(id);
    },
  };
}
