// The full-text index's background fill (issue 17): at start, the messages stored before the index
// existed (migrations/0022 listed their blobs as pending) are indexed a batch at a time on a read worker
// (store.offload), each batch's rows written in one short transaction; meanwhile SEARCH scans the
// pending ones (message-text.ts), so answers never depend on how far the fill got. Progress goes to the
// log (search-index.fill-progress / search-index.ready) and to the dashboard (progress()).
//
// Invariants: one batch at a time, stopped between batches by stop(); a blob whose text cannot be
// extracted stays pending (always a candidate, so always scanned) and is skipped for the rest of the run.
import type { Logger } from '../log.js';
import type { Store } from './index.js';
import { indexedText, type IndexedText } from './message-text.js';
import type { ReadJob } from './read-pool.js';
import type { ReadStore } from './read-store.js';

/** Blobs per batch, and the bytes one batch reads at most (beyond its first blob). */
const BATCH_BLOBS = 200;
const BATCH_BYTES = 16 * 1024 * 1024;
/** A progress line at most this often. */
const PROGRESS_EVERY_MS = 5000;

interface BatchInput {
  afterId: number;
}

interface BatchOutput {
  /** The last blob id looked at (the next batch starts above it); null when none was pending above afterId. */
  lastId: number | null;
  filled: number;
  failed: number;
}

/** The read job: extracts and stores the texts of the next pending blobs above `afterId`. */
export async function runTextBatch(store: ReadStore, { afterId }: BatchInput): Promise<BatchOutput> {
  const index = store.textIndex!;
  const pending = await index.pending(afterId, BATCH_BLOBS);
  if (pending.length === 0) return { lastId: null, filled: 0, failed: 0 };
  const entries: IndexedText[] = [];
  let bytes = 0;
  let lastId = afterId;
  let failed = 0;
  for (const { blobId, size } of pending) {
    if (entries.length > 0 && bytes + size > BATCH_BYTES) break;
    bytes += size;
    lastId = blobId;
    const raw = await index.bytes(blobId);
    if (raw === null) continue; // deleted meanwhile (its pending row went with it)
    try {
      entries.push({ blobId, text: indexedText(raw) });
    } catch {
      failed++;
    }
  }
  return { lastId, filled: await index.fill(entries), failed };
}

const BATCH_JOB: ReadJob<BatchInput, BatchOutput> = { module: import.meta.url, name: 'runTextBatch' };

export interface TextBackfillStatus {
  /** Messages' blobs still waiting (scanned by SEARCH meanwhile); 0 when the index is complete. */
  pending: number;
  /** Pending when this run started. */
  total: number;
  running: boolean;
}

export interface TextBackfill {
  status(): TextBackfillStatus;
  /** Settles when the fill has ended (done, stopped or failed: failures are logged). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Starts the fill if the store has a full-text index; null when it has none (PostgreSQL). */
export function startTextBackfill(store: Store, log: Logger, now: () => number = Date.now): TextBackfill | null {
  const index = store.textIndex;
  if (index === undefined) return null;
  const state: TextBackfillStatus = { pending: 0, total: 0, running: true };
  let stopping = false;
  const run = async () => {
    const marked = await index.markUnindexed();
    state.pending = state.total = (await index.progress()).pending;
    if (state.total === 0) return;
    log.info('search-index.fill-start', { pending: state.total, ...(marked > 0 && { found: marked }) });
    const started = now();
    let lastLog = started;
    let failed = 0;
    for (let afterId = 0; !stopping; ) {
      const batch = await store.offload(BATCH_JOB, { afterId });
      if (batch.lastId === null) break;
      afterId = batch.lastId;
      failed += batch.failed;
      state.pending = Math.max(0, state.pending - batch.filled);
      if (now() - lastLog >= PROGRESS_EVERY_MS) {
        lastLog = now();
        log.info('search-index.fill-progress', { done: state.total - state.pending, total: state.total });
      }
    }
    if (stopping) return;
    state.pending = (await index.progress()).pending;
    log.info('search-index.ready', { indexed: state.total - state.pending, ms: now() - started, ...(failed > 0 && { unreadable: failed }) });
  };
  const done = run()
    .catch((error: unknown) => log.error('search-index.fill-failed', { error: (error as Error).message }))
    .finally(() => (state.running = false));
  return {
    status: () => ({ ...state }),
    done,
    stop: async () => {
      stopping = true;
      await done;
    },
  };
}
