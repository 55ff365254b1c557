// `mailroom migrate-store --from A --to B` (issue 19): copies the whole store from a data folder's
// SQLite file (or the file itself) into a PostgreSQL database, or from PostgreSQL into a SQLite file;
// progress per table on stderr, then each table's row counts on both sides and the blobs whose
// hashes were checked. Stop the server first. Exit 1 when refused or when the verification fails.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { systemClock } from '../../clock.js';
import { migrateStore, MigrateRefused, type MigrateProgress } from '../../store/migrate-store.js';
import { isPostgresUrl } from '../../store/postgres/sql.js';
import { DATABASE_FILE } from '../data-dir.js';
import { Refused } from './errors.js';
import { Output } from './output.js';
import type { CliEnv, GlobalOptions } from './session.js';

/** Progress lines at most this often per table (and always at a table's end). */
const PROGRESS_MS = 2000;

/** A postgres:// URL as given; a data folder as its SQLite file; a file as itself. */
function storeAt(where: string): string {
  if (isPostgresUrl(where)) return where;
  const path = resolve(where);
  return existsSync(path) && statSync(path).isDirectory() ? join(path, DATABASE_FILE) : path;
}

export function registerMigrateStore(program: Command, env: CliEnv) {
  program
    .command('migrate-store')
    .description('copy the whole store from SQLite into PostgreSQL or back, then verify it (stop the server first)')
    .requiredOption('--from <where>', 'a data folder or its SQLite file, or a postgres:// URL')
    .requiredOption('--to <where>', 'a postgres:// URL (an empty database), or a SQLite file to create')
    .option('--resume', 'continue an interrupted copy into the same target')
    .action(async (opts: { from: string; to: string; resume?: boolean }, cmd: Command) => {
      const out = new Output(env.io, cmd.optsWithGlobals<GlobalOptions>().json === true);
      const from = storeAt(opts.from);
      const to = storeAt(opts.to);
      if (!isPostgresUrl(from) && !existsSync(from)) throw new Refused(`there is no SQLite store at ${from}`);
      let last = { table: '', at: 0 };
      const onProgress = (p: MigrateProgress) => {
        const now = Date.now();
        const end = p.copied >= p.total;
        if (!end && p.table === last.table && now - last.at < PROGRESS_MS) return;
        if (!end && p.copied === 0 && p.total > 0) return;
        last = { table: p.table, at: now };
        env.io.error(`${p.table}: ${p.copied}/${p.total}`);
      };
      let report;
      try {
        report = await migrateStore({ from, to, resume: opts.resume === true, clock: systemClock, onProgress });
      } catch (error) {
        if (error instanceof MigrateRefused) throw new Refused(error.message);
        throw error;
      }
      out.table(report.tables, ['table', 'source', 'target']);
      if (report.problems.length > 0) throw new Refused(`the copy does not match its source:\n${report.problems.slice(0, 20).join('\n')}`);
      out.done(`Copied and verified: ${report.tables.reduce((n, t) => n + t.target, 0)} rows in ${report.tables.length} tables; ${report.blobs} blobs hash to their SHA-256.`);
    });
}
