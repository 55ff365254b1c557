// Messages in mailboxes. Invariants: UIDs are strictly ascending per mailbox (taken from uidnext in
// the same statement that bumps it); every change gets the mailbox's next MODSEQ; the account's
// used_bytes and the blob's refcount change in the same transaction as the row. A message's bytes are
// `prefix || blob` (see migrations/0001), read only through this module.
import type { Db } from './db.js';
import type { BlobRepo } from './blobs.js';
import type { AccountRepo } from './accounts.js';
import type { StoreChange, WithChanges } from './changes.js';

/** System flags as bits; keywords are kept as a space-separated string. */
export const FLAG_BITS = { '\\Seen': 1, '\\Answered': 2, '\\Flagged': 4, '\\Deleted': 8, '\\Draft': 16 } as const;
export type SystemFlag = keyof typeof FLAG_BITS;

export interface NewMessage {
  blobId: number;
  prefix: Buffer;
  size: number;
  flags: number;
  keywords: string[];
  internalDate: number;
  sentDate: number | null;
  envelope: string;
  bodystructure: string;
  parts: string;
}

export interface MessageMeta {
  id: number;
  uid: number;
  modseq: number;
  flags: number;
  keywords: string[];
  internalDate: number;
  size: number;
}

interface MetaRow {
  id: number;
  uid: number;
  modseq: number;
  flags: number;
  keywords: string;
  internal_date: number;
  size: number;
}

const toMeta = (r: MetaRow): MessageMeta => ({
  id: r.id,
  uid: r.uid,
  modseq: r.modseq,
  flags: r.flags,
  keywords: r.keywords === '' ? [] : r.keywords.split(' '),
  internalDate: r.internal_date,
  size: r.size,
});

export interface MessageRepo {
  /** Appends to a mailbox; must run inside the caller's transaction when combined with other writes. */
  append(mailboxId: number, message: NewMessage): WithChanges<{ uid: number; modseq: number }>;
  list(mailboxId: number): MessageMeta[];
  count(mailboxId: number): number;
  /** Removes the given UIDs (absent ones are ignored); returns the UIDs actually removed. */
  expunge(mailboxId: number, uids: number[]): WithChanges<number[]>;
  /** The full bytes of a message (prefix + blob). */
  read(messageId: number): Buffer;
  /** Bytes [start, start+length) of the message, across the prefix/blob seam. */
  readRange(messageId: number, start: number, length: number): Buffer;
}

interface Location {
  blob_id: number;
  prefix: Buffer;
}

export function createMessageRepo(db: Db, blobs: BlobRepo, accounts: AccountRepo): MessageRepo {
  const allocate = db.prepare<[number], { uid: number; modseq: number; account_id: number }>(`
    UPDATE mailboxes SET uidnext = uidnext + 1, highest_modseq = highest_modseq + 1 WHERE id = ?
    RETURNING uidnext - 1 AS uid, highest_modseq AS modseq, account_id`);
  const bumpModseq = db.prepare<[number], { modseq: number; account_id: number }>(
    'UPDATE mailboxes SET highest_modseq = highest_modseq + 1 WHERE id = ? RETURNING highest_modseq AS modseq, account_id',
  );
  const insert = db.prepare(`
    INSERT INTO messages (mailbox_id, uid, modseq, flags, keywords, internal_date, size, blob_id, prefix, sent_date, envelope, bodystructure, parts)
    VALUES (@mailboxId, @uid, @modseq, @flags, @keywords, @internalDate, @size, @blobId, @prefix, @sentDate, @envelope, @bodystructure, @parts)`);
  const list = db.prepare<[number], MetaRow>(
    'SELECT id, uid, modseq, flags, keywords, internal_date, size FROM messages WHERE mailbox_id = ? ORDER BY uid',
  );
  const count = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM messages WHERE mailbox_id = ?');
  const one = db.prepare<[number, number], { id: number; blob_id: number; size: number }>(
    'SELECT id, blob_id, size FROM messages WHERE mailbox_id = ? AND uid = ?',
  );
  const remove = db.prepare<[number]>('DELETE FROM messages WHERE id = ?');
  const tombstone = db.prepare<[number, number, number]>(
    'INSERT OR REPLACE INTO expunged (mailbox_id, uid, modseq) VALUES (?, ?, ?)',
  );
  const location = db.prepare<[number], Location>('SELECT blob_id, prefix FROM messages WHERE id = ?');

  const locate = (messageId: number) => {
    const loc = location.get(messageId);
    if (!loc) throw new Error(`message ${messageId} is missing`);
    return loc;
  };

  return {
    append(mailboxId, m) {
      return db.transaction(() => {
        const slot = allocate.get(mailboxId);
        if (!slot) throw new Error(`mailbox ${mailboxId} is missing`);
        insert.run({
          mailboxId,
          uid: slot.uid,
          modseq: slot.modseq,
          flags: m.flags,
          keywords: m.keywords.join(' '),
          internalDate: m.internalDate,
          size: m.size,
          blobId: m.blobId,
          prefix: m.prefix,
          sentDate: m.sentDate,
          envelope: m.envelope,
          bodystructure: m.bodystructure,
          parts: m.parts,
        });
        accounts.addUsage(slot.account_id, m.size);
        const change: StoreChange = { kind: 'message-added', accountId: slot.account_id, mailboxId, uid: slot.uid, modseq: slot.modseq };
        return { result: { uid: slot.uid, modseq: slot.modseq }, changes: [change] };
      })();
    },
    list(mailboxId) {
      return list.all(mailboxId).map(toMeta);
    },
    count(mailboxId) {
      return count.get(mailboxId)!.n;
    },
    expunge(mailboxId, uids) {
      return db.transaction((): WithChanges<number[]> => {
        const rows = uids.map((uid) => ({ uid, row: one.get(mailboxId, uid) })).filter((x) => x.row !== undefined);
        if (rows.length === 0) return { result: [], changes: [] };
        const { modseq, account_id } = bumpModseq.get(mailboxId)!;
        let freed = 0;
        for (const { uid, row } of rows) {
          remove.run(row!.id);
          tombstone.run(mailboxId, uid, modseq);
          blobs.release(row!.blob_id);
          freed += row!.size;
        }
        accounts.addUsage(account_id, -freed);
        const removed = rows.map((r) => r.uid);
        return { result: removed, changes: [{ kind: 'messages-expunged', accountId: account_id, mailboxId, uids: removed, modseq }] };
      })();
    },
    read(messageId) {
      const loc = locate(messageId);
      const body = blobs.read(loc.blob_id);
      return loc.prefix.length === 0 ? body : Buffer.concat([loc.prefix, body]);
    },
    readRange(messageId, start, length) {
      const loc = locate(messageId);
      const p = loc.prefix.length;
      if (start >= p) return blobs.readRange(loc.blob_id, start - p, length);
      const head = loc.prefix.subarray(start, Math.min(p, start + length));
      const rest = length - head.length;
      return rest > 0 ? Buffer.concat([head, blobs.readRange(loc.blob_id, 0, rest)]) : head;
    },
  };
}
