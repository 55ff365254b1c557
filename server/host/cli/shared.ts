// `mailroom shared list|add|grant|revoke|remove`: shared mailboxes (Shared/<name>), each receiving
// mail at its own address, and who may do what in them (RFC 4314 rights: lrswi reads and files,
// lrswipkxte also manages folders and deletes). The same admin service as the GUI's Shared mailboxes page.
import type { Command } from 'commander';
import type { SharedMailboxView } from '../../admin/contract.js';
import { withSession, type CliEnv } from './session.js';
import { sizeArgument } from './arguments.js';

const NAME = ['<name>', 'the shared mailbox, as in Shared/<name>'] as const;

const row = (s: SharedMailboxView) => ({ ...s, grants: s.grants.map((g) => `${g.user}=${g.rights}`).join(',') });

export function registerShared(program: Command, env: CliEnv) {
  const shared = program.command('shared').description('shared mailboxes (Shared/<name>) and the rights users hold on them');

  shared
    .command('list')
    .description('list the shared mailboxes with their address and grants')
    .action((_opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        out.table((await api.listSharedMailboxes({})).map(row), ['name', 'address', 'messages', 'usedBytes', 'grants']);
      }),
    );

  shared
    .command('add')
    .description('make a shared mailbox receiving mail at an address (no one logs in as it)')
    .argument(...NAME)
    .argument('<address>', 'the address its mail is sent to, e.g. sales@example.com')
    .option('--quota <size>', 'quota of the shared mailbox (e.g. 2G); default: the domain\'s', sizeArgument)
    .action((name: string, address: string, opts: { quota?: number }, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        out.item(row(await api.addSharedMailbox({ name, address, quota: opts.quota })), `added shared mailbox Shared/${name} receiving ${address}`);
      }),
    );

  shared
    .command('grant')
    .description('set the rights of a user (or anyone) on a shared mailbox')
    .argument(...NAME)
    .argument('<user>', 'a user address, anyone or authenticated')
    .argument('[rights]', 'RFC 4314 letters: l see, r read, s seen, w flags, i insert, k/x create/delete folders, t/e delete/expunge, a administer', 'lrswite')
    .action((name: string, user: string, rights: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        out.item(row(await api.grantSharedMailbox({ name, user, rights })), `${user} holds ${rights} on Shared/${name}`);
      }),
    );

  shared
    .command('revoke')
    .description("remove a user's rights on a shared mailbox")
    .argument(...NAME)
    .argument('<user>', 'a user address, anyone or authenticated')
    .action((name: string, user: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        out.item(row(await api.grantSharedMailbox({ name, user, rights: '' })), `${user} holds no rights on Shared/${name}`);
      }),
    );

  shared
    .command('remove')
    .description('remove a shared mailbox with its mail and grants')
    .argument(...NAME)
    .action((name: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const { removedMessages } = await api.removeSharedMailbox({ name });
        out.done(`removed shared mailbox Shared/${name} (${removedMessages} messages)`);
      }),
    );
}
