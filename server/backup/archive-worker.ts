// The thread that writes a backup file and reads it back to verify it (backup.ts): the gzip stream,
// the SHA-256 of every entry and the extraction all run here, at the lowest CPU priority, so the
// server's event loop keeps answering SMTP and IMAP (issue 12: the longest stall of a backup). Runs
// the task it was started with, posts the result or the error, and ends. The check of the extracted
// database runs here too (synchronously: this thread serves nothing else).
import { parentPort, workerData } from 'node:worker_threads';
import { checkDatabaseFile } from '../store/snapshot.js';
import { runAtLowestPriority } from '../thread-priority.js';
import { BadBackupError, writeArchive } from './archive.js';
import { verifyBackup, type ArchiveReply, type ArchiveTask } from './backup.js';

runAtLowestPriority();

const task = workerData as ArchiveTask;
let reply: ArchiveReply;
try {
  if (task.kind === 'write') {
    await writeArchive(task.file, task.entries.map(({ bytes, ...entry }) => ({ ...entry, ...(bytes ? { bytes: Buffer.from(bytes) } : {}) })));
    reply = { ok: true };
  } else {
    await verifyBackup(task.file, task.work, async (file) => checkDatabaseFile(file));
    reply = { ok: true };
  }
} catch (error) {
  reply = { ok: false, bad: error instanceof BadBackupError, message: (error as Error).message };
}
parentPort!.postMessage(reply);
