// The thread that copies or checks a database for a backup (snapshot.ts): runs the task it was
// started with, posts the result or the error, and ends. It runs at the lowest CPU priority: on a
// busy machine the server's own threads, answering SMTP and IMAP, come first, and a backup may take
// longer.
import { parentPort, workerData } from 'node:worker_threads';
import { runAtLowestPriority } from '../thread-priority.js';
import { checkDatabaseFile, copyDatabaseFile, NotADatabaseError, type SnapshotReply, type SnapshotTask } from './snapshot.js';

runAtLowestPriority();

const task = workerData as SnapshotTask;
let reply: SnapshotReply;
try {
  if (task.kind === 'copy') {
    await copyDatabaseFile(task.source, task.destination);
    reply = { ok: true };
  } else reply = { ok: true, check: checkDatabaseFile(task.file) };
} catch (error) {
  reply = { ok: false, notADatabase: error instanceof NotADatabaseError, message: (error as Error).message };
}
parentPort!.postMessage(reply);
