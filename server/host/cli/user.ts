// `mailroom user add|list|passwd|quota|disable|enable|remove`: mail accounts, through the admin service;
// `user send-as` and `user master` are in user-rights.ts, `user vacation` and `user forward` in user-rules.ts.
import type { Command } from 'commander';
import { formatSize } from '../../admin/size.js';
import { sizeArgument } from './arguments.js';
import { readPassword } from './password.js';
import { registerUserRights } from './user-rights.js';
import { registerUserRules } from './user-rules.js';
import { withSession, type CliEnv } from './session.js';
import { addPageOptions, pageInput, printPage, wantsPage, type PageOptions } from './paging.js';
import { ACCOUNT_SORTS, type AccountSort } from '../../store/list-sorts.js';

const PASSWORD_STDIN = ['--password-stdin', 'read the password from the first line of standard input (else: a hidden prompt)'] as const;

export function registerUser(program: Command, env: CliEnv) {
  const user = program.command('user').description('mail accounts (user@domain) with their password and quota');

  user
    .command('add')
    .description("add an account with the standard folders (its domain's default quota unless --quota)")
    .argument('<address>', 'user@domain')
    .option(...PASSWORD_STDIN)
    .option('--quota <size>', 'quota (500M, 2G; 0 = unlimited)', sizeArgument)
    .option('--name <text>', 'display name ("Full Name")')
    .action((address: string, opts: { passwordStdin?: boolean; quota?: number; name?: string }, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const password = await readPassword(opts.passwordStdin === true);
        out.item(await api.addAccount({ address, password, displayName: opts.name ?? '', quota: opts.quota }), `added user ${address}`);
      }),
    );

  addPageOptions(user.command('list').description('list the accounts, of one domain or all (a page of them with --search, --sort, --limit or --cursor)'), ACCOUNT_SORTS)
    .argument('[domain]', 'only this domain')
    .action((domain: string | undefined, opts: PageOptions, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const columns = ['address', 'displayName', 'active', 'usedBytes', 'quota', 'lastLoginAt'];
        if (wantsPage(opts)) return printPage(out, await api.searchAccounts({ domain, ...pageInput<AccountSort>(opts) }), columns);
        out.table(await api.listAccounts({ domain }), columns);
      }),
    );

  user
    .command('passwd')
    .description("change an account's password")
    .argument('<address>', 'user@domain')
    .option(...PASSWORD_STDIN)
    .action((address: string, opts: { passwordStdin?: boolean }, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const password = await readPassword(opts.passwordStdin === true);
        out.item(await api.setPassword({ address, password }), `password changed for ${address}`);
      }),
    );

  user
    .command('quota')
    .description("set an account's quota")
    .argument('<address>', 'user@domain')
    .requiredOption('--quota <size>', 'the new quota (500M, 2G; 0 = unlimited)', sizeArgument)
    .action((address: string, opts: { quota: number }, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => out.item(await api.updateAccount({ address, quota: opts.quota }), `quota of ${address} set to ${opts.quota === 0 ? 'unlimited' : formatSize(opts.quota)}`)),
    );

  for (const action of ['disable', 'enable'] as const) {
    user
      .command(action)
      .description(action === 'disable' ? 'refuse logins and mail for an account (its mail stays)' : 'let a disabled account log in and receive mail again')
      .argument('<address>', 'user@domain')
      .action((address: string, _opts: object, cmd: Command) =>
        withSession(env, cmd, async ({ api }, out) => out.item(await api.updateAccount({ address, active: action === 'enable' }), `${action}d user ${address}`)),
      );
  }

  user
    .command('remove')
    .description('remove an account and all its mail')
    .argument('<address>', 'user@domain')
    .action((address: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => out.item(await api.removeAccount({ address }), `removed user ${address}`)),
    );

  registerUserRights(user, env);
  registerUserRules(user, env);
}
