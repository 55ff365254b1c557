// Opens the one SQLite file: WAL so readers never block the writer, synchronous=FULL so a commit is on
// disk before any protocol says OK (flag-only changes excepted, writer.ts), foreign keys on, and a busy timeout so a CLI writing to the same
// file as a running server waits instead of failing.
import Database from 'better-sqlite3';
import type { Db } from './db-handle.js';
import { migrate } from './migrations/index.js';

export type { Db };

/** How long a connection waits for another's write lock (synchronously). */
export const BUSY_TIMEOUT_MS = 10_000;

export interface OpenOptions {
  /** Skip migrations (tests of the migrator itself). */
  migrate?: boolean;
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (options.migrate !== false) {
      migrate(db, file === ':memory:' ? null : (from) => `${file}.v${from}-${Date.now()}.bak`);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

const opened = new WeakMap<object, Db>();

/** Records the database a store was opened on, for inspectDatabase(). */
export function registerDatabase(store: object, db: Db): void {
  opened.set(store, db);
}

/**
 * The SQLite database under a store opened by openStore(), for tests that check storage invariants
 * (blob refcounts, tombstones, cached columns). Server code goes through the Store interface only.
 */
export function inspectDatabase(store: object): Db {
  const db = opened.get(store);
  if (!db) throw new Error('not a SQLite store');
  return db;
}
