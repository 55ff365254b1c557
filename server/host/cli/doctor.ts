// `mailroom doctor [--integrity]`: the admin service's health checks (services/doctor.ts, the same the
// dashboard shows), one line each with the fix under it. Exit 1 when a check fails, so a script or a
// monitoring job can act on it; warnings alone exit 0.
import type { Command } from 'commander';
import type { DoctorStatus } from '../../admin/contract.js';
import { printable } from './output.js';
import { withSession, type CliEnv } from './session.js';
import { Refused } from './errors.js';

const LABEL: Record<DoctorStatus, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };

export function registerDoctor(program: Command, env: CliEnv) {
  program
    .command('doctor')
    .description('check relay exposure, certificate, permissions, disk, listeners, settings, DNS and the queue')
    .option('--integrity', 'also check the database file (PRAGMA integrity_check; reads it all)')
    .action((opts: { integrity?: boolean }, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const report = await api.runDoctor({ integrity: opts.integrity === true });
        if (out.json) out.io.print(JSON.stringify(report));
        else {
          const width = Math.max(...report.checks.map((c) => c.title.length));
          for (const c of report.checks) {
            out.io.print(printable(`${LABEL[c.status]}  ${c.title.padEnd(width)}  ${c.detail}`));
            if (c.fix) out.io.print(printable(`      ${' '.repeat(width)}  fix: ${c.fix}`));
          }
          if (!opts.integrity) out.io.print('(database integrity not checked: add --integrity)');
        }
        if (report.status === 'fail') throw new Refused(`${report.checks.filter((c) => c.status === 'fail').length} check(s) failed`);
      }),
    );
}
