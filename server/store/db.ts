// Opens the one SQLite file: WAL so readers never block the writer, synchronous=FULL so a commit is on
// disk before any protocol says OK, foreign keys on, and a busy timeout so a CLI writing to the same
// file as a running server waits instead of failing.
import Database from 'better-sqlite3';
import { migrate } from './migrations/index.js';

export type Db = Database.Database;

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
    db.pragma('busy_timeout = 10000');
    if (options.migrate !== false) {
      migrate(db, file === ':memory:' ? null : (from) => `${file}.v${from}-${Date.now()}.bak`);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** A consistent copy of the live database (safe while the server writes). */
export function backupDatabase(db: Db, destination: string): Promise<unknown> {
  return db.backup(destination);
}
