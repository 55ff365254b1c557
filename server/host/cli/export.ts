// `mailroom export maildir|mbox DIR [--user ADDRESS]`: every account's mail (or one's) out of
// Mailroom, as Maildir with dovecot-uidlist (Dovecot serves the same UIDs) or as mbox. Reads only:
// runs while serve runs on the same data folder.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatSize } from '../../admin/size.js';
import { exportMaildir, type ExportReport } from '../../backup/export-maildir.js';
import { exportMbox } from '../../backup/export-mbox.js';
import type { Store } from '../../store/index.js';
import { Refused } from './errors.js';
import { withSession, type CliEnv } from './session.js';

export function registerExport(program: Command, env: CliEnv) {
  const command = program.command('export').description('write mail out as Maildir (with dovecot-uidlist) or mbox');
  const formats: Array<[string, string, (store: Store, dir: string, options: { user?: string }) => Promise<ExportReport>]> = [
    ['maildir', "Maildir++ under DIR/<domain>/<local>/Maildir, UIDs kept in dovecot-uidlist", exportMaildir],
    ['mbox', 'one mbox file per folder under DIR/<domain>/<local>/', exportMbox],
  ];
  for (const [name, description, run] of formats) {
    command
      .command(name)
      .description(description)
      .argument('<dir>', 'the folder to write into')
      .option('--user <address>', 'only this account')
      .action((dir: string, opts: { user?: string }, cmd: Command) =>
        withSession(env, cmd, async (session, out) => {
          if (!session.store) throw new Refused('exports need the data folder itself');
          const report = await run(session.store, resolve(dir), opts.user ? { user: opts.user } : {});
          out.item(report, `exported ${report.messages} messages (${formatSize(report.bytes)}) in ${report.folders} folders of ${report.accounts} accounts to ${resolve(dir)}`);
        }),
      );
  }
}
