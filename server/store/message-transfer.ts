// COPY and MOVE (RFC 3501 §6.4.7, RFC 6851): copies share the blob and keep flags, keywords, dates and
// the cached columns, but get a save date of their own (now: RFC 8514 §3); each gets the target's next UID and mod-sequence. MOVE is copy then expunge in
// one transaction. With `requireAll`, a UID that no longer exists makes the whole operation fail
// (ExpungedError) before anything is written. The cached columns are copied inside SQLite (INSERT ...
// SELECT): a COPY of 100k messages would otherwise hold every envelope and part tree in memory at once.
import type { Clock } from '../clock.js';
import type { Db } from './db.js';
import type { BlobRepo } from './blobs.js';
import type { AccountRepo } from './accounts.js';
import type { StoreChange, WithChanges } from './changes.js';
import { ExpungedError } from './errors.js';
import type { MessageRepo, Transfer } from './message-types.js';
import { pick, type RowAccess } from './message-rows.js';

interface CopySource {
  id: number;
  uid: number;
  blob_id: number;
  size: number;
}

export function createMessageTransfers(
  db: Db,
  access: RowAccess,
  blobs: BlobRepo,
  accounts: AccountRepo,
  expunge: MessageRepo['expunge'],
  clock: Clock,
): Pick<MessageRepo, 'copy' | 'move'> {
  const { allocate } = access;
  const copyLookup = access.lookup<CopySource>('id, uid, blob_id, size');
  const insertCopy = db.prepare<{ id: number; mailboxId: number; uid: number; modseq: number; saveDate: number }>(`
    INSERT INTO messages (mailbox_id, uid, modseq, flags, keywords, internal_date, size, blob_id, prefix, sent_date, save_date)
    SELECT @mailboxId, @uid, @modseq, flags, keywords, internal_date, size, blob_id, prefix, sent_date, @saveDate
    FROM messages WHERE id = @id`);
  const copyMime = db.prepare<[number | bigint, number]>(`
    INSERT INTO message_mime (id, envelope, envelope_wire, bodystructure, parts, search_headers)
    SELECT ?, envelope, envelope_wire, bodystructure, parts, search_headers FROM message_mime WHERE id = ?`);

  const copy = (fromMailboxId: number, uids: readonly number[], toMailboxId: number, requireAll = false): WithChanges<Transfer> =>
    db.transaction((): WithChanges<Transfer> => {
      const sources = pick(copyLookup, fromMailboxId, uids, (r) => r.uid);
      if (requireAll && sources.length < uids.length) throw new ExpungedError('Some of the requested messages no longer exist');
      const result: Transfer = { sourceUids: [], destinationUids: [] };
      const changes: StoreChange[] = [];
      const saveDate = clock.now();
      for (const source of sources) {
        const slot = allocate.get(toMailboxId);
        if (!slot) throw new Error(`mailbox ${toMailboxId} is missing`);
        const { lastInsertRowid } = insertCopy.run({ id: source.id, mailboxId: toMailboxId, uid: slot.uid, modseq: slot.modseq, saveDate });
        copyMime.run(lastInsertRowid, source.id);
        blobs.addRefs(source.blob_id, 1);
        accounts.addUsage(slot.account_id, source.size);
        result.sourceUids.push(source.uid);
        result.destinationUids.push(slot.uid);
        changes.push({ kind: 'message-added', accountId: slot.account_id, mailboxId: toMailboxId, uid: slot.uid, modseq: slot.modseq });
      }
      return { result, changes };
    })();

  return {
    copy,
    move(fromMailboxId, uids, toMailboxId, requireAll = false) {
      return db.transaction((): WithChanges<Transfer> => {
        const copied = copy(fromMailboxId, uids, toMailboxId, requireAll);
        const removed = expunge(fromMailboxId, copied.result.sourceUids);
        return { result: copied.result, changes: [...copied.changes, ...removed.changes] };
      })();
    },
  };
}
