// The pool worker's entry (read-pool.ts): opens its stores over the database file it is given and
// runs the jobs it is sent, one at a time, posting their chunks, then their result or error. A write
// batch runs as one transaction (read-store.ts) and posts each job's outcome.
// First: V8's flags were reset as this thread started; the heap tuning the host asked for is set again.
import '../heap.js';
import { parentPort, workerData } from 'node:worker_threads';
import { errorData, type JobFunction, type JobRequest, type SettledData, type WorkerReply, type WriteFunction } from './read-pool.js';
import { openWorkerStores } from './read-store.js';

const stores = openWorkerStores((workerData as { file: string }).file);
const port = parentPort!;
const post = (reply: WorkerReply) => port.postMessage(reply);

async function exported<F>(module: string, name: string): Promise<F> {
  const run = ((await import(module)) as Record<string, unknown>)[name];
  if (typeof run !== 'function') throw new Error(`no job ${name} in ${module}`);
  return run as F;
}

port.on('message', async (request: JobRequest) => {
  const { id } = request;
  try {
    let value: unknown;
    if ('batch' in request) {
      const runs = await Promise.all(request.batch.map((job) => exported<WriteFunction<unknown, unknown>>(job.module, job.name)));
      const settled = stores.batch(request.batch.map((job, i) => ({ now: job.now, durable: job.durable, run: (store) => runs[i](store, job.input) })));
      value = settled.map((s): SettledData => (s.ok ? s : { ok: false, error: errorData(s.error) }));
    } else {
      const run = await exported<JobFunction<unknown, unknown, unknown>>(request.module, request.name);
      value = await run(stores.read, request.input, (chunk) => post({ id, kind: 'chunk', chunk }));
    }
    post({ id, kind: 'done', value });
  } catch (error) {
    post({ id, kind: 'failed', error: errorData(error) });
  }
});
