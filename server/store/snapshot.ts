// Copies of the database for backups, and the check of such a copy. Both read the whole database
// (a copy of 40 MiB held the event loop 0.1 s in its last step's fsync; the check about 25 ms per
// 1,000 messages), so each runs on a thread of its own (snapshot-worker.ts) and the server's event
// loop stays free for SMTP and IMAP (issue 12: the longest stall of a backup).
// - The copy: SQLite's backup API on the thread's own read-only connection, all pages in one step.
//   One step reads one snapshot of the WAL database, so the server's writes meanwhile neither wait
//   (WAL readers do not block the writer) nor restart the copy (they would between steps taken by a
//   connection other than the writer's).
// - The check: the copy opened read-only, never migrated: its schema version, SQLite's
//   integrity_check, row counts, and every blob's bytes against its SHA-256.
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS } from './db.js';

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

export class NotADatabaseError extends Error {
  override name = 'NotADatabaseError';
}

/** What the snapshot thread is started with. */
export type SnapshotTask = { kind: 'copy'; source: string; destination: string } | { kind: 'check'; file: string };

/** What the snapshot thread posts: its task's result, or why it failed. */
export type SnapshotReply = { ok: true; check?: DatabaseCheck } | { ok: false; notADatabase: boolean; message: string };

const WORKER_URL = new URL('./snapshot-worker.js', import.meta.url);

/** Runs `task` on a new thread, ended once it answers. */
function onThread(task: SnapshotTask): Promise<SnapshotReply & { ok: true }> {
  // The thread holds one blob at a time: a small heap, as the import's reading thread.
  const worker = new Worker(WORKER_URL, { workerData: task, resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 } });
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: SnapshotReply) => {
      if (reply.ok) resolve(reply);
      else reject(reply.notADatabase ? new NotADatabaseError(reply.message) : new Error(reply.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the backup's database thread stopped (${code}) before answering`)));
  });
}

/** An online copy of the database `source` at `destination` (a new file), made on a thread. */
export async function snapshotDatabase(source: string, destination: string): Promise<void> {
  if (source === ':memory:') throw new Error('an in-memory store has no file to copy');
  await onThread({ kind: 'copy', source, destination });
}

/** checkDatabaseFile on a thread. */
export async function checkDatabase(file: string): Promise<DatabaseCheck> {
  return (await onThread({ kind: 'check', file })).check!;
}

/** The copy itself, synchronous apart from better-sqlite3's promise: for the snapshot thread. */
export async function copyDatabaseFile(source: string, destination: string): Promise<void> {
  const db = new Database(source, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    // better-sqlite3's first step copies nothing; the second, all pages (see the header).
    await db.backup(destination, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
}

/** sqlite3_backup_step's page count meaning "all that are left" as better-sqlite3 accepts it. */
const ALL_PAGES = 0x7fffffff;

/** The check itself, synchronous: for the snapshot thread. */
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
