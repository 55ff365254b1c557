// `mailroom migrate-store` (issue 19): copies a whole store from SQLite to PostgreSQL or back. Both
// ends are opened as stores first (so each is migrated to this version's schema, and one from a newer
// version is refused), then copied table by table at the SQL level: the two schemas are twins (every
// SQLite table and column has a PostgreSQL one of the same name; PostgreSQL has a few of its own, such
// as `nodes` and the queue's lease columns, which start empty).
//
// Invariants:
// - The source is read in one read transaction (a consistent snapshot); nothing may write to it
//   meanwhile, but a running server would only make the copy miss its later writes, never corrupt it.
// - Rows keep their ids, so every reference (blob_id, mailbox_id, ...) stays right; PostgreSQL's
//   identity sequences are moved past the copied ids at the end.
// - Resumable: rows go in batches, each committed; a table with an integer `id` continues after the
//   target's highest id, any other table is written again as upserts (idempotent). A target that
//   already holds mail is refused unless `resume` says it is this copy's target.
// - Verified: after the copy, every table's row count on both sides, and every blob's SHA-256
//   recomputed from the target's bytes against the hash it is stored under and the source's hashes.
// - A source table or column the target lacks is refused before anything is written (no silent loss).
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Clock } from '../clock.js';
import { openStore } from './index.js';
import { openPostgresStore } from './postgres/index.js';
import { isPostgresUrl } from './postgres/sql.js';
import { redactedUrl } from './select.js';

/** Rows written per committed batch (blobs: fewer, by bytes). */
const BATCH_ROWS = 500;
const BATCH_BYTES = 16 * 1024 * 1024;

/** Tables of one backend only, never copied (PostgreSQL's migration record and node heartbeats; SQLite's own). */
const NOT_COPIED = new Set(['schema_version', 'nodes', 'sqlite_sequence', 'sqlite_stat1', 'sqlite_stat4']);
/** SQLite's full-text index (message-text.ts) and its FTS5 tables: a SQLite target builds its own at its next start. */
const notCopied = (table: string) => NOT_COPIED.has(table) || table.startsWith('message_text');
/** Columns of PostgreSQL only: a queue row's claim by a node (a claimed row is taken back at the next start). */
const NOT_COPIED_COLUMNS = new Set(['queue.lease_until', 'queue.claimed_by']);

export interface MigrateProgress {
  table: string;
  copied: number;
  total: number;
}

export interface MigrateOptions {
  /** A SQLite database file or a postgres:// URL. */
  from: string;
  /** The other kind. */
  to: string;
  /** Continue a copy into a target that already holds rows. */
  resume?: boolean;
  clock: Clock;
  onProgress?(progress: MigrateProgress): void;
}

export interface MigrateReport {
  tables: Array<{ table: string; source: number; target: number }>;
  blobs: number;
  /** Empty when the copy is verified. */
  problems: string[];
}

export class MigrateRefused extends Error {
  override name = 'MigrateRefused';
}

type Row = unknown[];

/** One end of the copy, at the SQL level. */
interface End {
  readonly name: string;
  /** Table → columns (of this end's schema). */
  tables(): Promise<Map<string, string[]>>;
  count(table: string): Promise<number>;
  maxId(table: string): Promise<number>;
  /** Rows in primary-key order: after `afterId` for a table keyed by `id`, else from `offset`. */
  rows(table: string, columns: readonly string[], order: readonly string[], page: { afterId?: number; offset: number; limit: number }): Promise<Row[]>;
  /** Writes rows (an upsert on `key`) as one commit. */
  write(table: string, columns: readonly string[], key: readonly string[], rows: readonly Row[]): Promise<void>;
  /** Blobs after `afterId` (up to `throughId`): the hash each is stored under, and its bytes' hash computed here. */
  blobHashes(afterId: number, limit: number, throughId?: number): Promise<Array<{ id: number; sha256: Buffer; computed: Buffer }>>;
  /** After the copy: identity sequences past the copied ids. */
  finish(): Promise<void>;
  close(): Promise<void>;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The ON CONFLICT clause that makes writing a row again replace it (both dialects take this form). */
function upsert(columns: readonly string[], key: readonly string[]): string {
  if (key.length === 0) return '';
  const updates = columns.filter((c) => !key.includes(c)).map((c) => `${quote(c)} = excluded.${quote(c)}`);
  return ` ON CONFLICT (${key.map(quote).join(', ')}) DO ${updates.length === 0 ? 'NOTHING' : `UPDATE SET ${updates.join(', ')}`}`;
}
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

function sqliteEnd(file: string, reading: boolean): End {
  const db = new Database(file, { fileMustExist: true, readonly: reading });
  db.pragma('busy_timeout = 10000');
  if (reading) db.exec('BEGIN'); // one snapshot for the whole copy (WAL: writers are not held up)
  else db.pragma('foreign_keys = OFF'); // rows arrive table by table; the verification checks the whole
  const columnsOf = (table: string) => (db.prepare(`PRAGMA table_info(${quote(table)})`).all() as Array<{ name: string }>).map((c) => c.name);
  return {
    name: file,
    async tables() {
      const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
      return new Map(names.map((n) => [n, columnsOf(n)]));
    },
    count: async (table) => (db.prepare(`SELECT count(*) AS n FROM ${quote(table)}`).get() as { n: number }).n,
    maxId: async (table) => (db.prepare(`SELECT coalesce(max(id), 0) AS n FROM ${quote(table)}`).get() as { n: number }).n,
    async rows(table, columns, order, page) {
      const where = page.afterId === undefined ? '' : ' WHERE id > ?';
      const text = `SELECT ${columns.map(quote).join(', ')} FROM ${quote(table)}${where} ORDER BY ${order.map(quote).join(', ')} LIMIT ? OFFSET ?`;
      const params = page.afterId === undefined ? [page.limit, page.offset] : [page.afterId, page.limit, 0];
      return db.prepare(text).raw().all(...params) as Row[];
    },
    async write(table, columns, key, rows) {
      const insert = db.prepare(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})${upsert(columns, key)}`);
      db.transaction(() => {
        for (const row of rows) insert.run(...(row as unknown[]));
      })();
    },
    async blobHashes(afterId, limit, throughId = Number.MAX_SAFE_INTEGER) {
      const rows = db.prepare('SELECT id, sha256, data FROM blobs WHERE id > ? AND id <= ? ORDER BY id LIMIT ?').all(afterId, throughId, limit) as Array<{ id: number; sha256: Buffer; data: Buffer }>;
      return rows.map((r) => ({ id: r.id, sha256: r.sha256, computed: sha256(r.data) }));
    },
    async finish() {},
    async close() {
      if (reading) db.exec('COMMIT');
      db.close();
    },
  };
}

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

async function postgresEnd(url: string, reading: boolean): Promise<End> {
  const client = new pg.Client({ connectionString: url, types });
  await client.connect();
  if (reading) await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const identity = new Set<string>();
  return {
    name: redactedUrl(url),
    async tables() {
      const { rows } = await client.query<{ table_name: string; column_name: string; is_identity: string }>(
        "SELECT table_name, column_name, is_identity FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position",
      );
      const out = new Map<string, string[]>();
      for (const r of rows) {
        out.set(r.table_name, [...(out.get(r.table_name) ?? []), r.column_name]);
        if (r.is_identity === 'YES') identity.add(r.table_name);
      }
      return out;
    },
    count: async (table) => Number((await client.query(`SELECT count(*) AS n FROM ${quote(table)}`)).rows[0].n),
    maxId: async (table) => Number((await client.query(`SELECT coalesce(max(id), 0) AS n FROM ${quote(table)}`)).rows[0].n),
    async rows(table, columns, order, page) {
      const where = page.afterId === undefined ? '' : ' WHERE id > $3';
      const text = `SELECT ${columns.map(quote).join(', ')} FROM ${quote(table)}${where} ORDER BY ${order.map(quote).join(', ')} LIMIT $1 OFFSET $2`;
      const params = page.afterId === undefined ? [page.limit, page.offset] : [page.limit, 0, page.afterId];
      return (await client.query({ text, values: params, rowMode: 'array' })).rows as Row[];
    },
    async write(table, columns, key, rows) {
      if (rows.length === 0) return;
      const width = columns.length;
      const values = rows.map((_, r) => `(${columns.map((_c, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
      const overriding = identity.has(table) && columns.includes('id') ? ' OVERRIDING SYSTEM VALUE' : '';
      await client.query(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')})${overriding} VALUES ${values}${upsert(columns, key)}`, rows.flat());
    },
    async blobHashes(afterId, limit, throughId = Number.MAX_SAFE_INTEGER) {
      const { rows } = await client.query<{ id: number; sha256: Buffer; data: Buffer }>('SELECT id, sha256, data FROM blobs WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3', [
        afterId,
        throughId,
        limit,
      ]);
      return rows.map((r) => ({ id: r.id, sha256: r.sha256, computed: sha256(r.data) }));
    },
    async finish() {
      for (const table of identity) {
        await client.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), (SELECT coalesce(max(id), 0) + 1 FROM ${quote(table)}), false)`, [table]);
      }
    },
    async close() {
      if (reading) await client.query('COMMIT');
      await client.end();
    },
  };
}

/** Opens `where` as a store (migrating it) and closes it again: the schema is this version's after. */
async function migrateSchema(where: string, clock: Clock, create: boolean): Promise<void> {
  if (isPostgresUrl(where)) {
    await (await openPostgresStore(where, clock, { connections: 1 })).close();
    return;
  }
  if (!create) {
    try {
      new Database(where, { fileMustExist: true, readonly: true }).close();
    } catch {
      throw new MigrateRefused(`${where} is not a SQLite database file`);
    }
  }
  await openStore(where, clock, { readWorkers: 0 }).close();
}

/** The tables in an order where each comes after those it references (SQLite knows the references). */
function referenceOrder(sqliteFile: string, tables: readonly string[]): { order: string[]; keys: Map<string, string[]> } {
  const db = new Database(sqliteFile, { readonly: true });
  try {
    const refs = new Map<string, string[]>();
    const keys = new Map<string, string[]>();
    for (const t of tables) {
      refs.set(t, (db.prepare(`PRAGMA foreign_key_list(${quote(t)})`).all() as Array<{ table: string }>).map((r) => r.table).filter((r) => r !== t));
      const info = db.prepare(`PRAGMA table_info(${quote(t)})`).all() as Array<{ name: string; pk: number }>;
      keys.set(t, info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name));
    }
    const order: string[] = [];
    const visit = (t: string, path: Set<string>) => {
      if (order.includes(t) || path.has(t)) return;
      path.add(t);
      for (const r of refs.get(t) ?? []) if (tables.includes(r)) visit(r, path);
      order.push(t);
    };
    for (const t of [...tables].sort()) visit(t, new Set());
    return { order, keys };
  } finally {
    db.close();
  }
}

/** Copies the store at `from` into `to` (one SQLite file, one postgres:// URL), then verifies it. */
export async function migrateStore(options: MigrateOptions): Promise<MigrateReport> {
  const { from, to, clock } = options;
  if (isPostgresUrl(from) === isPostgresUrl(to)) throw new MigrateRefused('copy from a SQLite file to a postgres:// URL or back: one of each');
  const sqliteFile = isPostgresUrl(from) ? to : from;
  await migrateSchema(from, clock, false);
  await migrateSchema(to, clock, true);
  const source = isPostgresUrl(from) ? await postgresEnd(from, true) : sqliteEnd(from, true);
  let target: End | null = null;
  try {
    target = isPostgresUrl(to) ? await postgresEnd(to, false) : sqliteEnd(to, false);
    const sourceTables = await source.tables();
    const targetTables = await target.tables();
    const copied = [...sourceTables.keys()].filter((t) => !notCopied(t));
    for (const t of copied) {
      const there = targetTables.get(t);
      if (there === undefined) throw new MigrateRefused(`the target has no table ${t}: are both at the same Mailroom version?`);
      sourceTables.set(t, sourceTables.get(t)!.filter((c) => !NOT_COPIED_COLUMNS.has(`${t}.${c}`)));
      const missing = sourceTables.get(t)!.filter((c) => !there.includes(c));
      if (missing.length > 0) throw new MigrateRefused(`the target's ${t} has no column ${missing.join(', ')}`);
    }
    const { order, keys } = referenceOrder(sqliteFile, copied);
    if (!options.resume) {
      const held = await Promise.all(['domains', 'accounts', 'messages', 'blobs'].filter((t) => copied.includes(t)).map(async (t) => ((await target!.count(t)) > 0 ? t : null)));
      if (held.some((t) => t !== null)) throw new MigrateRefused(`${target.name} already holds data (${held.filter(Boolean).join(', ')}): give an empty database, or --resume to continue a copy into it`);
    }

    for (const table of order) {
      const columns = sourceTables.get(table)!;
      const key = keys.get(table)!;
      const total = await source.count(table);
      const byId = columns.includes('id') && key.length === 1 && key[0] === 'id';
      let done = 0;
      let afterId = byId ? await target.maxId(table) : 0;
      if (byId) done = total - (await sourceRowsAfter(source, table, afterId));
      options.onProgress?.({ table, copied: done, total });
      const limit = table === 'blobs' ? 50 : BATCH_ROWS;
      for (let offset = 0; ; ) {
        const rows = await source.rows(table, columns, key.length > 0 ? key : columns, byId ? { afterId, offset: 0, limit } : { offset, limit });
        if (rows.length === 0) break;
        // Big rows (blobs, message_mime with long caches) go in smaller commits.
        for (const slice of byBytes(rows)) await target.write(table, columns, key, slice);
        done += rows.length;
        offset += rows.length;
        if (byId) afterId = Number(rows[rows.length - 1][columns.indexOf('id')]);
        options.onProgress?.({ table, copied: done, total });
      }
    }
    await target.finish();
    return await verify(source, target, order);
  } finally {
    await source.close();
    await target?.close();
  }
}

async function sourceRowsAfter(source: End, table: string, afterId: number): Promise<number> {
  if (afterId === 0) return source.count(table);
  let n = 0;
  for (let after = afterId; ; ) {
    const rows = await source.rows(table, ['id'], ['id'], { afterId: after, offset: 0, limit: 10_000 });
    if (rows.length === 0) return n;
    n += rows.length;
    after = Number(rows[rows.length - 1][0]);
  }
}

/** Rows cut into slices of at most BATCH_BYTES of buffers and text (at least one row each). */
function byBytes(rows: readonly Row[]): Row[][] {
  const out: Row[][] = [];
  let slice: Row[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = row.reduce<number>((n, v) => n + (Buffer.isBuffer(v) ? v.length : typeof v === 'string' ? v.length : 8), 0);
    if (slice.length > 0 && bytes + size > BATCH_BYTES) {
      out.push(slice);
      slice = [];
      bytes = 0;
    }
    slice.push(row);
    bytes += size;
  }
  if (slice.length > 0) out.push(slice);
  return out;
}

async function verify(source: End, target: End, tables: readonly string[]): Promise<MigrateReport> {
  const problems: string[] = [];
  const counts: MigrateReport['tables'] = [];
  for (const table of tables) {
    const [s, t] = [await source.count(table), await target.count(table)];
    counts.push({ table, source: s, target: t });
    if (s !== t) problems.push(`${table}: ${s} rows in the source, ${t} in the target`);
  }
  let blobs = 0;
  for (let after = 0; ; ) {
    const s = await source.blobHashes(after, 200);
    if (s.length === 0) break;
    const through = s[s.length - 1].id;
    const mine = new Map((await target.blobHashes(after, Number.MAX_SAFE_INTEGER, through)).map((b) => [b.id, b]));
    for (const b of s) {
      const copy = mine.get(b.id);
      if (copy === undefined) problems.push(`blob ${b.id}: missing in the target`);
      else if (!copy.computed.equals(b.sha256) || !copy.sha256.equals(b.sha256)) problems.push(`blob ${b.id}: its bytes in the target do not hash to ${b.sha256.toString('hex')}`);
      else blobs++;
    }
    after = through;
  }
  return { tables: counts, blobs, problems };
}
