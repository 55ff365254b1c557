// Messages in mailboxes. Invariants: UIDs are strictly ascending per mailbox (taken from uidnext in
// the same statement that bumps it); every change gets the mailbox's next MODSEQ — one per operation,
// shared by every message it changed, and none when it changed nothing; the account's used_bytes and
// the blob's refcount change in the same transaction as the row. A message's bytes are
// `prefix || blob` (see migrations/0001), read only through this module. Keywords compare
// case-insensitively (RFC 3501 §2.3.2) and keep the spelling they were first stored with.
// `envelope_wire` (migrations/0003) is the ENVELOPE in IMAP wire form or NULL; it is copied with the
// row and filled by setEnvelopeWire() only where it is still NULL.
import type { Db } from './db.js';
import type { BlobRepo } from './blobs.js';
import type { AccountRepo } from './accounts.js';
import type { StoreChange, WithChanges } from './changes.js';
import { ExpungedError } from './errors.js';

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
  /** `envelope` in IMAP wire form (migrations/0003); absent or null: FETCH computes it on first use. */
  envelopeWire?: string | null;
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

/** A message's flags: system flags as FLAG_BITS, keywords as stored. */
export interface FlagState {
  uid: number;
  modseq: number;
  flags: number;
  keywords: string[];
}

export interface FlagChange {
  /** replace: set exactly these; add / remove: these in addition / no longer. */
  action: 'replace' | 'add' | 'remove';
  flags: number;
  keywords: readonly string[];
}

export interface FlagUpdate {
  /** Every requested message that exists, after the update, ascending by UID. */
  messages: Array<FlagState & { changed: boolean }>;
  /** UIDs left alone because their mod-sequence was above `unchangedSince` (RFC 7162 §3.1.3). */
  modified: number[];
}

/**
 * The cached MIME data of a message row: JSON of the ENVELOPE / BODYSTRUCTURE values and the part
 * tree, and the ENVELOPE in IMAP wire form (migrations/0003).
 */
export type CachedColumn = 'envelope' | 'envelopeWire' | 'bodystructure' | 'parts';

/** A message row with the cached columns asked for (null: not read). */
export interface MessageRow extends MessageMeta {
  envelope: string | null;
  /** Null also when read but not computed yet (migrations/0003). */
  envelopeWire: string | null;
  bodystructure: string | null;
  parts: string | null;
}

/** What SEARCH reads of every message; `searchHeaders`/`parts` only when asked for. */
export interface SearchRow extends MessageMeta {
  sentDate: number | null;
  /** migrations/0002: decoded, lower-cased "name: value" lines, or null when not computed yet. */
  searchHeaders: string | null;
  parts: string | null;
}

export interface Transfer {
  sourceUids: number[];
  destinationUids: number[];
}

export interface MailboxCounts {
  messages: number;
  unseen: number;
  recent: number;
}

export interface MessageRepo {
  /** Appends to a mailbox; must run inside the caller's transaction when combined with other writes. */
  append(mailboxId: number, message: NewMessage): WithChanges<{ uid: number; modseq: number }>;
  list(mailboxId: number): MessageMeta[];
  count(mailboxId: number): number;
  /** Removes the given UIDs (absent ones are ignored); returns the UIDs actually removed. */
  expunge(mailboxId: number, uids: number[]): WithChanges<number[]>;
  /** The full bytes of a message (prefix + blob); null when the message is gone (expunged meanwhile). */
  read(messageId: number): Buffer | null;
  /** Bytes [start, start+length) of the message, across the prefix/blob seam; null when it is gone. */
  readRange(messageId: number, start: number, length: number): Buffer | null;
  /** The mailbox's UIDs above `aboveUid` (default: all), ascending. */
  uids(mailboxId: number, aboveUid?: number): number[];
  /** Metadata of the given UIDs (ascending, duplicate-free) that exist, ascending. */
  meta(mailboxId: number, uids: readonly number[]): MessageMeta[];
  /** The same with the cached columns asked for (FETCH reads only what it sends). */
  rows(mailboxId: number, uids: readonly number[], columns: readonly CachedColumn[]): MessageRow[];
  /** One message's row and its full bytes (prefix + blob) in one statement, or null if it does not exist. */
  rowWithBytes(mailboxId: number, uid: number, columns: readonly CachedColumn[]): { row: MessageRow; bytes: Buffer } | null;
  /**
   * The mailbox's messages for SEARCH, ascending by UID. With `headerNeedle`, only those whose
   * search_headers contain it (or are not computed yet): the evaluator's prefilter.
   */
  searchRows(mailboxId: number, columns: { headers: boolean; parts: boolean; headerNeedle?: string }): SearchRow[];
  /** Fills the search_headers cache (migrations/0002). */
  setSearchHeaders(entries: ReadonlyArray<{ id: number; text: string }>): void;
  /** Fills the envelope_wire cache (migrations/0003) of rows where it is still NULL. */
  setEnvelopeWire(entries: ReadonlyArray<{ id: number; wire: string }>): void;
  /** Messages whose mod-sequence is above `modseq`, ascending by UID (CONDSTORE/QRESYNC). */
  changedSince(mailboxId: number, modseq: number): MessageMeta[];
  /** UIDs expunged with a mod-sequence above `modseq`, ascending (QRESYNC VANISHED). */
  expungedSince(mailboxId: number, modseq: number): number[];
  /** Message, unseen and recent (uid >= firstRecentUid) counts, for STATUS. */
  counts(mailboxId: number, firstRecentUid: number): MailboxCounts;
  /** The lowest UID without \Seen, or null (SELECT's UNSEEN). */
  firstUnseen(mailboxId: number): number | null;
  /** Distinct keywords set on the mailbox's messages (for the FLAGS response). */
  keywordsInUse(mailboxId: number): string[];
  /**
   * Changes the flags of the given UIDs (ascending, duplicate-free) with one new mod-sequence; with
   * `unchangedSince`, messages whose mod-sequence is above it are left alone and reported.
   */
  updateFlags(mailboxId: number, uids: readonly number[], change: FlagChange, unchangedSince: number | null): WithChanges<FlagUpdate>;
  /**
   * Copies the given UIDs (ascending) to another mailbox: same bytes (blob shared), flags and date.
   * UIDs that do not exist are skipped, or with `requireAll` nothing is copied (ExpungedError).
   */
  copy(fromMailboxId: number, uids: readonly number[], toMailboxId: number, requireAll?: boolean): WithChanges<Transfer>;
  /** copy, then expunge the originals, in one transaction (RFC 6851). */
  move(fromMailboxId: number, uids: readonly number[], toMailboxId: number, requireAll?: boolean): WithChanges<Transfer>;
}

/** Point lookups up to this many UIDs, or when the UIDs are this sparse; a range scan otherwise. */
const POINT_LOOKUPS = 48;
const SPARSE_FACTOR = 8;
const META_COLUMNS = 'id, uid, modseq, flags, keywords, internal_date, size';
const CACHED_COLUMNS: readonly CachedColumn[] = ['envelope', 'envelopeWire', 'bodystructure', 'parts'];
const CACHED_SQL: Record<CachedColumn, string> = { envelope: 'envelope', envelopeWire: 'envelope_wire', bodystructure: 'bodystructure', parts: 'parts' };
const META_COUNT = META_COLUMNS.split(',').length;
/** A message's bytes after its other columns: the prefix, then the blob (a scalar subquery, so no column is ambiguous). */
const BYTES_SQL = 'prefix, (SELECT data FROM blobs WHERE blobs.id = messages.blob_id)';


interface SearchDbRow extends MetaRow {
  sent_date: number | null;
  search_headers?: string | null;
  parts?: string;
}

interface CopySource {
  uid: number;
  flags: number;
  keywords: string;
  internal_date: number;
  size: number;
  blob_id: number;
  prefix: Buffer;
  sent_date: number | null;
  envelope: string;
  envelope_wire: string | null;
  bodystructure: string;
  parts: string;
  search_headers: string | null;
}

/** Statements that read rows by one UID and by a UID range. */
interface Lookup<R> {
  one: { get(mailboxId: number, uid: number): R | undefined };
  range: { all(mailboxId: number, from: number, to: number): R[] };
}

/** A row read in raw mode (an array, which better-sqlite3 builds twice as fast as an object): META_COLUMNS first. */
type RawRow = unknown[];
const RAW_UID = 1;

function metaOf(r: RawRow): MessageMeta {
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
function pick<R>(lookup: Lookup<R>, mailboxId: number, uids: readonly number[], uidOf: (row: R) => number): R[] {
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

const lower = (keyword: string) => keyword.toLowerCase();

/** `keywords` without case-insensitive duplicates, first spelling kept. */
function distinctKeywords(keywords: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const k of keywords) {
    if (seen.has(lower(k))) continue;
    seen.add(lower(k));
    out.push(k);
  }
  return out;
}

function applyKeywords(current: string[], change: FlagChange): string[] {
  switch (change.action) {
    case 'replace':
      return distinctKeywords(change.keywords);
    case 'add':
      return distinctKeywords([...current, ...change.keywords]);
    case 'remove': {
      const drop = new Set(change.keywords.map(lower));
      return current.filter((k) => !drop.has(lower(k)));
    }
  }
}

function applyFlags(current: number, change: FlagChange): number {
  if (change.action === 'replace') return change.flags;
  return change.action === 'add' ? current | change.flags : current & ~change.flags;
}

function sameKeywords(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a.map(lower));
  return b.every((k) => set.has(lower(k)));
}

/** A message's bytes as read in one statement: its prefix and (a range of) its blob; null: blob missing. */
interface Bytes {
  prefix: Buffer;
  data: Buffer | null;
}

export function createMessageRepo(db: Db, blobs: BlobRepo, accounts: AccountRepo): MessageRepo {
  const allocate = db.prepare<[number], { uid: number; modseq: number; account_id: number }>(`
    UPDATE mailboxes SET uidnext = uidnext + 1, highest_modseq = highest_modseq + 1 WHERE id = ?
    RETURNING uidnext - 1 AS uid, highest_modseq AS modseq, account_id`);
  const bumpModseq = db.prepare<[number], { modseq: number; account_id: number }>(
    'UPDATE mailboxes SET highest_modseq = highest_modseq + 1 WHERE id = ? RETURNING highest_modseq AS modseq, account_id',
  );
  const insert = db.prepare(`
    INSERT INTO messages (mailbox_id, uid, modseq, flags, keywords, internal_date, size, blob_id, prefix, sent_date, envelope, envelope_wire, bodystructure, parts)
    VALUES (@mailboxId, @uid, @modseq, @flags, @keywords, @internalDate, @size, @blobId, @prefix, @sentDate, @envelope, @envelopeWire, @bodystructure, @parts)`);
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
  // One statement per read (prefix and blob together): a BODY[] costs one round trip into SQLite, not two.
  const whole = db.prepare<[number], Bytes>('SELECT m.prefix, b.data FROM messages m LEFT JOIN blobs b ON b.id = m.blob_id WHERE m.id = ?');
  // The part of [start, start+length) in the prefix, and the rest from the blob (substr counts from 1).
  const range = db.prepare<{ id: number; start: number; length: number }, Bytes>(`
    SELECT CASE WHEN @start < length(m.prefix) THEN substr(m.prefix, @start + 1, @length) ELSE x'' END AS prefix,
           substr(b.data, max(@start - length(m.prefix), 0) + 1, max(@start + @length - max(@start, length(m.prefix)), 0)) AS data
    FROM messages m LEFT JOIN blobs b ON b.id = m.blob_id WHERE m.id = @id`);
  const uidList = db.prepare<[number, number], number>('SELECT uid FROM messages WHERE mailbox_id = ? AND uid > ? ORDER BY uid').pluck();
  const lookup = <R>(columns: string, raw = false): Lookup<R> => ({
    one: db.prepare<[number, number], R>(`SELECT ${columns} FROM messages WHERE mailbox_id = ? AND uid = ?`).raw(raw),
    range: db.prepare<[number, number, number], R>(`SELECT ${columns} FROM messages WHERE mailbox_id = ? AND uid BETWEEN ? AND ? ORDER BY uid`).raw(raw),
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
      rowLookups.set(key, (found = { lookup: lookup<RawRow>(sql, true), wanted, index }));
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
  const copyLookup = lookup<CopySource>(
    'uid, flags, keywords, internal_date, size, blob_id, prefix, sent_date, envelope, envelope_wire, bodystructure, parts, search_headers',
  );
  const searchStatements = new Map<string, { all(...params: Array<number | string>): SearchDbRow[] }>();
  const searchStatement = (headers: boolean, parts: boolean, needle: boolean) => {
    const key = `${headers}/${parts}/${needle}`;
    let statement = searchStatements.get(key);
    if (statement === undefined) {
      const extra = `${headers ? ', search_headers' : ''}${parts ? ', parts' : ''}`;
      const filter = needle ? ' AND (search_headers IS NULL OR instr(search_headers, ?) > 0)' : '';
      statement = db.prepare<Array<number | string>, SearchDbRow>(`SELECT ${META_COLUMNS}, sent_date${extra} FROM messages WHERE mailbox_id = ?${filter} ORDER BY uid`);
      searchStatements.set(key, statement);
    }
    return statement;
  };
  const setSearchHeaders = db.prepare<[string, number]>('UPDATE messages SET search_headers = ? WHERE id = ?');
  const setEnvelopeWire = db.prepare<[string, number]>('UPDATE messages SET envelope_wire = ? WHERE id = ? AND envelope_wire IS NULL');
  const changed = db.prepare<[number, number], MetaRow>(`SELECT ${META_COLUMNS} FROM messages WHERE mailbox_id = ? AND modseq > ? ORDER BY uid`);
  const expunged = db.prepare<[number, number], number>('SELECT uid FROM expunged WHERE mailbox_id = ? AND modseq > ? ORDER BY uid').pluck();
  const counts = db.prepare<[number, number], { messages: number; unseen: number | null; recent: number | null }>(
    'SELECT count(*) AS messages, sum((flags & 1) = 0) AS unseen, sum(uid >= ?) AS recent FROM messages WHERE mailbox_id = ?',
  );
  const firstUnseen = db.prepare<[number], number | null>('SELECT min(uid) FROM messages WHERE mailbox_id = ? AND (flags & 1) = 0').pluck();
  const keywordSets = db.prepare<[number], string>("SELECT DISTINCT keywords FROM messages WHERE mailbox_id = ? AND keywords != ''").pluck();
  const setFlags = db.prepare<[number, string, number, number]>('UPDATE messages SET flags = ?, keywords = ?, modseq = ? WHERE id = ?');
  const insertCopy = db.prepare(`
    INSERT INTO messages (mailbox_id, uid, modseq, flags, keywords, internal_date, size, blob_id, prefix, sent_date, envelope, envelope_wire, bodystructure, parts, search_headers)
    VALUES (@mailboxId, @uid, @modseq, @flags, @keywords, @internal_date, @size, @blob_id, @prefix, @sent_date, @envelope, @envelope_wire, @bodystructure, @parts, @search_headers)`);

  /** prefix || data, copied only when both have bytes (a message without a prefix is its blob). */
  const joined = (messageId: number, bytes: Bytes): Buffer => {
    if (bytes.data === null) throw new Error(`blob of message ${messageId} is missing`);
    if (bytes.prefix.length === 0) return bytes.data;
    return bytes.data.length === 0 ? bytes.prefix : Buffer.concat([bytes.prefix, bytes.data]);
  };

  const copy = (fromMailboxId: number, uids: readonly number[], toMailboxId: number, requireAll = false): WithChanges<Transfer> =>
    db.transaction((): WithChanges<Transfer> => {
      const sources = pick(copyLookup, fromMailboxId, uids, (r) => r.uid);
      if (requireAll && sources.length < uids.length) throw new ExpungedError('Some of the requested messages no longer exist');
      const result: Transfer = { sourceUids: [], destinationUids: [] };
      const changes: StoreChange[] = [];
      for (const source of sources) {
        const slot = allocate.get(toMailboxId);
        if (!slot) throw new Error(`mailbox ${toMailboxId} is missing`);
        insertCopy.run({ ...source, mailboxId: toMailboxId, uid: slot.uid, modseq: slot.modseq });
        blobs.addRefs(source.blob_id, 1);
        accounts.addUsage(slot.account_id, source.size);
        result.sourceUids.push(source.uid);
        result.destinationUids.push(slot.uid);
        changes.push({ kind: 'message-added', accountId: slot.account_id, mailboxId: toMailboxId, uid: slot.uid, modseq: slot.modseq });
      }
      return { result, changes };
    })();

  const expunge = (mailboxId: number, uids: number[]): WithChanges<number[]> =>
    db.transaction((): WithChanges<number[]> => {
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
          envelopeWire: m.envelopeWire ?? null,
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
    expunge,
    read(messageId) {
      const bytes = whole.get(messageId);
      return bytes === undefined ? null : joined(messageId, bytes);
    },
    readRange(messageId, start, length) {
      const bytes = range.get({ id: messageId, start, length: Math.max(length, 0) });
      if (bytes === undefined) return null;
      return length <= 0 ? Buffer.alloc(0) : joined(messageId, bytes);
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
    searchRows(mailboxId, columns) {
      const needle = columns.headerNeedle;
      const statement = searchStatement(columns.headers, columns.parts, needle !== undefined);
      return (needle === undefined ? statement.all(mailboxId) : statement.all(mailboxId, needle)).map((r) => {
        const row = toMeta(r) as SearchRow;
        row.sentDate = r.sent_date;
        row.searchHeaders = r.search_headers ?? null;
        row.parts = r.parts ?? null;
        return row;
      });
    },
    setSearchHeaders(entries) {
      db.transaction(() => {
        for (const { id, text } of entries) setSearchHeaders.run(text, id);
      })();
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
      return { messages: row.messages, unseen: row.unseen ?? 0, recent: row.recent ?? 0 };
    },
    firstUnseen(mailboxId) {
      return firstUnseen.get(mailboxId) ?? null;
    },
    keywordsInUse(mailboxId) {
      return distinctKeywords(keywordSets.all(mailboxId).flatMap((k) => k.split(' ')));
    },
    updateFlags(mailboxId, uids, change, unchangedSince) {
      return db.transaction((): WithChanges<FlagUpdate> => {
        const result: FlagUpdate = { messages: [], modified: [] };
        let slot: { modseq: number; account_id: number } | undefined;
        const changedUids: number[] = [];
        for (const row of pick(metaLookup, mailboxId, uids, rawUid)) {
          const current = metaOf(row);
          if (unchangedSince !== null && current.modseq > unchangedSince) {
            result.modified.push(current.uid);
            continue;
          }
          const flags = applyFlags(current.flags, change);
          const keywords = applyKeywords(current.keywords, change);
          if (flags === current.flags && sameKeywords(keywords, current.keywords)) {
            result.messages.push({ uid: current.uid, modseq: current.modseq, flags, keywords: current.keywords, changed: false });
            continue;
          }
          slot ??= bumpModseq.get(mailboxId)!;
          setFlags.run(flags, keywords.join(' '), slot.modseq, current.id);
          changedUids.push(current.uid);
          result.messages.push({ uid: current.uid, modseq: slot.modseq, flags, keywords, changed: true });
        }
        const changes: StoreChange[] =
          slot === undefined ? [] : [{ kind: 'flags-changed', accountId: slot.account_id, mailboxId, uids: changedUids, modseq: slot.modseq }];
        return { result, changes };
      })();
    },
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
