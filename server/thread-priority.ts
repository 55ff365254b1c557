// Background threads (a backup's copy, check and archive) run at the lowest CPU priority: on a busy
// machine the server's own threads, answering SMTP and IMAP, come first, and the background work may
// take longer.
import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/** Lowers the calling thread's CPU priority to the lowest (Linux); elsewhere nothing changes. */
export function runAtLowestPriority(): void {
  try {
    // On Linux a thread's id, as /proc/thread-self names it, sets that thread's priority alone.
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), constants.priority.PRIORITY_LOW);
  } catch {
    // Elsewhere the thread keeps the process's priority.
  }
}
