// The read worker's entry (read-pool.ts): opens the ReadStore over the database file it is given and
// runs the jobs it is sent, one at a time, posting their chunks, then their result or error.
import { parentPort, workerData } from 'node:worker_threads';
import type { JobFunction, JobRequest, WorkerReply } from './read-pool.js';
import { openReadStore } from './read-store.js';

const store = openReadStore((workerData as { file: string }).file);
const port = parentPort!;
const post = (reply: WorkerReply) => port.postMessage(reply);

port.on('message', async (request: JobRequest) => {
  const { id } = request;
  try {
    const module = (await import(request.module)) as Record<string, JobFunction<unknown, unknown, unknown>>;
    const run = module[request.name];
    if (typeof run !== 'function') throw new Error(`no job ${request.name} in ${request.module}`);
    post({ id, kind: 'done', value: await run(store, request.input, (chunk) => post({ id, kind: 'chunk', chunk })) });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ id, kind: 'failed', error: { name: e.name, message: e.message, stack: e.stack } });
  }
});
