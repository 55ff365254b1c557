// What a job on a worker (read-pool.ts) may use. A read job gets a ReadStore: the message reads that
// scan (rows, bytes) and the two cache fills (search_headers, envelope_wire) whose loss is harmless;
// the main thread's Store satisfies this type, so a job runs the same code inline when there is no
// pool. The writer worker (writer.ts) runs batches of write jobs, each given a WriteStore: the
// synchronous repositories over its writable connection.
//
// A read job may also take a mailbox's snapshot (EXAMINE, with no \Recent claim) or its STATUS
// figures, each in one read transaction.
//
// On a worker, reads go through a read-only connection (WAL: it reads beside the writer, each
// statement seeing the last commit). Writes go through a second connection opened on first use
// (synchronous=FULL like the main one); cache fills are written in slices of CACHE_SLICE rows, each its
// own short transaction with synchronous=NORMAL, so writers never wait long for the lock nor for an
// fsync. A batch is one transaction (one fsync) with a savepoint per job. A batch of flag-only jobs
// only (none `durable`) commits with synchronous=NORMAL: in WAL mode that survives a crash of the
// process, not a power loss, and the next FULL commit's fsync of the WAL makes it durable too
// (docs/decisions.md).
import Database from 'better-sqlite3';
import { createAccountRepo, type AccountRepo } from './accounts.js';
import { createBlobRepo } from './blobs.js';
import { BUSY_TIMEOUT_MS, type Db } from './db.js';
import type { Async, MailboxSnapshot } from './use-case-types.js';
import { createMailboxRepo, type Mailbox, type MailboxRepo } from './mailboxes.js';
import { createMessageRepo, type MailboxCounts, type MessageRepo } from './messages.js';
import { mailboxStatusIn, openMailboxIn, type OpenOptions } from './open-mailbox.js';
import { createDeliverOne, type DeliverOne } from './deliveries.js';
import { createQueueRepo } from './queue.js';
import { createLogInsert, type EncodedLogBatch } from './log.js';
import { createSubscriptionRepo } from './subscriptions.js';
import { systemClock } from '../clock.js';
import { createTextIndex, type TextIndexRepo } from './message-text.js';

const CACHE_SLICE = 500;
/**
 * Page cache of each worker connection, KiB (PRAGMA cache_size). better-sqlite3 builds SQLite with a
 * 16 MiB default per connection, and a scan of a big mailbox fills it: with two read workers and the
 * writer (each a read-only and a writable connection) that was up to ~80 MiB of the server's RSS
 * (heaptrack, issue 20). A scan reads each page once, and the pages it reads again (the b-trees'
 * upper levels) fit in far less; a miss is a read from the OS's file cache.
 */
export const WORKER_CACHE_KIB = 2048;

export type ReadMessages = Pick<MessageRepo, 'searchRows' | 'rows' | 'meta' | 'uids' | 'read' | 'readRange' | 'readMany' | 'setSearchHeaders' | 'setEnvelopeWire'>;

export interface ReadStore {
  messages: Async<ReadMessages>;
  /** A mailbox's snapshot for SELECT/EXAMINE, as Store.openMailbox; a read job asks for no \Recent claim. */
  openMailbox(accountId: number, name: string, options: OpenOptions): Promise<MailboxSnapshot | null>;
  /** STATUS's row and counts, as Store.mailboxStatus. */
  mailboxStatus(mailboxId: number, withCounts: boolean): Promise<{ mailbox: Mailbox; counts: MailboxCounts } | null>;
  /** The full-text index's background fill (message-text.ts); absent on a backend without the index (PostgreSQL). */
  textIndex?: Async<TextIndexRepo>;
}

/** A write job's repositories over the worker's writable connection, inside its batch's transaction (writer.ts). */
export interface WriteStore {
  messages: MessageRepo;
  mailboxes: MailboxRepo;
  accounts: AccountRepo;
  deliverOne: DeliverOne;
  insertLog(batch: EncodedLogBatch): number[];
}

/** One job of a batch: runs inside a savepoint, with `now` as the repositories' clock. */
export interface BatchEntry {
  now: number;
  /** False for a flag-only change (STORE, \Recent claim, login stamp): no fsync needed. */
  durable: boolean;
  run(store: WriteStore): unknown;
}

/** A job's outcome inside a batch; the batch's commit decides whether any of them stands. */
export type Settled = { ok: true; value: unknown } | { ok: false; error: Error };

function messageRepo(db: Db): MessageRepo {
  const accounts = createAccountRepo(db, systemClock);
  return createMessageRepo(db, createBlobRepo(db), accounts, systemClock);
}

/** Calls `fill` with slices of `entries`. */
function sliced<E>(fill: (entries: readonly E[]) => void): (entries: readonly E[]) => Promise<void> {
  return async (entries) => {
    for (let from = 0; from < entries.length; from += CACHE_SLICE) fill(entries.slice(from, from + CACHE_SLICE));
  };
}

/** The worker's stores over `file`; close() closes their connections. */
export function openWorkerStores(file: string): { read: ReadStore; batch(entries: readonly BatchEntry[]): Settled[]; close(): void } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma(`cache_size = -${WORKER_CACHE_KIB}`);
  const reads = messageRepo(db);
  let now = 0;
  const clock = { now: () => now };
  // Read transactions (BEGIN DEFERRED is allowed on a read-only connection): one state for all they read.
  const readRepos = { mailboxes: createMailboxRepo(db, clock, createSubscriptionRepo(db)), messages: reads };
  const snapshotOf = db.transaction((accountId: number, name: string, options: OpenOptions) => openMailboxIn(readRepos, accountId, name, { ...options, claimRecent: false }));
  const statusOf = db.transaction((mailboxId: number, withCounts: boolean) => mailboxStatusIn(readRepos, mailboxId, withCounts));
  const textReads = createTextIndex(db, createBlobRepo(db));
  let writing: { db: Db; store: WriteStore; text: TextIndexRepo } | null = null;
  const writer = (): { db: Db; store: WriteStore; text: TextIndexRepo } => {
    if (writing !== null) return writing;
    const writeDb = new Database(file, { fileMustExist: true });
    writeDb.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    writeDb.pragma(`cache_size = -${WORKER_CACHE_KIB}`);
    writeDb.pragma('synchronous = FULL');
    writeDb.pragma('foreign_keys = ON');
    const blobs = createBlobRepo(writeDb);
    const accounts = createAccountRepo(writeDb, clock);
    const messages = createMessageRepo(writeDb, blobs, accounts, clock);
    const mailboxes = createMailboxRepo(writeDb, clock, createSubscriptionRepo(writeDb));
    const deliverOne = createDeliverOne({ blobs, messages, queue: createQueueRepo(writeDb, clock, blobs) });
    writing = { db: writeDb, store: { messages, mailboxes, accounts, deliverOne, insertLog: createLogInsert(writeDb) }, text: createTextIndex(writeDb, blobs) };
    return writing;
  };
  // A cache row lost in a crash is computed again: no fsync per slice (a batch sets its own level).
  const cacheWriter = () => {
    const { db: writeDb, store } = writer();
    writeDb.pragma('synchronous = NORMAL');
    return store.messages;
  };
  // The index's fill commits like a cache fill: a row lost in a crash stays pending and is made again.
  const textWriter = () => {
    const { db: writeDb, text } = writer();
    writeDb.pragma('synchronous = NORMAL');
    return text;
  };
  const wrap =
    <A extends unknown[], T>(fn: (...args: A) => T) =>
    async (...args: A): Promise<T> =>
      fn(...args);
  const read: ReadStore = {
    messages: {
      searchRows: wrap(reads.searchRows),
      rows: wrap(reads.rows),
      meta: wrap(reads.meta),
      uids: wrap(reads.uids),
      read: wrap(reads.read),
      readRange: wrap(reads.readRange),
      readMany: wrap(reads.readMany),
      setSearchHeaders: sliced((entries) => cacheWriter().setSearchHeaders(entries)),
      setEnvelopeWire: sliced((entries) => cacheWriter().setEnvelopeWire(entries)),
    },
    openMailbox: wrap(snapshotOf),
    mailboxStatus: wrap(statusOf),
    textIndex: {
      progress: wrap(textReads.progress),
      pending: wrap(textReads.pending),
      bytes: wrap(textReads.bytes),
      fill: async (entries) => textWriter().fill(entries),
      markUnindexed: async () => textWriter().markUnindexed(),
    },
  };
  return {
    read,
    batch(entries) {
      const { db: writeDb, store } = writer();
      writeDb.pragma(`synchronous = ${entries.some((e) => e.durable) ? 'FULL' : 'NORMAL'}`);
      // BEGIN IMMEDIATE takes the write lock first, so no job's reads go stale before it writes; each
      // job is a savepoint, so one that fails leaves the others' writes in the commit.
      return writeDb
        .transaction(() =>
          entries.map((entry): Settled => {
            now = entry.now;
            try {
              return { ok: true, value: writeDb.transaction(() => entry.run(store))() };
            } catch (error) {
              return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
            }
          }),
        )
        .immediate();
    },
    close() {
      db.close();
      writing?.db.close();
    },
  };
}
