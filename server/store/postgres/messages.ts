// Messages on PostgreSQL, with the contract and invariants of ../messages.ts. Several nodes write to
// one mailbox at once, so every write takes the mailbox row's lock first (the UPDATE that takes the
// next UID or MODSEQ, or SELECT ... FOR UPDATE before reading what it will change): UIDs and MODSEQs
// never repeat or go backwards, and a flag change never works from a stale read. Transfers lock both
// mailboxes in id order, so two opposite MOVEs wait for each other instead of deadlocking.
import type { Clock } from '../../clock.js';
import type { Async } from '../index.js';
import type { AccountRepo } from '../accounts.js';
import type { BlobRepo } from '../blobs.js';
import type { StoreChange, WithChanges } from '../changes.js';
import { ExpungedError } from '../errors.js';
import { distinctKeywords, planFlagUpdate } from '../message-flags.js';
import { CACHED_COLUMNS, META_COLUMNS, MIME_JOIN, toMeta, type MetaRow } from '../message-rows.js';
import type { CachedColumn, MessageRepo, MessageRow, SearchRow, Transfer } from '../messages.js';
import type { Sql } from './sql.js';

const CACHED_SQL: Record<CachedColumn, string> = { envelope: 'envelope', envelopeWire: 'envelope_wire', bodystructure: 'bodystructure', parts: 'parts' };

type Row = MetaRow & { envelope?: string; envelope_wire?: string | null; bodystructure?: string; parts?: string; prefix?: Buffer; data?: Buffer | null };

const toRow = (r: Row): MessageRow => ({
  ...toMeta(r),
  envelope: r.envelope ?? null,
  envelopeWire: r.envelope_wire ?? null,
  bodystructure: r.bodystructure ?? null,
  parts: r.parts ?? null,
});

/** prefix || data (a message without a prefix is its blob). */
function joined(messageId: number, prefix: Buffer, data: Buffer | null | undefined): Buffer {
  if (data === null || data === undefined) throw new Error(`blob of message ${messageId} is missing`);
  if (prefix.length === 0) return data;
  return data.length === 0 ? prefix : Buffer.concat([prefix, data]);
}

const columnsSql = (columns: readonly CachedColumn[]) => CACHED_COLUMNS.filter((c) => columns.includes(c)).map((c) => `, ${CACHED_SQL[c]}`).join('');

const COPY_COLUMNS = 'flags, keywords, internal_date, size, blob_id, prefix, sent_date';
const MIME_COLUMNS = 'envelope, envelope_wire, bodystructure, parts, search_headers';

interface Slot {
  uid: number;
  modseq: number;
  account_id: number;
}

export function createMessageRepo(sql: Sql, blobs: Async<BlobRepo>, accounts: Async<AccountRepo>, clock: Clock): Async<MessageRepo> {
  const lockMailboxes = async (...ids: number[]) => {
    await sql.run('SELECT 1 FROM mailboxes WHERE id = ANY(?::bigint[]) ORDER BY id FOR UPDATE', [ids]);
  };
  const allocate = async (mailboxId: number): Promise<Slot> => {
    const slot = await sql.one<Slot>(
      'UPDATE mailboxes SET uidnext = uidnext + 1, highest_modseq = highest_modseq + 1 WHERE id = ? RETURNING uidnext - 1 AS uid, highest_modseq AS modseq, account_id',
      [mailboxId],
    );
    if (!slot) throw new Error(`mailbox ${mailboxId} is missing`);
    return slot;
  };
  const bumpModseq = async (mailboxId: number) =>
    (await sql.one<{ modseq: number; account_id: number }>(
      'UPDATE mailboxes SET highest_modseq = highest_modseq + 1 WHERE id = ? RETURNING highest_modseq AS modseq, account_id',
      [mailboxId],
    ))!;
  const pick = (columns: string, mailboxId: number, uids: readonly number[], from = 'messages') =>
    uids.length === 0
      ? Promise.resolve([])
      : sql.all<Row>(`SELECT ${columns} FROM ${from} WHERE mailbox_id = ? AND uid = ANY(?::bigint[]) ORDER BY uid`, [mailboxId, uids]);

  const expunge = async (mailboxId: number, uids: number[]): Promise<WithChanges<number[]>> => {
    await lockMailboxes(mailboxId);
    const rows = await sql.all<{ id: number; uid: number; blob_id: number; size: number }>(
      'SELECT id, uid, blob_id, size FROM messages WHERE mailbox_id = ? AND uid = ANY(?::bigint[]) ORDER BY uid',
      [mailboxId, uids],
    );
    if (rows.length === 0) return { result: [], changes: [] };
    const { modseq, account_id } = await bumpModseq(mailboxId);
    const removed = rows.map((r) => r.uid);
    await sql.run('DELETE FROM messages WHERE id = ANY(?::bigint[])', [rows.map((r) => r.id)]);
    await sql.run(
      `INSERT INTO expunged (mailbox_id, uid, modseq) SELECT ?, uid, ? FROM unnest(?::bigint[]) AS uid
       ON CONFLICT (mailbox_id, uid) DO UPDATE SET modseq = excluded.modseq`,
      [mailboxId, modseq, removed],
    );
    for (const row of rows) await blobs.release(row.blob_id);
    await accounts.addUsage(account_id, -rows.reduce((n, r) => n + r.size, 0));
    return { result: removed, changes: [{ kind: 'messages-expunged', accountId: account_id, mailboxId, uids: removed, modseq }] };
  };

  const copy = async (fromMailboxId: number, uids: readonly number[], toMailboxId: number, requireAll = false): Promise<WithChanges<Transfer>> => {
    await lockMailboxes(fromMailboxId, toMailboxId);
    const sources = await pick('id, uid, blob_id, size', fromMailboxId, uids);
    if (requireAll && sources.length < uids.length) throw new ExpungedError('Some of the requested messages no longer exist');
    const result: Transfer = { sourceUids: [], destinationUids: [] };
    const changes: StoreChange[] = [];
    const saveDate = clock.now();
    for (const source of sources) {
      const slot = await allocate(toMailboxId);
      await sql.run(
        `WITH n AS (INSERT INTO messages (mailbox_id, uid, modseq, save_date, ${COPY_COLUMNS})
           SELECT ?, ?, ?, ?, ${COPY_COLUMNS} FROM messages WHERE id = ? RETURNING id)
         INSERT INTO message_mime (id, ${MIME_COLUMNS}) SELECT n.id, ${MIME_COLUMNS} FROM n, message_mime WHERE message_mime.id = ?`,
        [toMailboxId, slot.uid, slot.modseq, saveDate, source.id, source.id],
      );
      const blobId = (source as unknown as { blob_id: number }).blob_id;
      await blobs.addRefs(blobId, 1);
      await accounts.addUsage(slot.account_id, source.size);
      result.sourceUids.push(source.uid);
      result.destinationUids.push(slot.uid);
      changes.push({ kind: 'message-added', accountId: slot.account_id, mailboxId: toMailboxId, uid: slot.uid, modseq: slot.modseq });
    }
    return { result, changes };
  };

  return {
    async append(mailboxId, m, atUid) {
      const slot =
        atUid === undefined
          ? await allocate(mailboxId)
          : await sql.one<Slot>(
              'UPDATE mailboxes SET uidnext = greatest(uidnext, ? + 1), highest_modseq = highest_modseq + 1 WHERE id = ? RETURNING ?::bigint AS uid, highest_modseq AS modseq, account_id',
              [atUid, mailboxId, atUid],
            );
      if (!slot) throw new Error(`mailbox ${mailboxId} is missing`);
      await sql.run(
        `WITH n AS (INSERT INTO messages (mailbox_id, uid, modseq, flags, keywords, internal_date, size, blob_id, prefix, sent_date, save_date)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id)
         INSERT INTO message_mime (id, envelope, envelope_wire, bodystructure, parts) SELECT id, ?, ?, ?, ? FROM n`,
        [mailboxId, slot.uid, slot.modseq, m.flags, m.keywords.join(' '), m.internalDate, m.size, m.blobId, m.prefix, m.sentDate, clock.now(), m.envelope, m.envelopeWire ?? null, m.bodystructure, m.parts],
      );
      await accounts.addUsage(slot.account_id, m.size);
      const change: StoreChange = { kind: 'message-added', accountId: slot.account_id, mailboxId, uid: slot.uid, modseq: slot.modseq };
      return { result: { uid: slot.uid, modseq: slot.modseq }, changes: [change] };
    },
    list: async (mailboxId) => (await sql.all<MetaRow>(`SELECT ${META_COLUMNS} FROM messages WHERE mailbox_id = ? ORDER BY uid`, [mailboxId])).map(toMeta),
    count: async (mailboxId) => (await sql.value<number>('SELECT count(*) FROM messages WHERE mailbox_id = ?', [mailboxId]))!,
    expunge,
    async read(messageId) {
      const row = await sql.one<{ prefix: Buffer; data: Buffer | null }>('SELECT m.prefix, b.data FROM messages m LEFT JOIN blobs b ON b.id = m.blob_id WHERE m.id = ?', [messageId]);
      return row === undefined ? null : joined(messageId, row.prefix, row.data);
    },
    async readRange(messageId, start, length) {
      // The part of [start, start+length) in the prefix, and the rest from the blob (substring counts from 1).
      const row = await sql.one<{ prefix: Buffer; data: Buffer | null }>(
        `SELECT CASE WHEN $2 < length(m.prefix) THEN substring(m.prefix FROM $2 + 1 FOR $3) ELSE '\\x'::bytea END AS prefix,
                substring(b.data FROM greatest($2 - length(m.prefix), 0) + 1 FOR greatest($2 + $3 - greatest($2, length(m.prefix)), 0)) AS data
         FROM messages m LEFT JOIN blobs b ON b.id = m.blob_id WHERE m.id = $1`,
        [messageId, start, Math.max(length, 0)],
      );
      if (row === undefined) return null;
      return length <= 0 ? Buffer.alloc(0) : joined(messageId, row.prefix, row.data);
    },
    async readMany(entries) {
      if (entries.length === 0) return [];
      // -1: the whole message; else its first `length` bytes across the prefix/blob seam.
      const rows = await sql.all<{ n: number; id: number; prefix: Buffer; data: Buffer | null }>(
        `SELECT e.n, m.id, CASE WHEN e.len < 0 THEN m.prefix ELSE substring(m.prefix FROM 1 FOR e.len) END AS prefix,
                CASE WHEN e.len < 0 THEN b.data ELSE substring(b.data FROM 1 FOR greatest(e.len - length(m.prefix), 0)) END AS data
         FROM unnest(?::bigint[], ?::int[]) WITH ORDINALITY AS e(id, len, n)
         JOIN messages m ON m.id = e.id LEFT JOIN blobs b ON b.id = m.blob_id`,
        [entries.map((e) => e.id), entries.map((e) => (e.length === undefined ? -1 : Math.max(e.length, 0)))],
      );
      const out: Array<Buffer | null> = entries.map(() => null);
      for (const r of rows) out[Number(r.n) - 1] = joined(r.id, r.prefix, r.data);
      return out;
    },
    uids: async (mailboxId, aboveUid = 0) =>
      (await sql.all<{ uid: number }>('SELECT uid FROM messages WHERE mailbox_id = ? AND uid > ? ORDER BY uid', [mailboxId, aboveUid])).map((r) => r.uid),
    meta: async (mailboxId, uids) => (await pick(META_COLUMNS, mailboxId, uids)).map(toMeta),
    rows: async (mailboxId, uids, columns) => {
      const extra = columnsSql(columns);
      return (await pick(META_COLUMNS + extra, mailboxId, uids, extra === '' ? 'messages' : MIME_JOIN)).map(toRow);
    },
    async rowWithBytes(mailboxId, uid, columns) {
      const r = await sql.one<Row>(
        `SELECT ${META_COLUMNS.split(', ').map((c) => `m.${c}`).join(', ')}${columnsSql(columns).replaceAll(', ', ', c.')}, m.prefix, b.data
         FROM messages m JOIN message_mime c ON c.id = m.id LEFT JOIN blobs b ON b.id = m.blob_id WHERE m.mailbox_id = ? AND m.uid = ?`,
        [mailboxId, uid],
      );
      if (r === undefined) return null;
      return { row: toRow(r), bytes: joined(r.id, r.prefix!, r.data) };
    },
    async searchRows(mailboxId, columns) {
      const extra = `${columns.headers ? ', search_headers' : ''}${columns.parts ? ', parts' : ''}`;
      const needle = columns.headerNeedle;
      const filter = needle === undefined ? '' : ' AND (search_headers IS NULL OR strpos(search_headers, ?) > 0 OR strpos(search_headers, chr(92)) > 0)';
      const rows = await sql.all<MetaRow & { sent_date: number | null; search_headers?: string | null; parts?: string }>(
        `SELECT ${META_COLUMNS}, sent_date${extra} FROM ${extra === '' && needle === undefined ? 'messages' : MIME_JOIN} WHERE mailbox_id = ? AND uid > ?${filter} ORDER BY uid LIMIT ?`,
        // LIMIT NULL is none.
        [mailboxId, columns.afterUid ?? 0, ...(needle === undefined ? [] : [needle]), columns.limit ?? null],
      );
      return rows.map((r): SearchRow => ({ ...toMeta(r), sentDate: r.sent_date, searchHeaders: r.search_headers ?? null, parts: r.parts ?? null }));
    },
    async setSearchHeaders(entries) {
      if (entries.length === 0) return;
      await sql.run('UPDATE message_mime m SET search_headers = e.text FROM unnest(?::bigint[], ?::text[]) AS e(id, text) WHERE m.id = e.id', [
        entries.map((e) => e.id),
        entries.map((e) => e.text),
      ]);
    },
    async setEnvelopeWire(entries) {
      if (entries.length === 0) return;
      await sql.run('UPDATE message_mime m SET envelope_wire = e.wire FROM unnest(?::bigint[], ?::text[]) AS e(id, wire) WHERE m.id = e.id AND m.envelope_wire IS NULL', [
        entries.map((e) => e.id),
        entries.map((e) => e.wire),
      ]);
    },
    changedSince: async (mailboxId, modseq) =>
      (await sql.all<MetaRow>(`SELECT ${META_COLUMNS} FROM messages WHERE mailbox_id = ? AND modseq > ? ORDER BY uid`, [mailboxId, modseq])).map(toMeta),
    expungedSince: async (mailboxId, modseq) =>
      (await sql.all<{ uid: number }>('SELECT uid FROM expunged WHERE mailbox_id = ? AND modseq > ? ORDER BY uid', [mailboxId, modseq])).map((r) => r.uid),
    async counts(mailboxId, firstRecentUid) {
      const row = (await sql.one<{ messages: number; unseen: number; recent: number; size: number; deleted: number }>(
        `SELECT count(*) AS messages, count(*) FILTER (WHERE (flags & 1) = 0) AS unseen, count(*) FILTER (WHERE uid >= ?) AS recent,
                coalesce(sum(size), 0) AS size, count(*) FILTER (WHERE (flags & 8) <> 0) AS deleted FROM messages WHERE mailbox_id = ?`,
        [firstRecentUid, mailboxId],
      ))!;
      return row;
    },
    firstUnseen: async (mailboxId) => (await sql.value<number | null>('SELECT min(uid) FROM messages WHERE mailbox_id = ? AND (flags & 1) = 0', [mailboxId])) ?? null,
    async keywordsInUse(mailboxId) {
      const sets = await sql.all<{ keywords: string }>("SELECT DISTINCT keywords FROM messages WHERE mailbox_id = ? AND keywords <> ''", [mailboxId]);
      return distinctKeywords(sets.flatMap((r) => r.keywords.split(' ')));
    },
    async updateFlags(mailboxId, uids, change, unchangedSince) {
      await lockMailboxes(mailboxId);
      const { result, writes, stamp } = planFlagUpdate((await pick(META_COLUMNS, mailboxId, uids)).map(toMeta), change, unchangedSince);
      if (writes.length === 0) return { result, changes: [] };
      const slot = await bumpModseq(mailboxId);
      stamp(slot.modseq);
      await sql.run('UPDATE messages m SET flags = u.flags, keywords = u.keywords, modseq = ? FROM unnest(?::bigint[], ?::int[], ?::text[]) AS u(id, flags, keywords) WHERE m.id = u.id', [
        slot.modseq,
        writes.map((w) => w.id),
        writes.map((w) => w.entry.flags),
        writes.map((w) => w.entry.keywords.join(' ')),
      ]);
      return { result, changes: [{ kind: 'flags-changed', accountId: slot.account_id, mailboxId, uids: writes.map((w) => w.entry.uid), modseq: slot.modseq }] };
    },
    copy,
    async move(fromMailboxId, uids, toMailboxId, requireAll = false) {
      const copied = await copy(fromMailboxId, uids, toMailboxId, requireAll);
      const removed = await expunge(fromMailboxId, copied.result.sourceUids);
      return { result: copied.result, changes: [...copied.changes, ...removed.changes] };
    },
  };
}
