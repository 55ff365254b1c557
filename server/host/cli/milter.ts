// `mailroom milter add|list|remove|test`: the milter chain (Postfix's smtpd_milters) from the command
// line. Milters run in the order they were added; a change reaches the running server like any setting.
import type { Command } from 'commander';
import { durationArgument } from './arguments.js';
import { Refused } from './errors.js';
import { withSession, type CliEnv } from './session.js';

export function registerMilter(program: Command, env: CliEnv) {
  const milter = program.command('milter').description('content filters spoken to over the milter protocol (rspamd, spamass-milter, clamav-milter)');

  milter
    .command('add')
    .description('append a milter to the chain')
    .argument('<name>', 'a name for it (letters, digits, . _ -)')
    .argument('<endpoint>', 'inet:HOST:PORT or unix:PATH')
    .option('--listeners <list>', 'which listeners it sees: mx, submission or mx,submission', 'mx,submission')
    .option('--default-action <action>', 'when it is down or breaks: tempfail (451) or accept (skip it)', 'tempfail')
    .option('--timeout <duration>', 'connect and per-command timeout (30s)', durationArgument)
    .option('--content-timeout <duration>', 'per header/body/end-of-message timeout (300s)', durationArgument)
    .action((name: string, endpoint: string, opts: { listeners: string; defaultAction: string; timeout?: number; contentTimeout?: number }, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const added = await api.addMilter({
          name,
          endpoint,
          listeners: opts.listeners.split(',').map((l) => l.trim()) as Array<'mx' | 'submission'>,
          defaultAction: opts.defaultAction as 'tempfail' | 'accept',
          ...(opts.timeout !== undefined && { timeoutMs: opts.timeout }),
          ...(opts.contentTimeout !== undefined && { contentTimeoutMs: opts.contentTimeout }),
        });
        out.item(added, `added milter ${added.name} (${added.endpoint}, ${added.listeners.join(',')}, default action ${added.defaultAction})`);
      }),
    );

  milter
    .command('list')
    .description('the milters in the order they run')
    .action((_opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => out.table(await api.listMilters({}), ['name', 'endpoint', 'listeners', 'defaultAction', 'timeoutMs', 'contentTimeoutMs'])),
    );

  milter
    .command('remove')
    .description('take a milter out of the chain')
    .argument('<name>')
    .action((name: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        await api.removeMilter({ name });
        out.done(`removed milter ${name}`);
      }),
    );

  milter
    .command('test')
    .description('connect to a milter and negotiate, as the server would (exit 1 when it cannot)')
    .argument('<name>')
    .action((name: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const result = await api.testMilter({ name });
        if (!result.ok) throw new Refused(result.detail);
        out.item(result, result.detail);
      }),
    );
}
