// Restoring a backup into a data folder (`mailroom restore`, the GUI's Backup page). Decision
// (docs/decisions.md): the server must be stopped — replacing the database under open connections
// would hand IMAP sessions UIDs and sessions that no longer exist — so a restore refuses while a
// server runs on the folder. It reads and checks the whole backup first (inspectBackup shows what it
// holds before anything is replaced), refuses a backup from a newer Mailroom, backs the current data up
// into backups/ first, then puts the backed-up database and TLS files in place; opening the store
// afterwards migrates an older backup.
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DATABASE_FILE } from '../host/data-dir.js';
import { BadBackupError } from './archive.js';
import { verifyBackup, type BackupManifest } from './backup.js';
import { runningServer } from './running.js';

export class RestoreRefused extends Error {
  override name = 'RestoreRefused';
}

/** Reads and checks a backup whole; its manifest. */
export async function inspectBackup(file: string, workParent: string): Promise<BackupManifest> {
  await mkdir(workParent, { recursive: true, mode: 0o700 });
  const work = await mkdtemp(join(workParent, '.inspect-'));
  try {
    return (await verifyBackup(file, work)).manifest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export interface RestoreDeps {
  dataDir: string;
  /** The schema version this Mailroom has. */
  schemaVersion: number;
  /** Backs up the current data first; the file it wrote, or null when there is no data yet. */
  backupCurrent(): Promise<string | null>;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** The backup of what was replaced. */
  previous: string | null;
}

export async function restoreBackup(deps: RestoreDeps, file: string): Promise<RestoreResult> {
  const pid = runningServer(deps.dataDir);
  if (pid !== null) throw new RestoreRefused(`a Mailroom server (pid ${pid}) is running on ${deps.dataDir}: stop it first, then restore`);
  await mkdir(deps.dataDir, { recursive: true, mode: 0o700 });
  const work = await mkdtemp(join(deps.dataDir, '.restore-'));
  try {
    const opened = await verifyBackup(file, work);
    if (opened.manifest.schemaVersion > deps.schemaVersion) {
      throw new RestoreRefused(`the backup comes from a newer Mailroom (${opened.manifest.version}, schema ${opened.manifest.schemaVersion}); upgrade Mailroom to restore it`);
    }
    const previous = await deps.backupCurrent();
    const database = join(deps.dataDir, DATABASE_FILE);
    for (const suffix of ['-wal', '-shm']) await rm(database + suffix, { force: true });
    await rename(opened.database, database);
    for (const [name, bytes] of opened.files) {
      const target = join(deps.dataDir, name);
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      await writeFile(`${target}.restoring`, bytes, { mode: 0o600 });
      await rename(`${target}.restoring`, target);
    }
    return { manifest: opened.manifest, previous };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export { BadBackupError };
