// `mailroom user send-as list|add|remove` and `mailroom user master list|add|remove`: which addresses
// a user may send as beyond its own (one address, or `*@domain`), and which users are master users
// (may log in as another user with their own password, as the SASL authzid). Same admin methods as
// the GUI's "Sender rights" page.
import type { Command } from 'commander';
import { withSession, type CliEnv } from './session.js';

export function registerUserRights(user: Command, env: CliEnv) {
  const sendAs = user.command('send-as').description('let a user send (envelope and From:) as an address it does not own');

  sendAs
    .command('list')
    .description('list the "send as" grants, of one user or all')
    .argument('[user]', 'only this user@domain')
    .action((who: string | undefined, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => out.table(await api.listSenderGrants({ user: who }), ['user', 'address', 'createdAt'])),
    );

  sendAs
    .command('add')
    .description('let USER send as ADDRESS')
    .argument('<user>', 'user@domain')
    .argument('<address>', 'an address, or *@domain for every address of a domain')
    .action((who: string, address: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const grant = await api.grantSendAs({ user: who, address });
        out.item(grant, `${grant.user} may send as ${grant.address}`);
      }),
    );

  sendAs
    .command('remove')
    .description('take a "send as" grant back')
    .argument('<user>', 'user@domain')
    .argument('<address>', 'the address as listed')
    .action((who: string, address: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const result = await api.revokeSendAs({ user: who, address });
        out.item(result, result.removed ? `${who} may no longer send as ${address}` : `${who} had no grant for ${address}`);
      }),
    );

  const master = user.command('master').description('master users: may log in as any user, with their own password (SASL authorization identity)');

  master
    .command('list')
    .description('list the master users')
    .action((_opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => out.table((await api.listMasterUsers({})).map((address) => ({ address })), ['address'])),
    );

  for (const action of ['add', 'remove'] as const) {
    master
      .command(action)
      .description(action === 'add' ? 'make a user a master user' : 'make a master user an ordinary user again')
      .argument('<user>', 'user@domain')
      .action((who: string, _opts: object, cmd: Command) =>
        withSession(env, cmd, async ({ api }, out) => {
          const result = await api.setMasterUser({ address: who, master: action === 'add' });
          out.item(result, `${result.address} is ${result.master ? 'now' : 'no longer'} a master user`);
        }),
      );
  }
}
