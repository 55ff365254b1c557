// A small pool of worker threads for reads that scan many rows (SEARCH over a big mailbox, ...), so
// they neither hold the event loop nor keep the second core idle. Each worker opens its own
// read-only connection to the database file (read-store.ts) and runs jobs: an exported function of a
// module, named by the module's URL and the export (ReadJob), called with the worker's ReadStore and
// a structured-cloneable input. A job may emit chunks before it returns (they arrive in order,
// before its result), so an answer can start going out before the whole set is read.
//
// A pool may instead run batches of write jobs (WriteJob, writer.ts): each job is an exported
// function given the worker's WriteStore; a batch is one transaction with a savepoint per job, and
// each job's result or error comes back on its own.
//
// Invariants: one job at a time per worker, jobs start in submission order; a worker is referenced
// (keeps the process alive) only while it runs a job; a worker that dies fails its job and is
// replaced on demand. A read job never writes rows, only the caches ReadStore allows. The store's
// own errors (NotFoundError, ExpungedError, ConflictError) come back as themselves.
import { Worker } from 'node:worker_threads';
import { heapTuningWanted, reapplyHeapTuning } from '../heap.js';
import { ConflictError, ExpungedError, NotFoundError } from './errors.js';
import type { ReadStore, WriteStore } from './read-store.js';

/** A job: `name` exported by the module at `module` (pass import.meta.url), of type JobFunction<I, O, C>. */
export interface ReadJob<I, O, C = never> {
  readonly module: string;
  readonly name: string;
  /** Carries the types only. */
  readonly types?: (input: I, chunk: C) => O;
}

export type JobFunction<I, O, C = never> = (store: ReadStore, input: I, emit: (chunk: C) => void) => Promise<O>;

/** A bulk write: `name` exported by `module`, of type WriteFunction<I, O>. */
export interface WriteJob<I, O> {
  readonly module: string;
  readonly name: string;
  readonly write: true;
  /** Carries the types only. */
  readonly types?: (input: I) => O;
}

export type WriteFunction<I, O> = (store: WriteStore, input: I) => O;

/**
 * One job of a write batch as it is sent: `now` is the main thread's clock when it was asked for;
 * `durable` false for flag-only changes, which may commit without an fsync (docs/decisions.md).
 */
export interface WriteRequest {
  module: string;
  name: string;
  input: unknown;
  now: number;
  durable: boolean;
}

/** An error as it crosses threads (structured clone keeps neither subclasses nor `code`). */
export interface ErrorData {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

export type SettledData = { ok: true; value: unknown } | { ok: false; error: ErrorData };

const STORE_ERRORS: Record<string, new (message: string) => Error> = { NotFoundError, ExpungedError, ConflictError };

/** What a worker posts back: chunks of a job, then its result or error. */
export type WorkerReply =
  | { id: number; kind: 'chunk'; chunk: unknown }
  | { id: number; kind: 'done'; value: unknown }
  | { id: number; kind: 'failed'; error: ErrorData };

export type JobRequest = { id: number; module: string; name: string; input: unknown } | { id: number; batch: WriteRequest[] };

export function errorData(error: unknown): ErrorData {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message, stack: e.stack, ...codeOf(e) };
}

const codeOf = (error: unknown): { code?: string } => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { code } : {};
};

/** The error `data` describes, as the store's own class when it is one. */
export function errorOf(data: ErrorData): Error {
  const Known = STORE_ERRORS[data.name];
  if (Known) return new Known(data.message);
  return Object.assign(new Error(data.message), { name: data.name, stack: data.stack }, data.code === undefined ? {} : { code: data.code });
}

export interface ReadPool {
  readonly size: number;
  run<I, O, C>(job: ReadJob<I, O, C>, input: I, onChunk?: (chunk: C) => void): Promise<O>;
  /** Runs a batch of write jobs as one transaction; each job's outcome in order. */
  writeBatch(batch: WriteRequest[]): Promise<SettledData[]>;
  close(): Promise<void>;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Task {
  request: JobRequest;
  onChunk?: (chunk: unknown) => void;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
}

const WORKER_URL = new URL('./read-worker.js', import.meta.url);
/**
 * A worker's young generation at most (V8's default: 48 MiB per thread). A job's garbage is rows it
 * has answered, so a smaller one costs a few more scavenges and keeps each worker's footprint down
 * (memory target of issue 20: 10 clients on 100k messages in 250 MiB).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

export function createReadPool(file: string, size: number): ReadPool {
  const slots: Slot[] = [];
  const queue: Task[] = [];
  let nextId = 1;
  let closed = false;

  const spawn = (): Slot => {
    const slot: Slot = { worker: new Worker(WORKER_URL, { workerData: { file, keepYoungGenerationSmall: heapTuningWanted() }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } }), task: null };
    slot.worker.unref();
    // A new thread resets V8's flags to the command line's (server/heap.ts).
    slot.worker.once('online', reapplyHeapTuning);
    slot.worker.on('message', (reply: WorkerReply) => {
      const task = slot.task;
      if (task === null || task.request.id !== reply.id) return;
      if (reply.kind === 'chunk') return task.onChunk?.(reply.chunk);
      finish(slot);
      if (reply.kind === 'done') task.resolve(reply.value);
      else task.reject(errorOf(reply.error));
    });
    // An error thrown in the worker outside a job (opening its stores) arrives cloned, not always as an Error.
    const lost = (error: unknown) => {
      slots.splice(slots.indexOf(slot), 1);
      const task = slot.task;
      slot.task = null;
      task?.reject(error instanceof Error ? error : errorOf({ name: 'Error', message: `read worker failed: ${JSON.stringify(error)}`, ...codeOf(error) }));
      pump();
    };
    slot.worker.on('error', lost);
    slot.worker.on('exit', (code) => {
      if (slots.includes(slot)) lost(new Error(`read worker exited (${code})`));
    });
    slots.push(slot);
    return slot;
  };

  const finish = (slot: Slot) => {
    slot.task = null;
    slot.worker.unref();
    pump();
  };

  const pump = () => {
    while (queue.length > 0 && !closed) {
      const slot = slots.find((s) => s.task === null) ?? (slots.length < size ? spawn() : null);
      if (slot === null) return;
      const task = queue.shift()!;
      slot.task = task;
      slot.worker.ref();
      slot.worker.postMessage(task.request);
    }
  };

  const submit = <O>(request: DistributiveOmit<JobRequest, 'id'>, onChunk?: (chunk: unknown) => void): Promise<O> => {
    if (closed) return Promise.reject(new Error('the store is closed'));
    return new Promise<O>((resolve, reject) => {
      queue.push({ request: { id: nextId++, ...request } as JobRequest, onChunk, resolve: resolve as (value: unknown) => void, reject });
      pump();
    });
  };

  return {
    size,
    run: (job, input, onChunk) => submit({ module: job.module, name: job.name, input }, onChunk as ((chunk: unknown) => void) | undefined),
    writeBatch: (batch) => submit({ batch }),
    async close() {
      closed = true;
      for (const task of queue.splice(0)) task.reject(new Error('the store is closed'));
      const stopping = slots.splice(0);
      for (const slot of stopping) slot.task?.reject(new Error('the store is closed'));
      await Promise.all(stopping.map((slot) => slot.worker.terminate()));
    },
  };
}
