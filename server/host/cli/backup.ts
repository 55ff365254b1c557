// `mailroom backup [--to DIR] [--keep N]`, `mailroom backup schedule --daily-at HH:MM --keep N [--to DIR]
// | --off`, `mailroom backup status`, and `mailroom restore FILE [--yes]` (README "Backup and
// restore"). A backup runs while serve runs on the same data folder; a restore needs it stopped.
import { createInterface } from 'node:readline/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatSize } from '../../admin/size.js';
import { inspectBackup, restoreBackup, RestoreRefused, BadBackupError } from '../../backup/restore.js';
import type { BackupManifest } from '../../backup/backup.js';
import { DATABASE_FILE } from '../data-dir.js';
import { SCHEMA_VERSION } from '../../store/migrations/index.js';
import { existsSync } from 'node:fs';
import { Interrupted, Refused, UsageError } from './errors.js';
import { Output, printable } from './output.js';
import { dataDirOf, withSession, type CliEnv, type CliSession, type GlobalOptions } from './session.js';

const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`"${value}" is not a positive whole number`);
  return n;
};

function backups(session: CliSession) {
  if (!session.backups) throw new Refused('backups need the data folder itself');
  return session.backups;
}

export function describeManifest(m: BackupManifest): string[] {
  return [
    `written ${new Date(m.createdAt).toISOString()} by Mailroom ${m.version} (schema ${m.schemaVersion}) on ${m.hostname}`,
    `domains: ${m.domains.join(', ') || '(none)'}`,
    `${m.counts.accounts} accounts, ${m.counts.aliases} aliases, ${m.counts.mailboxes} mailboxes, ${m.counts.messages} messages (${formatSize(m.counts.blobBytes)})`,
    `with ${m.files.length > 0 ? m.files.join(', ') : 'no TLS files'}`,
  ];
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new UsageError('add --yes to restore without a question');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } catch {
    throw new Interrupted('interrupted');
  } finally {
    rl.close();
  }
}

export function registerBackup(program: Command, env: CliEnv) {
  const backup = program
    .command('backup')
    .description('back the running server up into one verified, compressed file (database, TLS key and certificate)')
    .option('--to <dir>', 'the folder to write to (default: backups/ in the data folder)')
    .option('--keep <n>', 'then remove the oldest backups in that folder beyond N', positive)
    .action((opts: { to?: string; keep?: number }, cmd: Command) =>
      withSession(env, cmd, async (session, out) => {
        const result = await backups(session).run({ ...(opts.to ? { to: resolve(opts.to) } : {}), ...(opts.keep ? { keep: opts.keep } : {}) });
        if (out.json) return out.io.print(JSON.stringify(result));
        out.io.print(printable(result.file));
        for (const line of describeManifest(result.manifest)) env.io.error(printable(`  ${line}`));
        env.io.error(`  ${formatSize(result.bytes)} written and verified${result.removed.length ? `; removed ${result.removed.length} older` : ''}`);
      }),
    );

  backup
    .command('schedule')
    .description('back up every day at a time while the server runs, keeping the newest N')
    .option('--daily-at <HH:MM>', 'the time of day (server local time)')
    .option('--keep <n>', 'how many backups to keep', positive)
    .option('--to <dir>', 'the folder to write to (default: backups/ in the data folder)')
    .option('--off', 'no scheduled backups')
    .action((opts: { dailyAt?: string; keep?: number; to?: string; off?: boolean }, cmd: Command) =>
      withSession(env, cmd, async (session, out) => {
        if (opts.off) {
          await backups(session).setSchedule(null);
          return out.done('scheduled backups are off');
        }
        if (!opts.dailyAt || !opts.keep) throw new UsageError('give --daily-at HH:MM and --keep N, or --off');
        await backups(session).setSchedule({ dailyAt: opts.dailyAt, keep: opts.keep, dir: opts.to ? resolve(opts.to) : '' }).catch((error: Error) => {
          throw new UsageError(error.message.includes('HH:MM') ? 'write the time as HH:MM, e.g. 03:00' : error.message);
        });
        out.done(`backups daily at ${opts.dailyAt}, keeping ${opts.keep}, into ${opts.to ? resolve(opts.to) : 'backups/ in the data folder'}`);
      }),
    );

  backup
    .command('status')
    .description('the schedule, the last good backup and the last failure')
    .action((_opts: object, cmd: Command) =>
      withSession(env, cmd, async (session, out) => {
        const status = backups(session).status();
        if (out.json) return out.io.print(JSON.stringify(status));
        out.io.print(status.schedule ? `schedule: daily at ${status.schedule.dailyAt}, keep ${status.schedule.keep}${status.schedule.dir ? `, into ${printable(status.schedule.dir)}` : ''}` : 'schedule: none');
        out.io.print(status.last ? `last good backup: ${new Date(status.last.at).toISOString()} ${printable(status.last.file)}${status.stale ? ' (OLDER THAN THE SCHEDULE ALLOWS)' : ''}` : 'last good backup: none');
        if (status.lastError) out.io.print(`last failure: ${new Date(status.lastError.at).toISOString()} ${printable(status.lastError.error)}`);
      }),
    );

  program
    .command('restore')
    .description('replace the data folder’s data by a backup (the server must be stopped; the current data is backed up first)')
    .argument('<file>', 'a backup file written by mailroom backup')
    .option('--yes', 'do not ask before replacing')
    .action(async (file: string, opts: { yes?: boolean }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const dataDir = dataDirOf(globals);
      const out = new Output(env.io, globals.json === true);
      try {
        const manifest = await inspectBackup(resolve(file), join(dataDir, 'backups'));
        if (!out.json) for (const line of describeManifest(manifest)) out.io.print(printable(line));
        if (!opts.yes && !(await confirm(`Replace the data in ${dataDir} by this backup?`))) throw new Refused('nothing was restored');
        const result = await restoreBackup(
          {
            dataDir,
            schemaVersion: SCHEMA_VERSION,
            async backupCurrent() {
              if (!existsSync(join(dataDir, DATABASE_FILE))) return null;
              const session = await env.open(dataDir);
              try {
                return (await backups(session).run()).file;
              } finally {
                await session.close();
              }
            },
          },
          resolve(file),
        );
        // Opening the store migrates a backup from an older Mailroom.
        await (await env.open(dataDir)).close();
        if (out.json) return out.io.print(JSON.stringify(result));
        out.io.print(`restored; the data it replaced is in ${result.previous ? printable(result.previous) : '(there was none)'}`);
      } catch (error) {
        if (error instanceof BadBackupError) throw new Refused(`${resolve(file)} cannot be restored: ${error.message}`);
        if (error instanceof RestoreRefused) throw new Refused(error.message);
        throw error;
      }
    });
}
