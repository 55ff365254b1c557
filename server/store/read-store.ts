// What a job on a worker (read-pool.ts) may use. A read job gets a ReadStore: the message reads that
// scan (rows, bytes) and the two cache fills (search_headers, envelope_wire) whose loss is harmless;
// the main thread's Store satisfies this type, so a job runs the same code inline when there is no
// pool. A bulk write job (the store's big STORE/EXPUNGE/COPY/MOVE) gets the synchronous MessageRepo
// over a writable connection, one transaction per job, while the main thread waits for it to write.
//
// On a worker, reads go through a read-only connection (WAL: it reads beside the writer, each
// statement seeing the last commit). Writes go through a second connection opened on first use
// (synchronous=FULL like the main one); cache fills are written in slices of CACHE_SLICE rows, each its
// own short transaction, so the main thread's writer never waits long for the lock (it waits
// synchronously: busy_timeout).
import Database from 'better-sqlite3';
import { createAccountRepo } from './accounts.js';
import { createBlobRepo } from './blobs.js';
import { BUSY_TIMEOUT_MS, type Db } from './db.js';
import type { Async } from './index.js';
import { createMessageRepo, type MessageRepo } from './messages.js';
import type { WithChanges } from './changes.js';
import { createDeliverOne, deliverAll, type DeliverOne } from './deliveries.js';
import type { Delivery, DeliveryResult } from './index.js';
import { createQueueRepo } from './queue.js';
import { systemClock } from '../clock.js';

const CACHE_SLICE = 500;

export type ReadMessages = Pick<MessageRepo, 'searchRows' | 'rows' | 'meta' | 'uids' | 'read' | 'readRange' | 'setSearchHeaders' | 'setEnvelopeWire'>;

export interface ReadStore {
  messages: Async<ReadMessages>;
}

export interface WriteStore {
  messages: MessageRepo;
  /** Deliveries as the main store's deliverMany stores them, with `now` as the clock (queue rows). */
  deliverMany(deliveries: readonly Delivery[], now: number): WithChanges<DeliveryResult[]>;
  /** Runs `fn` as a transaction that takes the write lock first (BEGIN IMMEDIATE): a write that reads first cannot find its snapshot stale. */
  immediate<T>(fn: () => T): T;
}

function messageRepo(db: Db): MessageRepo {
  const accounts = createAccountRepo(db, systemClock);
  return createMessageRepo(db, createBlobRepo(db), accounts);
}

const asBuffer = (bytes: Uint8Array) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/** Calls `fill` with slices of `entries`. */
function sliced<E>(fill: (entries: readonly E[]) => void): (entries: readonly E[]) => Promise<void> {
  return async (entries) => {
    for (let from = 0; from < entries.length; from += CACHE_SLICE) fill(entries.slice(from, from + CACHE_SLICE));
  };
}

/** The worker's stores over `file`; close() closes their connections. */
export function openWorkerStores(file: string): { read: ReadStore; write(): WriteStore; close(): void } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const reads = messageRepo(db);
  let writeDb: Db | null = null;
  let writes: MessageRepo | null = null;
  let deliverOne: DeliverOne | null = null;
  let now = 0;
  const writer = (): MessageRepo => {
    if (writes !== null) return writes;
    writeDb = new Database(file, { fileMustExist: true });
    writeDb.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    writeDb.pragma('synchronous = FULL');
    writeDb.pragma('foreign_keys = ON');
    const blobs = createBlobRepo(writeDb);
    writes = createMessageRepo(writeDb, blobs, createAccountRepo(writeDb, systemClock));
    deliverOne = createDeliverOne({ blobs, messages: writes, queue: createQueueRepo(writeDb, { now: () => now }, blobs) });
    return writes;
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
      setSearchHeaders: sliced((entries) => writer().setSearchHeaders(entries)),
      setEnvelopeWire: sliced((entries) => writer().setEnvelopeWire(entries)),
    },
  };
  return {
    read,
    write: () => {
      const messages = writer();
      const immediate = <T>(fn: () => T): T => writeDb!.transaction(fn).immediate();
      return {
        messages,
        immediate,
        deliverMany(deliveries, at) {
          now = at;
          // Buffers arrive from the other thread as plain Uint8Arrays, which SQLite will not bind.
          const rebuilt = deliveries.map((d) => ({ ...d, bytes: asBuffer(d.bytes), local: d.local.map((c) => ({ ...c, prefix: asBuffer(c.prefix) })) }));
          return immediate(() => deliverAll(deliverOne!, rebuilt));
        },
      };
    },
    close() {
      db.close();
      writeDb?.close();
    },
  };
}
