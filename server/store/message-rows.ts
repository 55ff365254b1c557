// The shared machinery of the message modules (message-*.ts): how a message row is read (metadata,
// cached columns, bytes; point lookups or one range scan), and the two statements that take a
// mailbox's next UID and mod-sequence. Statements are prepared once per database.
import type { Db } from './db.js';
import type { CachedColumn, MessageMeta, MessageRow } from './message-types.js';

/** Point lookups up to this many UIDs, or when the UIDs are this sparse; a range scan otherwise. */
const POINT_LOOKUPS = 48;
const SPARSE_FACTOR = 8;
export const META_COLUMNS = 'id, uid, modseq, flags, keywords, internal_date, size';
export const CACHED_COLUMNS: readonly CachedColumn[] = ['envelope', 'envelopeWire', 'bodystructure', 'parts'];
const CACHED_SQL: Record<CachedColumn, string> = { envelope: 'envelope', envelopeWire: 'envelope_wire', bodystructure: 'bodystructure', parts: 'parts' };
export const META_COUNT = META_COLUMNS.split(',').length;
/** A message's bytes after its other columns: the prefix, then the blob (a scalar subquery, so no column is ambiguous). */
const BYTES_SQL = 'prefix, (SELECT data FROM blobs WHERE blobs.id = messages.blob_id)';
/** messages with their cached MIME columns (migrations/0021). */
export const MIME_JOIN = 'messages JOIN message_mime USING (id)';

export interface MetaRow {
  id: number;
  uid: number;
  modseq: number;
  flags: number;
  keywords: string;
  internal_date: number;
  size: number;
}

export const toMeta = (r: MetaRow): MessageMeta => ({
  id: r.id,
  uid: r.uid,
  modseq: r.modseq,
  flags: r.flags,
  keywords: r.keywords === '' ? [] : r.keywords.split(' '),
  internalDate: r.internal_date,
  size: r.size,
});

/** Statements that read rows by one UID and by a UID range. */
export interface Lookup<R> {
  one: { get(mailboxId: number, uid: number): R | undefined };
  range: { all(mailboxId: number, from: number, to: number): R[] };
}

/** A row read in raw mode (an array, which better-sqlite3 builds twice as fast as an object): META_COLUMNS first. */
export type RawRow = unknown[];
const RAW_UID = 1;

export function metaOf(r: RawRow): MessageMeta {
  const keywords = r[4] as string;
  return {
    id: r[0] as number,
    uid: r[1] as number,
    modseq: r[2] as number,
    flags: r[3] as number,
    keywords: keywords === '' ? [] : keywords.split(' '),
    internalDate: r[5] as number,
    size: r[6] as number,
  };
}

/** The rows of `uids` (ascending) that exist, ascending: point lookups or one range scan. */
export function pick<R>(lookup: Lookup<R>, mailboxId: number, uids: readonly number[], uidOf: (row: R) => number): R[] {
  if (uids.length === 0) return [];
  const first = uids[0];
  const last = uids[uids.length - 1];
  if (uids.length <= POINT_LOOKUPS || uids.length * SPARSE_FACTOR < last - first) {
    const out: R[] = [];
    for (const uid of uids) {
      const row = lookup.one.get(mailboxId, uid);
      if (row !== undefined) out.push(row);
    }
    return out;
  }
  const rows = lookup.range.all(mailboxId, first, last);
  if (rows.length === uids.length) return rows; // the common 1:* case: every UID in range is wanted
  const out: R[] = [];
  let i = 0;
  for (const row of rows) {
    const uid = uidOf(row);
    while (i < uids.length && uids[i] < uid) i++;
    if (i === uids.length) break;
    if (uids[i] === uid) out.push(row);
  }
  return out;
}

/** A message's bytes as read in one statement: its prefix and (a range of) its blob; null: blob missing. */
export interface Bytes {
  prefix: Buffer;
  data: Buffer | null;
}

export type RowAccess = ReturnType<typeof createRowAccess>;

export function createRowAccess(db: Db) {
  const allocate = db.prepare<[number], { uid: number; modseq: number; account_id: number }>(`
    UPDATE mailboxes SET uidnext = uidnext + 1, highest_modseq = highest_modseq + 1 WHERE id = ?
    RETURNING uidnext - 1 AS uid, highest_modseq AS modseq, account_id`);
  // An imported message keeps the UID its old server gave it; the caller has checked it is above every UID used.
  const allocateAt = db.prepare<{ id: number; uid: number }, { uid: number; modseq: number; account_id: number }>(`
    UPDATE mailboxes SET uidnext = max(uidnext, @uid + 1), highest_modseq = highest_modseq + 1 WHERE id = @id
    RETURNING @uid AS uid, highest_modseq AS modseq, account_id`);
  const bumpModseq = db.prepare<[number], { modseq: number; account_id: number }>(
    'UPDATE mailboxes SET highest_modseq = highest_modseq + 1 WHERE id = ? RETURNING highest_modseq AS modseq, account_id',
  );
  const lookup = <R>(columns: string, raw = false, from = 'messages'): Lookup<R> => ({
    one: db.prepare<[number, number], R>(`SELECT ${columns} FROM ${from} WHERE mailbox_id = ? AND uid = ?`).raw(raw),
    range: db.prepare<[number, number, number], R>(`SELECT ${columns} FROM ${from} WHERE mailbox_id = ? AND uid BETWEEN ? AND ? ORDER BY uid`).raw(raw),
  });
  const rawUid = (r: RawRow) => r[RAW_UID] as number;
  const metaLookup = lookup<RawRow>(META_COLUMNS, true);
  const rowLookups = new Map<string, { lookup: Lookup<RawRow>; wanted: CachedColumn[]; index: number[] }>();
  const rowLookup = (columns: readonly CachedColumn[], withBytes = false) => {
    const wanted = CACHED_COLUMNS.filter((c) => columns.includes(c));
    const key = `${wanted.join(',')}${withBytes ? '+bytes' : ''}`;
    let found = rowLookups.get(key);
    if (found === undefined) {
      const sql = [META_COLUMNS, ...wanted.map((c) => CACHED_SQL[c]), ...(withBytes ? [BYTES_SQL] : [])].join(', ');
      // Where each of CACHED_COLUMNS is in the raw row, or -1.
      const index = CACHED_COLUMNS.map((c) => (wanted.includes(c) ? META_COUNT + wanted.indexOf(c) : -1));
      rowLookups.set(key, (found = { lookup: lookup<RawRow>(sql, true, wanted.length > 0 ? MIME_JOIN : 'messages'), wanted, index }));
    }
    return found;
  };
  /** A raw row as a MessageRow; `index`: where each of CACHED_COLUMNS is in it, or -1. */
  const toRow = (r: RawRow, [envelope, envelopeWire, bodystructure, parts]: readonly number[]): MessageRow => {
    const row = metaOf(r) as MessageRow;
    row.envelope = envelope < 0 ? null : (r[envelope] as string);
    row.envelopeWire = envelopeWire < 0 ? null : (r[envelopeWire] as string | null);
    row.bodystructure = bodystructure < 0 ? null : (r[bodystructure] as string);
    row.parts = parts < 0 ? null : (r[parts] as string);
    return row;
  };

  /** prefix || data, copied only when both have bytes (a message without a prefix is its blob). */
  const joined = (messageId: number, bytes: Bytes): Buffer => {
    if (bytes.data === null) throw new Error(`blob of message ${messageId} is missing`);
    if (bytes.prefix.length === 0) return bytes.data;
    return bytes.data.length === 0 ? bytes.prefix : Buffer.concat([bytes.prefix, bytes.data]);
  };

  return { allocate, allocateAt, bumpModseq, lookup, rawUid, metaLookup, rowLookup, toRow, joined };
}
