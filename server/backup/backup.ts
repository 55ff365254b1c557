// Backups of a running server (issue 12): an online copy of the database made in steps (the server
// keeps serving), checked (integrity_check, every blob against its hash), written with the TLS key and
// certificate into one compressed file next to a manifest (date, versions, domains, counts), then read
// back and checked again against the manifest before it is given its final name. DKIM keys live in the
// database. The file is written as `.partial` and renamed only once verified, so a file with the final
// name is a good backup. The copy, its check, the compressed file and its reading back each run on a
// thread of their own at the lowest CPU priority (snapshot.ts, archive-worker.ts), so SMTP and IMAP
// keep answering while a large store is backed up. Afterwards the oldest backups beyond `keep` in
// that folder are removed.
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { checkDatabase, type DatabaseCheck, type DatabaseCounts } from '../store/snapshot.js';
import type { Store } from '../store/index.js';
import type { BackupProgress } from '../admin/contract/backup.js';
import { BadBackupError, readArchive } from './archive.js';

export const BACKUP_PREFIX = 'mailroom-backup-';
export const BACKUP_SUFFIX = '.mrbak';
/** What a backup carries besides the database, relative to the data folder. */
export const DATA_FILES = ['tls/key.pem', 'tls/cert.pem'];

export interface BackupManifest {
  format: 1;
  /** Mailroom's version that wrote it. */
  version: string;
  schemaVersion: number;
  createdAt: number;
  hostname: string;
  domains: string[];
  counts: DatabaseCounts;
  blobsDigest: string;
  files: string[];
}

export interface BackupResult {
  file: string;
  manifest: BackupManifest;
  bytes: number;
  /** Older backups removed to keep the number asked for. */
  removed: string[];
}

export interface BackupDeps {
  store: Pick<Store, 'snapshot'>;
  dataDir: string;
  version: string;
  hostname: string;
  now: () => number;
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

function assertSound(check: DatabaseCheck, what: string) {
  if (check.integrity.join() !== 'ok') throw new BadBackupError(`${what} fails SQLite's integrity check: ${check.integrity.slice(0, 3).join('; ')}`);
  if (check.badBlobs > 0) throw new BadBackupError(`${what} holds ${check.badBlobs} messages whose bytes do not match their checksum`);
}

export async function createBackup(deps: BackupDeps, options: { to?: string; keep?: number; progress?: (stage: BackupProgress['stage']) => void } = {}): Promise<BackupResult> {
  const progress = options.progress ?? (() => undefined);
  const dir = options.to ?? join(deps.dataDir, 'backups');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const createdAt = deps.now();
  const file = join(dir, `${BACKUP_PREFIX}${stamp(createdAt)}${BACKUP_SUFFIX}`);
  const work = await mkdtemp(join(dir, '.backup-'));
  try {
    const copy = join(work, 'mailroom.sqlite');
    progress('copying');
    await deps.store.snapshot(copy);
    progress('checking');
    const check = await checkDatabase(copy);
    assertSound(check, 'the copy of the database');
    const files = DATA_FILES.filter((f) => existsSync(join(deps.dataDir, f)));
    const manifest: BackupManifest = {
      format: 1,
      version: deps.version,
      schemaVersion: check.schemaVersion,
      createdAt,
      hostname: deps.hostname,
      domains: check.domains,
      counts: check.counts,
      blobsDigest: check.blobsDigest,
      files,
    };
    const partial = `${file}.partial`;
    progress('writing');
    await onArchiveThread({
      kind: 'write',
      file: partial,
      entries: [
        { name: 'manifest.json', bytes: Buffer.from(JSON.stringify(manifest, null, 2)) },
        { name: 'mailroom.sqlite', path: copy },
        ...files.map((f) => ({ name: f, path: join(deps.dataDir, f) })),
      ],
    });
    await rm(copy);
    progress('verifying');
    await onArchiveThread({ kind: 'verify', file: partial, work });
    await rename(partial, file);
    const removed = options.keep ? await prune(dir, options.keep) : [];
    const { size } = await stat(file);
    return { file, manifest, bytes: size, removed };
  } finally {
    await rm(work, { recursive: true, force: true });
    await rm(`${file}.partial`, { force: true });
  }
}

/** What the archive thread (archive-worker.ts) is started with: write a backup file, or verify one. */
export type ArchiveTask = { kind: 'write'; file: string; entries: Array<{ name: string; path?: string; bytes?: Uint8Array }> } | { kind: 'verify'; file: string; work: string };

/** What it posts: done, or why not. */
export type ArchiveReply = { ok: true } | { ok: false; bad: boolean; message: string };

const ARCHIVE_WORKER_URL = new URL('./archive-worker.js', import.meta.url);

/**
 * Runs `task` on a thread of its own (compressing, hashing and reading back a backup take seconds of
 * CPU for a large store); the error is a BadBackupError when the thread found the backup bad.
 */
function onArchiveThread(task: ArchiveTask): Promise<void> {
  // The thread streams the file in chunks and checks one blob at a time: a small heap.
  const worker = new Worker(ARCHIVE_WORKER_URL, { workerData: task, resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 } });
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: ArchiveReply) => (reply.ok ? resolve() : reject(reply.bad ? new BadBackupError(reply.message) : new Error(reply.message))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the backup's archive thread stopped (${code}) before answering`)));
  });
}

/** Backups in `dir` beyond the newest `keep` are removed (names sort by date). */
async function prune(dir: string, keep: number): Promise<string[]> {
  const backups = (await readdir(dir)).filter((n) => n.startsWith(BACKUP_PREFIX) && n.endsWith(BACKUP_SUFFIX)).sort();
  const old = backups.slice(0, Math.max(0, backups.length - keep)).map((n) => join(dir, n));
  for (const f of old) await rm(f, { force: true });
  return old;
}

export interface OpenedBackup {
  manifest: BackupManifest;
  /** The database extracted into the work folder. */
  database: string;
  /** The other files (TLS key and certificate). */
  files: Map<string, Buffer>;
}

/**
 * Reads a backup whole into `work`: every entry's checksum, the manifest, the database's integrity,
 * counts and blob hashes against the manifest. Throws BadBackupError saying what is wrong.
 */
export async function verifyBackup(file: string, work: string, check: (database: string) => Promise<DatabaseCheck> = checkDatabase): Promise<OpenedBackup> {
  const database = join(work, 'restore.sqlite');
  const parts = new Map<string, Buffer[]>();
  const headers = await readArchive(file, (header) => {
    if (header.name === 'mailroom.sqlite') return createWriteStream(database, { mode: 0o600 });
    if (header.name === 'manifest.json' || DATA_FILES.includes(header.name)) {
      const chunks: Buffer[] = [];
      parts.set(header.name, chunks);
      return chunks;
    }
    return undefined;
  });
  if (headers[0]?.name !== 'manifest.json') throw new BadBackupError('the backup has no manifest');
  if (!headers.some((h) => h.name === 'mailroom.sqlite')) throw new BadBackupError('the backup holds no database');
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(Buffer.concat(parts.get('manifest.json')!).toString('utf8')) as BackupManifest;
  } catch {
    throw new BadBackupError('the backup’s manifest cannot be read');
  }
  let found: DatabaseCheck;
  try {
    found = await check(database);
  } catch (error) {
    throw new BadBackupError((error as Error).message);
  }
  assertSound(found, 'the backed-up database');
  const same =
    found.schemaVersion === manifest.schemaVersion &&
    found.blobsDigest === manifest.blobsDigest &&
    JSON.stringify(found.counts) === JSON.stringify(manifest.counts);
  if (!same) throw new BadBackupError('the backed-up database does not hold what the backup’s manifest says');
  const files = new Map<string, Buffer>();
  for (const name of manifest.files) {
    const chunks = parts.get(name);
    if (!chunks) throw new BadBackupError(`the backup lacks ${name}`);
    files.set(name, Buffer.concat(chunks));
  }
  return { manifest, database, files };
}
