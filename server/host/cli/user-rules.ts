// `mailroom user vacation|forward ADDRESS ...`: a user's out-of-office and forwarding (issue 15),
// through the admin service, which writes the managed Sieve part. Without settings, each prints
// what is set now and the generated script.
import type { Command } from 'commander';
import type { MailRulesView } from '../../admin/contract.js';
import { UsageError } from './errors.js';
import { withSession, type CliEnv } from './session.js';

function describe(view: MailRulesView): string {
  const lines = [`mail rules of ${view.address}:`];
  const v = view.vacation;
  lines.push(v === null ? '  out-of-office: off' : `  out-of-office: "${v.subject}"${v.start ? ` from ${v.start}` : ''}${v.end ? ` until ${v.end}` : ''}, once per ${v.days} day(s) per sender`);
  const f = view.forward;
  lines.push(f === null ? '  forwarding: off' : `  forwarding: to ${f.to.join(', ')}${f.keepCopy ? ', keeping a copy' : ', no copy kept'}`);
  const own = view.userScripts.find((s) => s.active);
  if (own) lines.push(`  own Sieve script "${own.name}" is active and kept; it runs after these rules`);
  if (view.managedScript !== null) lines.push('', view.managedScript.trimEnd());
  return lines.join('\n');
}

export function registerUserRules(user: Command, env: CliEnv) {
  user
    .command('vacation')
    .description('set or turn off an out-of-office reply (without options: show it)')
    .argument('<address>', 'user@domain')
    .option('--subject <text>', 'subject of the reply')
    .option('--text <text>', 'the reply')
    .option('--html <html>', 'an HTML version of the reply')
    .option('--start <date>', 'first day (YYYY-MM-DD, UTC)')
    .option('--end <date>', 'last day (YYYY-MM-DD, UTC)')
    .option('--days <n>', 'answer one sender at most once per N days (default 7)', (v) => Number(v))
    .option('--also <address...>', "other addresses of the user that count as addressed to it (aliases)")
    .option('--off', 'turn the out-of-office off')
    .action((address: string, opts: { subject?: string; text?: string; html?: string; start?: string; end?: string; days?: number; also?: string[]; off?: boolean }, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const setting = opts.subject !== undefined || opts.text !== undefined;
        if (opts.off && setting) throw new UsageError('--off turns the out-of-office off; give it without --subject/--text');
        if (!opts.off && !setting) {
          const view = await api.getMailRules({ address });
          return out.item(view, describe(view));
        }
        if (!opts.off && (opts.subject === undefined || opts.text === undefined)) throw new UsageError('an out-of-office needs both --subject and --text');
        const vacation = opts.off
          ? null
          : { subject: opts.subject!, text: opts.text!, html: opts.html ?? null, start: opts.start ?? null, end: opts.end ?? null, days: opts.days, addresses: opts.also ?? [] };
        const view = await api.setVacation({ address, vacation });
        out.item(view, opts.off ? `out-of-office of ${view.address} turned off` : `out-of-office of ${view.address} set\n${describe(view)}`);
      }),
    );

  user
    .command('forward')
    .description('forward mail to other addresses, with or without a copy here (without options: show it)')
    .argument('<address>', 'user@domain')
    .argument('[destinations]', 'where to: one address or several separated by commas')
    .option('--keep', 'keep a copy in this mailbox too')
    .option('--off', 'turn forwarding off')
    .action((address: string, destinations: string | undefined, opts: { keep?: boolean; off?: boolean }, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        if (opts.off && destinations !== undefined) throw new UsageError('--off turns forwarding off; give it without destinations');
        if (!opts.off && destinations === undefined) {
          const view = await api.getMailRules({ address });
          return out.item(view, describe(view));
        }
        const forward = opts.off ? null : { to: destinations!.split(',').map((d) => d.trim()).filter((d) => d !== ''), keepCopy: opts.keep === true };
        const view = await api.setForwarding({ address, forward });
        out.item(view, opts.off ? `forwarding of ${view.address} turned off` : `forwarding of ${view.address} set\n${describe(view)}`);
      }),
    );
}
