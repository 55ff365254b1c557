// `mailroom network add|list|remove`: trusted networks (DESIGN §5) with their permissions. Relay for a
// range beyond the private ones is an open relay: the admin contract refuses it unless the command
// carries --i-know-this-is-an-open-relay.
import type { Command } from 'commander';
import { withSession, type CliEnv } from './session.js';

export function registerNetwork(program: Command, env: CliEnv) {
  const network = program.command('network').description('trusted networks (IP ranges) and what they may do');

  network
    .command('add')
    .description('trust an IP range (CIDR), optionally to relay without a password (the office scanner)')
    .argument('<cidr>', 'an IPv4 or IPv6 range, e.g. 192.168.1.0/24')
    .option('--relay', 'let this range send mail anywhere without a password')
    .option('--description <text>', 'what the range is')
    .option('--i-know-this-is-an-open-relay', 'allow --relay for a range beyond the private ones (0.0.0.0/0, ::/0, public addresses)')
    .action((cidr: string, opts: { relay?: boolean; description?: string; iKnowThisIsAnOpenRelay?: boolean }, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) =>
        out.item(
          await api.addNetwork({ cidr, relay: opts.relay === true, description: opts.description ?? '', confirmOpenRelay: opts.iKnowThisIsAnOpenRelay === true }),
          `added network ${cidr}`,
        ),
      ),
    );

  network
    .command('list')
    .description('list the trusted networks with their permissions')
    .action((_opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) =>
        out.table(await api.listNetworks({}), ['cidr', 'description', 'relay', 'allowSmtp', 'allowImap', 'allowPop3', 'requireTlsForAuth', 'expired']),
      ),
    );

  network
    .command('remove')
    .description('stop trusting a range')
    .argument('<cidr>', 'the range as listed')
    .action((cidr: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        await api.removeNetwork({ cidr });
        out.done(`removed network ${cidr}`);
      }),
    );
}
