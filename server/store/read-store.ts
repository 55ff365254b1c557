// What a job on a read worker (read-pool.ts) may use: the message reads that scan (rows, bytes) and the
// two cache fills (search_headers, envelope_wire) whose loss is harmless. The main thread's Store
// satisfies this type, so a job runs the same code inline when there is no pool.
//
// On a worker, reads go through a read-only connection (WAL: it reads beside the writer, each
// statement seeing the last commit). The cache fills go through a second, writable connection opened
// on first use and are written in slices of CACHE_SLICE rows, each its own short transaction, so the
// main thread's writer never waits long for the lock (it waits synchronously: busy_timeout).
import Database from 'better-sqlite3';
import { createAccountRepo } from './accounts.js';
import { createBlobRepo } from './blobs.js';
import type { Db } from './db.js';
import type { Async } from './index.js';
import { createMessageRepo, type MessageRepo } from './messages.js';
import { systemClock } from '../clock.js';

const CACHE_SLICE = 500;
const BUSY_TIMEOUT_MS = 10_000;

export type ReadMessages = Pick<MessageRepo, 'searchRows' | 'rows' | 'meta' | 'uids' | 'read' | 'readRange' | 'setSearchHeaders' | 'setEnvelopeWire'>;

export interface ReadStore {
  messages: Async<ReadMessages>;
}

function messageRepo(db: Db): MessageRepo {
  const accounts = createAccountRepo(db, systemClock);
  return createMessageRepo(db, createBlobRepo(db), accounts);
}

/** Calls `fill` with slices of `entries`. */
function sliced<E>(fill: (entries: readonly E[]) => void): (entries: readonly E[]) => Promise<void> {
  return async (entries) => {
    for (let from = 0; from < entries.length; from += CACHE_SLICE) fill(entries.slice(from, from + CACHE_SLICE));
  };
}

/** The worker's store over `file`; close() closes its connections. */
export function openReadStore(file: string): ReadStore & { close(): void } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const reads = messageRepo(db);
  let cacheDb: Db | null = null;
  let cache: MessageRepo | null = null;
  const writer = (): MessageRepo => {
    if (cache !== null) return cache;
    cacheDb = new Database(file, { fileMustExist: true });
    cacheDb.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // A cache row lost in a crash is computed again; WAL keeps the file consistent either way.
    cacheDb.pragma('synchronous = NORMAL');
    return (cache = messageRepo(cacheDb));
  };
  const wrap =
    <A extends unknown[], T>(fn: (...args: A) => T) =>
    async (...args: A): Promise<T> =>
      fn(...args);
  return {
    messages: {
      searchRows: wrap(reads.searchRows),
      rows: wrap(reads.rows),
      meta: wrap(reads.meta),
      uids: wrap(reads.uids),
      read: wrap(reads.read),
      readRange: wrap(reads.readRange),
      setSearchHeaders: sliced((entries) => writer().setSearchHeaders(entries)),
      setEnvelopeWire: sliced((entries) => writer().setEnvelopeWire(entries)),
    },
    close() {
      db.close();
      cacheDb?.close();
    },
  };
}
