// Copies of the database for backups: an online copy made in steps (SQLite's backup API, a few hundred
// pages at a time with the event loop free in between, so SMTP and IMAP keep answering while it runs),
// and the check of such a copy — opened read-only, never migrated: its schema version, SQLite's
// integrity_check, row counts, and every blob's bytes against its SHA-256.
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Db } from './db.js';

/** Pages copied per step: about 1.6 MiB with 4 KiB pages. */
const PAGES_PER_STEP = 400;

export interface DatabaseCounts {
  domains: number;
  accounts: number;
  aliases: number;
  mailboxes: number;
  messages: number;
  blobs: number;
  /** Bytes of all blobs. */
  blobBytes: number;
}

export interface DatabaseCheck {
  schemaVersion: number;
  /** The hosted domains' names. */
  domains: string[];
  /** ['ok'] when SQLite found nothing wrong. */
  integrity: string[];
  counts: DatabaseCounts;
  /** Blobs whose bytes do not hash to their recorded SHA-256. */
  badBlobs: number;
  /** SHA-256 over every blob's recorded hash in id order: equal databases give equal values. */
  blobsDigest: string;
}

export async function snapshotDatabase(db: Db, destination: string): Promise<void> {
  await db.backup(destination, { progress: () => PAGES_PER_STEP });
}

export class NotADatabaseError extends Error {
  override name = 'NotADatabaseError';
}

export function checkDatabaseFile(file: string): DatabaseCheck {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('schema_version');
  } catch (error) {
    throw new NotADatabaseError(`${file} is not a Mailroom database: ${(error as Error).message}`);
  }
  try {
    const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    let integrity: string[];
    try {
      integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
    } catch (error) {
      integrity = [(error as Error).message];
    }
    const digest = createHash('sha256');
    let badBlobs = 0;
    let blobBytes = 0;
    for (const row of db.prepare('SELECT sha256, data FROM blobs ORDER BY id').iterate() as Iterable<{ sha256: Buffer; data: Buffer }>) {
      digest.update(row.sha256);
      blobBytes += row.data.length;
      if (!createHash('sha256').update(row.data).digest().equals(row.sha256)) badBlobs++;
    }
    return {
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
      domains: db.prepare('SELECT name FROM domains ORDER BY name').pluck().all() as string[],
      integrity,
      counts: {
        domains: count('domains'),
        accounts: count('accounts'),
        aliases: count('aliases'),
        mailboxes: count('mailboxes'),
        messages: count('messages'),
        blobs: count('blobs'),
        blobBytes,
      },
      badBlobs,
      blobsDigest: digest.digest('hex'),
    };
  } catch (error) {
    throw new NotADatabaseError(`${file} cannot be read as a Mailroom database: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}
