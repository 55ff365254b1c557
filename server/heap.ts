// Process-wide V8 heap tuning for the server (issue 13: peak RSS with 50 SMTP connections), switched
// on by the hosts (server/host/heap.ts, imported first by each host entry) before the rest of the
// server is loaded.
//
// V8 grows the young generation (two semi-spaces) from 1 MiB up to 16 MiB each while a program
// allocates fast with many objects surviving a scavenge — a server with dozens of sessions mid-command
// — and keeps them: 32 MiB of RSS in the main thread, and as much again in each busy worker thread.
// A growth factor of 1 keeps them at their initial size: scavenges come more often but each has as
// little to copy (what is live); old-space is unchanged. Figures in docs/benchmarks.md (issue 13).
//
// V8 reads the flag each time it considers growing the space, so setting it at run time takes effect
// (node's --max-semi-space-size would need a command-line flag, which neither `mailroom serve` nor
// Electron's utilityProcess is started with). Starting a worker thread resets V8's flags to the
// command line's: the read pool passes `keepYoungGenerationSmall` in each worker's workerData, the
// worker sets the flag again as the first thing it loads (read-worker.ts imports this module first),
// and the pool sets it once more when the worker is up.
import { setFlagsFromString } from 'node:v8';
import { isMainThread, workerData } from 'node:worker_threads';

// The old generation: after each full GC V8 lets it grow to up to 4x what survived before the next
// one (its growing factor is picked from GC and mutator speed, capped at 4 for a heap this size);
// between two full GCs a busy SMTP listener promotes enough short-lived garbage (and the Buffers it
// points at, external memory) to double its RSS. 1.5x instead: at 4 KiB x 50 smtp-source sessions the
// main-thread heap at the peak fell from 84-85 to 35 MiB and the peak RSS from 197-199 to 138-141 MiB,
// with no CPU difference above the noise (a full GC of ~25 MiB live every few hundred messages).
const FLAGS = '--semi-space-growth-factor=1 --heap-growing-percent=50';
let wanted = false;

/** From now on the young generation of every thread of this process stays at its initial size, and the old one grows by half between full GCs. */
export function keepYoungGenerationSmall(): void {
  wanted = true;
  setFlagsFromString(FLAGS);
}

/** Sets the flag again after something (a new worker thread) reset V8's flags; nothing unless a host asked. */
export function reapplyHeapTuning(): void {
  if (wanted) setFlagsFromString(FLAGS);
}

/** Whether a host asked for it (the read pool tells its workers). */
export function heapTuningWanted(): boolean {
  return wanted;
}

// In a worker thread whose pool asked for it: as soon as this module loads, before the rest of the worker.
if (!isMainThread && (workerData as { keepYoungGenerationSmall?: boolean } | null)?.keepYoungGenerationSmall === true) keepYoungGenerationSmall();
