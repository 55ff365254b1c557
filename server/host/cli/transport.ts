// `mailroom transport set|list|remove`: the transport table (Postfix transport(5)): where mail for a
// domain goes instead of its MX.
import type { Command } from 'commander';
import { withSession, type CliEnv } from './session.js';

export function registerTransport(program: Command, env: CliEnv) {
  const transport = program.command('transport').description('per-domain routes that override MX lookup (like Postfix transport maps)');

  transport
    .command('set')
    .description('route mail for a domain')
    .argument('<domain>', 'the recipient domain')
    .argument('<route>', 'smtp:[HOST]:PORT (that host), smtp:HOST:PORT (its MX), local or reject')
    .action((domain: string, route: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => out.item(await api.setTransport({ domain, route }), `transport for ${domain} set`)),
    );

  transport
    .command('list')
    .description('list the routes')
    .action((_opts: object, cmd: Command) => withSession(env, cmd, async ({ api }, out) => out.table(await api.listTransports({}), ['domain', 'route'])));

  transport
    .command('remove')
    .description('route a domain by its MX again')
    .argument('<domain>', 'the recipient domain')
    .action((domain: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        await api.removeTransport({ domain });
        out.done(`removed transport for ${domain}`);
      }),
    );
}
