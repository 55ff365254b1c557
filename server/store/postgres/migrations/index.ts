// Numbered PostgreSQL schema migrations (their own numbers, independent of SQLite's), run at start in
// one transaction under an advisory lock, so two nodes starting together migrate once. The version is
// the highest row of `schema_version`; a database from a newer Mailroom is refused. A new migration
// takes a number above the last one on main (0006 stays unused: a database at 7 would skip it).
import type { Sql } from '../sql.js';
import type { PostgresMigration } from './migration.js';
import { p0001 } from './0001-initial.js';
import { p0002 } from './0002-sieve-generation.js';
import { p0003 } from './0003-policy-generation.js';
import { p0004 } from './0004-nodes.js';
import { p0005 } from './0005-message-meta-index.js';
import { p0007 } from './0007-urlauth-keys.js';
import { p0008 } from './0008-acl.js';
import { p0009 } from './0009-message-mime.js';
import { p0010 } from './0010-save-date.js';

export type { PostgresMigration };

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [p0001, p0002, p0003, p0004, p0005, p0007, p0008, p0009, p0010];
export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS[POSTGRES_MIGRATIONS.length - 1].version;

/** Any fixed number: the lock nodes take while one of them migrates. */
const MIGRATION_LOCK = 0x6d61696c;

export class NewerPostgresSchemaError extends Error {
  constructor(found: number) {
    super(`PostgreSQL schema version ${found} is newer than this Mailroom understands (${POSTGRES_SCHEMA_VERSION}); upgrade Mailroom`);
  }
}

/** Applies pending migrations inside the caller's transaction; returns the versions applied. */
export async function migratePostgres(sql: Sql, migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS): Promise<number[]> {
  await sql.run('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
  await sql.run('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
  const current = await postgresSchemaVersion(sql);
  const latest = migrations[migrations.length - 1].version;
  if (current > latest) throw new NewerPostgresSchemaError(current);
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    await sql.run(migration.up);
    await sql.run('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, Date.now()]);
    applied.push(migration.version);
  }
  return applied;
}

export async function postgresSchemaVersion(sql: Sql): Promise<number> {
  return (await sql.value<number>('SELECT coalesce(max(version), 0) FROM schema_version')) ?? 0;
}
