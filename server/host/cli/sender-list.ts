// `mailroom allow|block add|list|remove PATTERN [--user ADDRESS | --domain DOMAIN]`: the allow and block
// lists. PATTERN is a sender address, @domain, or an IP range; without --user or --domain the entry is
// global. Allowed senders skip spam filing; blocked ones are refused or filed to Junk (spam.blockAction).
import type { Command } from 'commander';
import { withSession, type CliEnv } from './session.js';

export function registerSenderLists(program: Command, env: CliEnv) {
  for (const list of ['allow', 'block'] as const) {
    const noun = program
      .command(list)
      .description(list === 'allow' ? 'senders whose mail is never filed as spam' : 'senders whose mail is refused or filed to Junk (spam.blockAction)');
    const scoped = (c: Command) =>
      c.option('--user <address>', "a user's own list").option('--domain <domain>', "a hosted domain's list (all its users)");

    scoped(noun.command('add').description(`add a pattern to the ${list} list`).argument('<pattern>', 'someone@example.org, @example.org, or an IP range (192.0.2.0/24)')).action(
      (pattern: string, opts: { user?: string; domain?: string }, cmd: Command) =>
        withSession(env, cmd, async ({ api }, out) => {
          const entry = await api.addSenderListEntry({ list, pattern, user: opts.user, domain: opts.domain });
          out.item(entry, `${list}: added ${entry.pattern}${scopeText(entry)}`);
        }),
    );

    scoped(noun.command('list').description(`the ${list} list (global unless --user/--domain; --all for every scope)`))
      .option('--all', 'entries of every scope')
      .action((opts: { user?: string; domain?: string; all?: boolean }, cmd: Command) =>
        withSession(env, cmd, async ({ api }, out) =>
          out.table(await api.listSenderLists({ list, user: opts.user, domain: opts.domain, all: opts.all === true }), ['pattern', 'kind', 'user', 'domain', 'source', 'createdAt']),
        ),
      );

    scoped(noun.command('remove').description(`remove a pattern from the ${list} list`).argument('<pattern>')).action(
      (pattern: string, opts: { user?: string; domain?: string }, cmd: Command) =>
        withSession(env, cmd, async ({ api }, out) => {
          await api.removeSenderListEntry({ list, pattern, user: opts.user, domain: opts.domain });
          out.done(`${list}: removed ${pattern}`);
        }),
    );
  }
}

function scopeText(e: { user: string | null; domain: string | null }): string {
  return e.user ? ` for ${e.user}` : e.domain ? ` for ${e.domain}` : ' (global)';
}
