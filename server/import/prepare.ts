// Prepares the message files an import writes — read, bare LFs as CRLF, described for the store
// (ENVELOPE, BODYSTRUCTURE, part tree, sent date) — on a worker thread, so that reading and parsing
// the next messages overlaps the store writing the last batch (issue 12: one core each). The worker
// answers in the order it was asked. Bytes come back transferred, not copied.
// Sources without a file (mbox, IMAP) are read by their reader and described on the caller's thread.
import { Worker } from 'node:worker_threads';
import { describeMessage, type MessageDescription } from '../delivery/describe.js';

export interface PreparedMessage {
  bytes: Buffer;
  /** The bytes' SHA-256 (the blob's key), computed on the reading thread. */
  sha256?: Buffer;
  description: MessageDescription;
}

export interface PrepareRequest {
  id: number;
  file: string;
}

export type PrepareReply = { id: number; ok: true; bytes: Uint8Array; sha256: Uint8Array; description: MessageDescription } | { id: number; ok: false; error: string };

/** The store's description of CRLF bytes, as a delivery computes it. */
export const describeForStore = (bytes: Buffer): MessageDescription => describeMessage(bytes).forCopy(0);

export interface Preparer {
  /** The file's bytes (bare LFs as CRLF) and description; rejects with the reason it could not be read. */
  prepare(file: string): Promise<PreparedMessage>;
  close(): Promise<void>;
}

const WORKER_URL = new URL('./prepare-worker.js', import.meta.url);

export function createPreparer(): Preparer {
  // A small heap: the thread keeps nothing between messages, and an unbounded one grows the RSS.
  const worker = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 } });
  const waiting = new Map<number, { resolve(m: PreparedMessage): void; reject(e: Error): void }>();
  let nextId = 1;
  let failure: Error | null = null;
  const failAll = (error: Error) => {
    failure = error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on('message', (reply: PrepareReply) => {
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    const buffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
    if (reply.ok) w.resolve({ bytes: buffer(reply.bytes), sha256: buffer(reply.sha256), description: reply.description });
    else w.reject(new Error(reply.error));
  });
  worker.on('error', (error) => failAll(error));
  worker.on('exit', (code) => failAll(new Error(`the import's reading thread stopped (${code})`)));
  return {
    prepare(file) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise<PreparedMessage>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, file } satisfies PrepareRequest);
      });
    },
    async close() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
