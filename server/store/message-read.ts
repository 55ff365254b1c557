// Reading messages: metadata, rows with the cached columns a FETCH needs, bytes (prefix || blob, in
// one statement; null when the message is gone), and the per-mailbox figures SELECT and STATUS give.
import type { Db } from './db.js';
import type { MessageRepo } from './message-types.js';
import { META_COLUMNS, META_COUNT, metaOf, pick, toMeta, type Bytes, type MetaRow, type RowAccess } from './message-rows.js';
import { distinctKeywords } from './message-flags.js';

type Reads = Omit<MessageRepo, 'append' | 'expunge' | 'updateFlags' | 'copy' | 'move' | 'searchRows' | 'setSearchHeaders'>;

export function createMessageReads(db: Db, access: RowAccess): Reads {
  const { metaLookup, rawUid, rowLookup, toRow, joined } = access;
  const list = db.prepare<[number], MetaRow>(
    'SELECT id, uid, modseq, flags, keywords, internal_date, size FROM messages WHERE mailbox_id = ? ORDER BY uid',
  );
  const count = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM messages WHERE mailbox_id = ?');
  // One statement per read (prefix and blob together): a BODY[] costs one round trip into SQLite, not two.
  const whole = db.prepare<[number], Bytes>('SELECT m.prefix, b.data FROM messages m LEFT JOIN blobs b ON b.id = m.blob_id WHERE m.id = ?');
  // The part of [start, start+length) in the prefix, and the rest from the blob (substr counts from 1).
  const range = db.prepare<{ id: number; start: number; length: number }, Bytes>(`
    SELECT CASE WHEN @start < length(m.prefix) THEN substr(m.prefix, @start + 1, @length) ELSE x'' END AS prefix,
           substr(b.data, max(@start - length(m.prefix), 0) + 1, max(@start + @length - max(@start, length(m.prefix)), 0)) AS data
    FROM messages m LEFT JOIN blobs b ON b.id = m.blob_id WHERE m.id = @id`);
  const uidList = db.prepare<[number, number], number>('SELECT uid FROM messages WHERE mailbox_id = ? AND uid > ? ORDER BY uid').pluck();
  const setEnvelopeWire = db.prepare<[string, number]>('UPDATE message_mime SET envelope_wire = ? WHERE id = ? AND envelope_wire IS NULL');
  const changed = db.prepare<[number, number], MetaRow>(`SELECT ${META_COLUMNS} FROM messages WHERE mailbox_id = ? AND modseq > ? ORDER BY uid`);
  const expunged = db.prepare<[number, number], number>('SELECT uid FROM expunged WHERE mailbox_id = ? AND modseq > ? ORDER BY uid').pluck();
  const counts = db.prepare<[number, number], { messages: number; unseen: number | null; recent: number | null; size: number | null; deleted: number | null }>(
    'SELECT count(*) AS messages, sum((flags & 1) = 0) AS unseen, sum(uid >= ?) AS recent, sum(size) AS size, sum((flags & 8) <> 0) AS deleted FROM messages WHERE mailbox_id = ?',
  );
  const firstUnseen = db.prepare<[number], number | null>('SELECT min(uid) FROM messages WHERE mailbox_id = ? AND (flags & 1) = 0').pluck();
  const keywordSets = db.prepare<[number], string>("SELECT DISTINCT keywords FROM messages WHERE mailbox_id = ? AND keywords != ''").pluck();

  const read = (messageId: number) => {
    const bytes = whole.get(messageId);
    return bytes === undefined ? null : joined(messageId, bytes);
  };
  const readRange = (messageId: number, start: number, length: number) => {
    const bytes = range.get({ id: messageId, start, length: Math.max(length, 0) });
    if (bytes === undefined) return null;
    return length <= 0 ? Buffer.alloc(0) : joined(messageId, bytes);
  };

  return {
    list(mailboxId) {
      return list.all(mailboxId).map(toMeta);
    },
    count(mailboxId) {
      return count.get(mailboxId)!.n;
    },
    read,
    readRange,
    readMany(entries) {
      return entries.map((e) => (e.length === undefined ? read(e.id) : readRange(e.id, 0, e.length)));
    },
    uids(mailboxId, aboveUid = 0) {
      return uidList.all(mailboxId, aboveUid);
    },
    meta(mailboxId, uids) {
      return pick(metaLookup, mailboxId, uids, rawUid).map(metaOf);
    },
    rows(mailboxId, uids, columns) {
      const { lookup: statements, index } = rowLookup(columns);
      return pick(statements, mailboxId, uids, rawUid).map((r) => toRow(r, index));
    },
    rowWithBytes(mailboxId, uid, columns) {
      const { lookup: statements, wanted, index } = rowLookup(columns, true);
      const r = statements.one.get(mailboxId, uid);
      if (r === undefined) return null;
      const row = toRow(r, index);
      const at = META_COUNT + wanted.length;
      return { row, bytes: joined(row.id, { prefix: r[at] as Buffer, data: r[at + 1] as Buffer | null }) };
    },
    setEnvelopeWire(entries) {
      if (entries.length === 0) return;
      db.transaction(() => {
        for (const { id, wire } of entries) setEnvelopeWire.run(wire, id);
      })();
    },
    changedSince(mailboxId, modseq) {
      return changed.all(mailboxId, modseq).map(toMeta);
    },
    expungedSince(mailboxId, modseq) {
      return expunged.all(mailboxId, modseq);
    },
    counts(mailboxId, firstRecentUid) {
      const row = counts.get(firstRecentUid, mailboxId)!;
      return { messages: row.messages, unseen: row.unseen ?? 0, recent: row.recent ?? 0, size: row.size ?? 0, deleted: row.deleted ?? 0 };
    },
    firstUnseen(mailboxId) {
      return firstUnseen.get(mailboxId) ?? null;
    },
    keywordsInUse(mailboxId) {
      return distinctKeywords(keywordSets.all(mailboxId).flatMap((k) => k.split(' ')));
    },
  };
}
