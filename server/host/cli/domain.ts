// `mailroom domain add|list|disable|enable|remove`: the hosted domains (DESIGN §2), through the admin service.
import type { Command } from 'commander';
import { sizeArgument } from './arguments.js';
import { withSession, type CliEnv } from './session.js';

export function registerDomain(program: Command, env: CliEnv) {
  const domain = program.command('domain').description('the domains this server receives mail for');

  domain
    .command('add')
    .description('add a domain (stored as its A-label: bücher.example → xn--bcher-kva.example)')
    .argument('<name>', 'the domain name')
    .option('--quota <size>', 'default quota of its new users (500M, 2G; 0 = unlimited)', sizeArgument)
    .action((name: string, opts: { quota?: number }, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => out.item(await api.addDomain({ name, defaultQuota: opts.quota }), `added domain ${name}`)),
    );

  domain
    .command('list')
    .description('list the domains with their accounts, aliases and used space')
    .action((_opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => out.table(await api.listDomains(), ['name', 'displayName', 'active', 'accounts', 'aliases', 'usedBytes', 'defaultQuota'])),
    );

  for (const action of ['disable', 'enable'] as const) {
    domain
      .command(action)
      .description(action === 'disable' ? 'stop accepting mail for a domain (its data stays)' : 'accept mail for a disabled domain again')
      .argument('<name>', 'the domain name')
      .action((name: string, _opts: object, cmd: Command) =>
        withSession(env, cmd, async ({ api }, out) => out.item(await api.updateDomain({ name, active: action === 'enable' }), `${action}d domain ${name}`)),
      );
  }

  domain
    .command('remove')
    .description('remove a domain; one with accounts or aliases only with --cascade')
    .argument('<name>', 'the domain name')
    .option('--cascade', 'also remove its accounts (with their mail) and aliases')
    .action((name: string, opts: { cascade?: boolean }, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => out.item(await api.removeDomain({ name, cascade: opts.cascade === true }), `removed domain ${name}`)),
    );
}
