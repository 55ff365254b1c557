// Appending and expunging messages (see messages.ts for the invariants): the UID and mod-sequence come
// from the mailbox row in the statement that bumps them; the account's usage and the blob's refcount
// change in the same transaction; an expunge leaves a tombstone for QRESYNC. The blob's text goes into
// the full-text index in the same transaction (message-text.ts; its deletion takes the index row).
import type { Clock } from '../clock.js';
import type { Db } from './db.js';
import type { BlobRepo } from './blobs.js';
import type { AccountRepo } from './accounts.js';
import type { StoreChange, WithChanges } from './changes.js';
import type { MessageRepo } from './message-types.js';
import type { RowAccess } from './message-rows.js';
import type { TextIndex } from './message-text.js';

export function createMessageWrites(db: Db, access: RowAccess, blobs: BlobRepo, accounts: AccountRepo, text: TextIndex, clock: Clock): Pick<MessageRepo, 'append' | 'expunge'> {
  const { allocate, allocateAt, bumpModseq } = access;
  const insert = db.prepare(`
    INSERT INTO messages (mailbox_id, uid, modseq, flags, keywords, internal_date, size, blob_id, prefix, sent_date, save_date)
    VALUES (@mailboxId, @uid, @modseq, @flags, @keywords, @internalDate, @size, @blobId, @prefix, @sentDate, @saveDate)`);
  const insertMime = db.prepare(`
    INSERT INTO message_mime (id, envelope, envelope_wire, bodystructure, parts)
    VALUES (@id, @envelope, @envelopeWire, @bodystructure, @parts)`);
  const one = db.prepare<[number, number], { id: number; blob_id: number; size: number }>(
    'SELECT id, blob_id, size FROM messages WHERE mailbox_id = ? AND uid = ?',
  );
  const remove = db.prepare<[number]>('DELETE FROM messages WHERE id = ?');
  const tombstone = db.prepare<[number, number, number]>(
    'INSERT OR REPLACE INTO expunged (mailbox_id, uid, modseq) VALUES (?, ?, ?)',
  );

  return {
    append(mailboxId, m, atUid) {
      return db.transaction(() => {
        const slot = atUid === undefined ? allocate.get(mailboxId) : allocateAt.get({ id: mailboxId, uid: atUid });
        if (!slot) throw new Error(`mailbox ${mailboxId} is missing`);
        const { lastInsertRowid } = insert.run({
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
          saveDate: clock.now(),
        });
        insertMime.run({ id: lastInsertRowid, envelope: m.envelope, envelopeWire: m.envelopeWire ?? null, bodystructure: m.bodystructure, parts: m.parts });
        text.ensure(m.blobId);
        accounts.addUsage(slot.account_id, m.size);
        const change: StoreChange = { kind: 'message-added', accountId: slot.account_id, mailboxId, uid: slot.uid, modseq: slot.modseq };
        return { result: { uid: slot.uid, modseq: slot.modseq }, changes: [change] };
      })();
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
  };
}
