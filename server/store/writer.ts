// Writes off the event loop (issue 20). With a pool, the store's hot writes — APPEND and deliveries,
// STORE, EXPUNGE, COPY, MOVE, SELECT's \Recent claim, the login stamp, log rows — go to one writer
// worker. It commits what was asked for while its last commit was under way as one transaction
// (group commit: one fsync for many sessions' commands), each job in a savepoint of its own, so a job
// stays all-or-nothing and fails alone. The loop meanwhile goes on serving. Reading the metadata of many
// messages (BULK_MIN), EXAMINE's snapshot and STATUS's counts run on a read worker.
//
// Durability per job: deliveries, APPEND, COPY, MOVE and EXPUNGE are `durable` (synchronous=FULL, on
// disk before the OK); flag-only changes — STORE, the \Recent claim, the login stamp — and log rows
// (diagnostics) are not: a
// batch of only those commits with synchronous=NORMAL, safe against a crash of the process, lost at
// most back to the last FULL commit on a power loss, as Dovecot's mail_fsync=optimized does not fsync
// flag updates (docs/decisions.md).
//
// Invariants: one batch at a time; a job's promise settles after its batch has committed, in the order
// the jobs were asked for. While a batch is being written, this thread's own store calls run with
// busy_timeout 0, each as one transaction: a call that finds the write lock taken (SQLITE_BUSY) has
// changed nothing, waits for the batch to end without blocking the loop, and runs again before the
// next batch starts. Reads go on meanwhile and see the last commit (WAL). With no pool every call
// runs here, one transaction each.
import type { Db } from './db.js';
import { BUSY_TIMEOUT_MS } from './db.js';
import type { WithChanges } from './changes.js';
import { deliverAll } from './deliveries.js';
import type { Async, Delivery, DeliveryResult, MailboxSnapshot } from './use-case-types.js';
import { mailboxStatusIn, openMailboxIn, type OpenOptions } from './open-mailbox.js';
import type { MailboxRepo } from './mailboxes.js';
import type { MessageMeta, MessageRepo } from './messages.js';
import type { FlagUpdate } from './message-types.js';
import { errorOf, type ReadJob, type ReadPool, type SettledData, type WriteJob, type WriteRequest } from './read-pool.js';
import type { ReadStore, WriteStore } from './read-store.js';
import { packFlagUpdate, packWrite, unpackFlagUpdate, unpackWrite, type PackedFlagUpdate, type PackedWrite } from './packed-results.js';
import { encodeLogBatch, type EncodedLogBatch, type LogRecord, type LogRow } from './log.js';

/** From this many messages a metadata read goes to a read worker; below it, the hop costs more than it saves. */
const BULK_MIN = 1000;
/** Jobs per batch at most, so one commit's results come back in reasonable time. */
const MAX_BATCH = 256;
/** Deliveries above this size together commit here: handing them over copies their bytes (memory). */
const HAND_OFF_MAX_BYTES = 4 * 1024 * 1024;

type WriteMethod = 'updateFlags' | 'expunge' | 'copy' | 'move';
type MessageWrite = { [M in WriteMethod]: { method: M; args: Parameters<MessageRepo[M]> } }[WriteMethod];

/** A message write done here, its outcome packed to cross threads (packed-results.ts): STORE's flag states as columns. */
function packedMessageWrite(messages: MessageRepo, { method, args }: MessageWrite): PackedWrite<unknown> {
  const outcome = (messages[method] as (...a: unknown[]) => WithChanges<unknown>)(...args);
  return packWrite(outcome, (result) => (method === 'updateFlags' ? packFlagUpdate(result as FlagUpdate) : result));
}

/** The write job of a message call. */
export function runMessageWrite(store: WriteStore, write: MessageWrite): PackedWrite<unknown> {
  return packedMessageWrite(store.messages, write);
}

const asBuffer = (bytes: Uint8Array) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/** The write job of deliver and deliverMany. */
export function runDeliveries(store: WriteStore, deliveries: Delivery[]): WithChanges<DeliveryResult[]> {
  // Buffers arrive from the other thread as plain Uint8Arrays, which SQLite will not bind.
  const rebuilt = deliveries.map((d) => ({ ...d, bytes: asBuffer(d.bytes), local: d.local.map((c) => ({ ...c, prefix: asBuffer(c.prefix) })) }));
  return deliverAll(store.deliverOne, rebuilt);
}

/** The write job of mailboxes.claimRecent. */
export function runClaimRecent(store: WriteStore, mailboxId: number): { first: number; next: number } {
  return store.mailboxes.claimRecent(mailboxId);
}

/** The write job of openMailbox when it claims \Recent. */
export function runOpenMailbox(store: WriteStore, [accountId, name, options]: [number, string, OpenOptions]): MailboxSnapshot | null {
  return openMailboxIn(store, accountId, name, options);
}

/** The write job of accounts.recordLogin. */
export function runRecordLogin(store: WriteStore, [id, at]: [number, number]): void {
  store.accounts.recordLogin(id, at);
}

/** The write job of log.insertMany: the rows arrive encoded (log.ts), so nothing the loggers were given crosses threads. */
export function runInsertLog(store: WriteStore, batch: EncodedLogBatch): number[] {
  return store.insertLog(batch);
}

const job = <I, O>(name: string): WriteJob<I, O> => ({ module: import.meta.url, name, write: true });
const MESSAGE_WRITE_JOB = job<MessageWrite, PackedWrite<unknown>>('runMessageWrite');
const DELIVERIES_JOB = job<Delivery[], WithChanges<DeliveryResult[]>>('runDeliveries');
const CLAIM_RECENT_JOB = job<number, { first: number; next: number }>('runClaimRecent');
const OPEN_MAILBOX_JOB = job<[number, string, OpenOptions], MailboxSnapshot | null>('runOpenMailbox');
const RECORD_LOGIN_JOB = job<[number, number], void>('runRecordLogin');
const INSERT_LOG_JOB = job<EncodedLogBatch, number[]>('runInsertLog');

type MetaArgs = Parameters<MessageRepo['meta']>;

/** The read job: metadata of many messages. */
export function runMessageMeta(store: ReadStore, args: MetaArgs): Promise<MessageMeta[]> {
  return store.messages.meta(...args);
}

const MESSAGE_META_JOB: ReadJob<MetaArgs, MessageMeta[]> = { module: import.meta.url, name: 'runMessageMeta' };

/** The read job of openMailbox without a \Recent claim (EXAMINE). */
export function runReadSnapshot(store: ReadStore, [accountId, name, options]: [number, string, OpenOptions]): Promise<MailboxSnapshot | null> {
  return store.openMailbox(accountId, name, { ...options, claimRecent: false });
}

/** The read job of mailboxStatus. */
export function runMailboxStatus(store: ReadStore, [mailboxId, withCounts]: [number, boolean]): ReturnType<ReadStore['mailboxStatus']> {
  return store.mailboxStatus(mailboxId, withCounts);
}

const READ_SNAPSHOT_JOB: ReadJob<[number, string, OpenOptions], MailboxSnapshot | null> = { module: import.meta.url, name: 'runReadSnapshot' };
const MAILBOX_STATUS_JOB: ReadJob<[number, boolean], Awaited<ReturnType<ReadStore['mailboxStatus']>>> = { module: import.meta.url, name: 'runMailboxStatus' };

const isBusy = (error: unknown) => String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_BUSY');

const bytesOf = (deliveries: readonly Delivery[]) => deliveries.reduce((n, d) => n + d.bytes.length, 0);

interface Queued {
  request: WriteRequest;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export interface Writer {
  /** Runs `fn` (synchronous store work) here: now, or as a transaction retried after the writer's batch. */
  run<T>(fn: () => T): Promise<T>;
  /** `fn` as one transaction on this thread (through run). */
  transaction<T>(fn: () => T): Promise<T>;
  /** `job` on the writer worker; without one, `here` as one transaction on this thread. `durable` false: flags only, no fsync needed. */
  write<I, O>(job: WriteJob<I, O>, input: I, here: () => O, now: number, durable: boolean): Promise<O>;
  /** Resolves once every job asked for so far has settled. */
  drain(): Promise<void>;
}

export function createWriter(db: Db, worker: ReadPool | null): Writer {
  const queue: Queued[] = [];
  let writing = false;
  let waiting: Array<() => void> = [];
  const drained: Array<() => void> = [];
  // Made once: db.transaction() builds a new wrapper function each time it is called.
  const inTransaction = db.transaction(<T>(fn: () => T): T => fn()) as <T>(fn: () => T) => T;

  const run = async <T>(fn: () => T): Promise<T> => {
    for (;;) {
      if (!writing) return fn();
      try {
        return inTransaction(fn);
      } catch (error) {
        if (!isBusy(error)) throw error;
        await new Promise<void>((wake) => waiting.push(wake));
      }
    }
  };

  const settle = (batch: Queued[], outcomes: SettledData[] | Error) => {
    writing = false;
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    batch.forEach((queued, i) => {
      const outcome = outcomes instanceof Error ? { ok: false as const, error: outcomes } : outcomes[i];
      if (outcome.ok) queued.resolve(outcome.value);
      else queued.reject(outcome.error instanceof Error ? outcome.error : errorOf(outcome.error));
    });
    const woken = waiting;
    waiting = [];
    for (const wake of woken) wake();
    // Calls that waited run (in their microtasks) before the next batch takes the lock.
    if (woken.length > 0) setImmediate(pump);
    else pump();
  };

  const pump = () => {
    if (writing) return;
    if (queue.length === 0) {
      for (const done of drained.splice(0)) done();
      return;
    }
    const batch = queue.splice(0, MAX_BATCH);
    writing = true;
    db.pragma('busy_timeout = 0');
    worker!.writeBatch(batch.map((q) => q.request)).then(
      (outcomes) => settle(batch, outcomes),
      (error: Error) => settle(batch, error),
    );
  };

  const transaction = <T>(fn: () => T): Promise<T> => run(() => inTransaction(fn));
  /** `fn` as one transaction committed with synchronous=NORMAL (this connection's default is FULL). */
  const flagTransaction = <T>(fn: () => T): Promise<T> =>
    run(() => {
      db.pragma('synchronous = NORMAL');
      try {
        return inTransaction(fn);
      } finally {
        db.pragma('synchronous = FULL');
      }
    });

  return {
    run,
    transaction,
    write: (job, input, here, now, durable) => {
      if (worker === null) return durable ? transaction(here) : flagTransaction(here);
      return new Promise((resolve, reject) => {
        queue.push({ request: { module: job.module, name: job.name, input, now, durable }, resolve: resolve as (value: unknown) => void, reject });
        pump();
      });
    },
    drain: () => (writing || queue.length > 0 ? new Promise<void>((done) => drained.push(done)) : Promise.resolve()),
  };
}

/** The writer's share of the store: message writes, deliveries, the \Recent claim and the login stamp. */
export function writerCalls(
  writer: Writer,
  reads: ReadPool | null,
  repos: {
    messages: MessageRepo;
    mailboxes: MailboxRepo;
    recordLogin(id: number, at: number): void;
    deliverAll(deliveries: Delivery[]): WithChanges<DeliveryResult[]>;
    insertLog(batch: EncodedLogBatch): number[];
  },
  now: () => number,
) {
  const { messages } = repos;
  const message = <M extends WriteMethod>(method: M) =>
    (async (...args: Parameters<MessageRepo[M]>) => {
      const write = { method, args } as MessageWrite;
      const packed = await writer.write(MESSAGE_WRITE_JOB, write, () => packedMessageWrite(messages, write), now(), method !== 'updateFlags');
      return unpackWrite(packed, (result) => (method === 'updateFlags' ? unpackFlagUpdate(result as PackedFlagUpdate) : result));
    }) as unknown as Async<Pick<MessageRepo, M>>[M];
  const deliveries = (ds: Delivery[]) =>
    bytesOf(ds) > HAND_OFF_MAX_BYTES ? writer.transaction(() => repos.deliverAll(ds)) : writer.write(DELIVERIES_JOB, ds, () => repos.deliverAll(ds), now(), true);
  return {
    messages: {
      updateFlags: message('updateFlags'),
      expunge: message('expunge'),
      copy: message('copy'),
      move: message('move'),
      meta: (...args: MetaArgs) => (reads !== null && args[1].length >= BULK_MIN ? reads.run(MESSAGE_META_JOB, args) : writer.run(() => messages.meta(...args))),
    } satisfies Async<Pick<MessageRepo, WriteMethod | 'meta'>>,
    deliveries,
    claimRecent: (mailboxId: number) => writer.write(CLAIM_RECENT_JOB, mailboxId, () => repos.mailboxes.claimRecent(mailboxId), now(), false),
    /** With claimRecent a write (on the writer); without, a read on a read worker (or here). */
    openMailbox: (accountId: number, name: string, options: OpenOptions) => {
      if (options.claimRecent) return writer.write(OPEN_MAILBOX_JOB, [accountId, name, options], () => openMailboxIn(repos, accountId, name, options), now(), false);
      return reads !== null ? reads.run(READ_SNAPSHOT_JOB, [accountId, name, options]) : writer.transaction(() => openMailboxIn(repos, accountId, name, options));
    },
    /** STATUS's figures, on a read worker (or here): counting a big mailbox's messages takes a while. */
    mailboxStatus: (mailboxId: number, withCounts: boolean) =>
      reads !== null ? reads.run(MAILBOX_STATUS_JOB, [mailboxId, withCounts]) : writer.transaction(() => mailboxStatusIn(repos, mailboxId, withCounts)),
    recordLogin: (id: number, at: number) => writer.write(RECORD_LOGIN_JOB, [id, at], () => repos.recordLogin(id, at), now(), false),
    /** Log rows commit with the deliveries' batch: no fsync of their own on this thread (diagnostics, not mail: not durable). */
    insertLog: async (records: LogRecord[]): Promise<LogRow[]> => {
      if (records.length === 0) return [];
      const batch = encodeLogBatch(records);
      const ids = await writer.write(INSERT_LOG_JOB, batch, () => repos.insertLog(batch), now(), false);
      return records.map((r, i) => ({ ...r, id: ids[i] }));
    },
  };
}
