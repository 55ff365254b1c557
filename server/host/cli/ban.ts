// `mailroom ban list|remove`: the sources (an IPv4 address, an IPv6 /64) banned for repeated failed
// logins, and lifting a ban: the CLI twin of the dashboard's "Banned addresses" card. Bans are kept
// in the store, so this sees a running server's bans, and a lift here reaches it within a second.
import type { Command } from 'commander';
import { Refused } from './errors.js';
import { withSession, type CliEnv } from './session.js';

export function registerBan(program: Command, env: CliEnv) {
  const ban = program.command('ban').description('addresses banned for repeated failed logins (SMTP, IMAP, POP3, admin)');

  ban
    .command('list')
    .description('list the banned addresses (IPv6 as /64) with when the ban ends')
    .action((_opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const bans = await api.listBannedSources({});
        // `…At` columns print as dates (output.ts).
        out.table(bans.map((b) => ({ source: b.source, failures: b.failures, bannedAt: b.since, endsAt: b.until })), ['source', 'failures', 'bannedAt', 'endsAt']);
      }),
    );

  ban
    .command('remove')
    .description('lift a ban now and forget its failures')
    .argument('<address>', 'the address as listed, or any address of a banned IPv6 /64')
    .action((address: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const { unbanned } = await api.unbanSource({ source: address });
        if (!unbanned) throw new Refused(`${address} is not banned`);
        out.item({ unbanned }, `lifted the ban on ${address}`);
      }),
    );
}
