// The pool worker's entry (read-pool.ts): opens its stores over the database file it is given and
// runs the jobs it is sent, one at a time, posting their chunks, then their result or error.
import { parentPort, workerData } from 'node:worker_threads';
import type { JobFunction, JobRequest, WorkerReply, WriteFunction } from './read-pool.js';
import { openWorkerStores } from './read-store.js';

const stores = openWorkerStores((workerData as { file: string }).file);
const port = parentPort!;
const post = (reply: WorkerReply) => port.postMessage(reply);

port.on('message', async (request: JobRequest) => {
  const { id } = request;
  try {
    const module = (await import(request.module)) as Record<string, unknown>;
    const run = module[request.name];
    if (typeof run !== 'function') throw new Error(`no job ${request.name} in ${request.module}`);
    const value = request.write
      ? (run as WriteFunction<unknown, unknown>)(stores.write(), request.input)
      : await (run as JobFunction<unknown, unknown, unknown>)(stores.read, request.input, (chunk) => post({ id, kind: 'chunk', chunk }));
    post({ id, kind: 'done', value });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ id, kind: 'failed', error: { name: e.name, message: e.message, stack: e.stack } });
  }
});
