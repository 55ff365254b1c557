// Big message calls off the event loop. A STORE, EXPUNGE, COPY or MOVE naming at least BULK_MIN
// messages runs on a pool worker's writable connection (read-store.ts) as the same one transaction it
// would be here, so it stays all-or-nothing, while this thread goes on serving; reading the metadata
// of that many messages runs on a worker's read-only connection. Deliveries (deliverMany, the group
// committer's batches, up to HAND_OFF_MAX_BYTES) are committed there too, so the loop reads the next messages' DATA while the
// fsync of the last batch is under way, and the next batch grows meanwhile.
//
// Invariants: bulk writes run one at a time, in call order. While one is queued or running, this
// thread's own store calls run with busy_timeout 0, each as one transaction: a call that finds the
// write lock taken (SQLITE_BUSY) has changed nothing, waits for the bulk writes to end without
// blocking the loop, and runs again. Reads go on meanwhile and see the last commit (WAL). With no
// pool everything runs here as before.
import type { Db } from './db.js';
import { BUSY_TIMEOUT_MS } from './db.js';
import type { WithChanges } from './changes.js';
import type { Async, Delivery, DeliveryResult } from './index.js';
import type { MessageMeta, MessageRepo } from './messages.js';
import type { ReadJob, ReadPool, WriteJob } from './read-pool.js';
import type { ReadStore, WriteStore } from './read-store.js';

/** From this many messages a call goes to a worker; below it, the hop costs more than it saves. */
const BULK_MIN = 1000;

type BulkMethod = 'updateFlags' | 'expunge' | 'copy' | 'move';
type BulkWrites = Pick<MessageRepo, BulkMethod>;
type MessageWrite = { [M in BulkMethod]: { method: M; args: Parameters<BulkWrites[M]> } }[BulkMethod];

/** The write job: one of the bulk methods on the worker's repository. */
export function runMessageWrite(store: WriteStore, write: MessageWrite): unknown {
  const messages = store.messages as unknown as Record<BulkMethod, (...args: unknown[]) => unknown>;
  return store.immediate(() => messages[write.method](...write.args));
}

/** Deliveries above this size together commit here: handing them over copies their bytes (memory). */
const HAND_OFF_MAX_BYTES = 4 * 1024 * 1024;

const bytesOf = (deliveries: readonly Delivery[]) => deliveries.reduce((n, d) => n + d.bytes.length, 0);

/** The write job of deliverMany. */
export function runDeliverMany(store: WriteStore, input: { deliveries: Delivery[]; now: number }): WithChanges<DeliveryResult[]> {
  return store.deliverMany(input.deliveries, input.now);
}

const DELIVER_JOB: WriteJob<{ deliveries: Delivery[]; now: number }, WithChanges<DeliveryResult[]>> = { module: import.meta.url, name: 'runDeliverMany', write: true };

const MESSAGE_WRITE_JOB: WriteJob<MessageWrite, unknown> = { module: import.meta.url, name: 'runMessageWrite', write: true };

type MetaArgs = Parameters<MessageRepo['meta']>;

/** The read job: metadata of many messages. */
export function runMessageMeta(store: ReadStore, args: MetaArgs): Promise<MessageMeta[]> {
  return store.messages.meta(...args);
}

const MESSAGE_META_JOB: ReadJob<MetaArgs, MessageMeta[]> = { module: import.meta.url, name: 'runMessageMeta' };

const isBusy = (error: unknown) => String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_BUSY');

export interface WriteGate {
  /** Runs `fn` (synchronous store work) now, or as a transaction retried after the bulk writes. */
  run<T>(fn: () => T): Promise<T>;
  /** Stores deliveries in one transaction: on a worker when there is a pool, else with `here`. */
  deliverMany(deliveries: Delivery[], now: number, here: () => WithChanges<DeliveryResult[]>): Promise<WithChanges<DeliveryResult[]>>;
  /** The bulk-capable methods of `messages`, sent to a worker when they name many messages. */
  bulkMethods(messages: MessageRepo): Async<Pick<MessageRepo, BulkMethod | 'meta'>>;
}

export function createWriteGate(db: Db, pool: ReadPool | null): WriteGate {
  let pending = 0;
  let idle: Promise<unknown> = Promise.resolve();

  const run = async <T>(fn: () => T): Promise<T> => {
    for (;;) {
      if (pending === 0) return fn();
      try {
        return db.transaction(fn)();
      } catch (error) {
        if (!isBusy(error)) throw error;
        await idle;
      }
    }
  };

  const offThread = <I, O>(job: WriteJob<I, O>, input: I): Promise<O> => {
    if (pending++ === 0) db.pragma('busy_timeout = 0');
    // The count drops before `idle` settles, so a call retried after it runs the plain way.
    const done = idle
      .then(() => pool!.write(job, input))
      .finally(() => {
        if (--pending === 0) db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      });
    idle = done.catch(() => undefined);
    return done;
  };

  const bulk = <T>(write: MessageWrite) => offThread(MESSAGE_WRITE_JOB, write) as Promise<T>;

  const big = (uids: readonly number[]) => pool !== null && uids.length >= BULK_MIN;

  return {
    run,
    deliverMany: (deliveries, now, here) => (pool === null || bytesOf(deliveries) > HAND_OFF_MAX_BYTES ? run(here) : offThread(DELIVER_JOB, { deliveries, now })),
    bulkMethods: (messages) => ({
      updateFlags: (...args) => (big(args[1]) ? bulk({ method: 'updateFlags', args }) : run(() => messages.updateFlags(...args))),
      expunge: (...args) => (big(args[1]) ? bulk({ method: 'expunge', args }) : run(() => messages.expunge(...args))),
      copy: (...args) => (big(args[1]) ? bulk({ method: 'copy', args }) : run(() => messages.copy(...args))),
      move: (...args) => (big(args[1]) ? bulk({ method: 'move', args }) : run(() => messages.move(...args))),
      meta: (...args) => (big(args[1]) ? pool!.run(MESSAGE_META_JOB, args) : run(() => messages.meta(...args))),
    }),
  };
}
