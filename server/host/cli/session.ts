// What a command runs against: the admin service over the data folder's store (opened per command
// and closed after it, so a running server sees the change on its next read), and how it prints.
// Tests hand the program another opener to run commands in-process against a fixture service.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openContext, VERSION } from '../../index.js';
import type { Store } from '../../store/index.js';
import { createAdminApi } from '../../admin/api.js';
import type { AdminApi } from '../../admin/contract.js';
import { ADMIN_PASSWORD_KEY } from '../../admin/admin-login.js';
import { createImportService, type ImportService } from '../../admin/services/import.js';
import { createBackupService, type BackupService } from '../../backup/service.js';
import { defaultDataDir } from '../data-dir.js';
import { Output, type CliIo } from './output.js';

/** The options every command takes (declared on the root program). */
export interface GlobalOptions {
  dataDir?: string;
  /** A postgres:// URL (default: $MAILROOM_DATABASE_URL); absent: the data folder's SQLite file. */
  database?: string;
  json?: boolean;
}

export interface CliSession {
  api: AdminApi;
  /** Imports with progress (absent in sessions without a store of their own, such as test fixtures). */
  importer?: ImportService;
  /** Backups of the data folder (absent in fixture sessions). */
  backups?: BackupService;
  /** The data folder's store, for reads the admin service does not offer (exports). */
  store?: Store;
  /** Forgets the admin GUI's password (the next serve prints a setup link). */
  forgetAdminPassword(): Promise<void>;
  close(): void | Promise<void>;
}

export interface CliEnv {
  io: CliIo;
  open(dataDir: string, databaseUrl?: string): CliSession | Promise<CliSession>;
}

export function dataDirOf(options: GlobalOptions): string {
  return resolve(options.dataDir ?? defaultDataDir());
}

export async function openDataFolder(dataDir: string, databaseUrl?: string): Promise<CliSession> {
  const ctx = await openContext(dataDir, { databaseUrl });
  const api = createAdminApi({ ...ctx, log: ctx.log.child({ component: 'cli' }), status: () => ({ version: '', startedAt: 0, listeners: {} }) });
  return {
    api,
    importer: createImportService({ store: ctx.store, bus: ctx.bus, log: ctx.log.child({ component: 'import' }) }),
    store: ctx.store,
    backups: createBackupService({ ...ctx, settings: ctx.settingsCache, version: VERSION, hostname: ctx.settings().hostname, now: () => ctx.clock.now(), log: ctx.log.child({ component: 'backup' }) }),
    async forgetAdminPassword() {
      await ctx.settingsCache.remove(ADMIN_PASSWORD_KEY);
    },
    close: () => ctx.close(),
  };
}

/** Runs `body` with a session on the data folder named by `command`'s global options, then closes it. */
export async function withSession(env: CliEnv, command: Command, body: (session: CliSession, out: Output) => Promise<unknown>): Promise<void> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const session = await env.open(dataDirOf(globals), globals.database);
  try {
    await body(session, new Output(env.io, globals.json === true));
  } finally {
    await session.close();
  }
}
