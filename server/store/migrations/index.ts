// Numbered schema migrations, run at open against PRAGMA user_version, each in its own IMMEDIATE
// transaction (so a CLI and a server opening the same file cannot both migrate). A database from a
// newer Mailroom is refused; an existing file is copied aside (VACUUM INTO) before it is migrated.
// A new migration takes a number above the last one on main, never a free number below it: a
// database already at the higher version would skip it.
import type { Db } from '../db-handle.js';
import type { Migration } from './migration.js';
import { m0001 } from './0001-initial.js';
import { m0002 } from './0002-imap-search.js';
import { m0003 } from './0003-envelope-wire.js';
import { m0004 } from './0004-domain-policy.js';
import { m0005 } from './0005-hardening.js';
import { m0006 } from './0006-subscriptions.js';
import { m0007 } from './0007-sieve.js';
import { m0008 } from './0008-spam.js';
import { m0009 } from './0009-import.js';
import { m0011 } from './0011-gui.js';
import { m0013 } from './0013-message-meta-index.js';
import { m0015 } from './0015-sieve-generation.js';
import { m0019 } from './0019-urlauth-keys.js';
import { m0018 } from './0018-policy-generation.js';
import { m0020 } from './0020-acl.js';
import { m0021 } from './0021-message-mime.js';
import { m0022 } from './0022-message-text.js';
import { m0023 } from './0023-save-date.js';

export type { Migration };

export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0011, m0013, m0015, m0018, m0019, m0020, m0021, m0022, m0023];
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export class NewerDatabaseError extends Error {
  constructor(found: number) {
    super(`database schema version ${found} is newer than this Mailroom understands (${SCHEMA_VERSION}); upgrade Mailroom`);
  }
}

/** Applies pending migrations; returns the versions applied. `backupPath` gets a copy first if any are pending on a non-empty database. */
export function migrate(db: Db, backupPath: ((from: number) => string) | null, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const latest = migrations[migrations.length - 1].version;
  const current = userVersion(db);
  if (current > latest) throw new NewerDatabaseError(current);
  if (current === latest) return [];
  if (current > 0 && backupPath) db.exec(`VACUUM INTO '${backupPath(current).replaceAll("'", "''")}'`);
  const applied: number[] = [];
  for (const migration of migrations) {
    const step = db.transaction(() => {
      // Re-read inside the lock: another process may have migrated meanwhile.
      if (userVersion(db) >= migration.version) return false;
      if (typeof migration.up === 'string') db.exec(migration.up);
      else migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
      return true;
    });
    if (step.immediate()) applied.push(migration.version);
  }
  return applied;
}

export function userVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
