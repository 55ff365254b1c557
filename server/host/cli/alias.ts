// `mailroom alias add|list|remove`: aliases, catch-alls (*@domain) and distribution lists. `add` on an
// existing alias adds destinations and `remove ADDRESS DESTS` drops some, as postalias users expect.
import type { Command } from 'commander';
import { AdminError, type AdminApi, type AliasView } from '../../admin/contract.js';
import { withSession, type CliEnv } from './session.js';
import { addPageOptions, pageInput, printPage, wantsPage, type PageOptions } from './paging.js';
import { ALIAS_SORTS, type AliasSort } from '../../store/list-sorts.js';

const ADDRESS = ['<address>', 'the alias: user@domain, or *@domain for the catch-all'] as const;

export function registerAlias(program: Command, env: CliEnv) {
  const alias = program.command('alias').description('aliases, catch-alls (*@domain) and distribution lists');

  alias
    .command('add')
    .description('add an alias, or add destinations to an existing one')
    .argument(...ADDRESS)
    .argument('<destinations>', 'comma-separated addresses: local accounts, other aliases, outside addresses')
    .action((address: string, destinations: string, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const existing = await find(api, address);
        if (existing) return out.item(await api.updateAlias({ address, destinations: [...existing.destinations, ...split(destinations)] }), `updated alias ${address}`);
        out.item(await api.addAlias({ address, destinations: split(destinations) }), `added alias ${address}`);
      }),
    );

  addPageOptions(alias.command('list').description('list the aliases, of one domain or all (a page of them with --search, --sort, --limit or --cursor)'), ALIAS_SORTS)
    .argument('[domain]', 'only this domain')
    .action((domain: string | undefined, opts: PageOptions, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        const columns = ['address', 'destinations', 'active'];
        const rows = (aliases: AliasView[]) => aliases.map((x) => ({ ...x, destinations: x.destinations.join(',') }));
        if (wantsPage(opts)) return printPage(out, await api.searchAliases({ domain, ...pageInput<AliasSort>(opts) }), columns, rows);
        out.table(rows(await api.listAliases({ domain })), columns);
      }),
    );

  alias
    .command('remove')
    .description('remove an alias, or only some of its destinations')
    .argument(...ADDRESS)
    .argument('[destinations]', 'comma-separated destinations to drop (the alias goes when none is left)')
    .action((address: string, destinations: string | undefined, _opts: object, cmd: Command) =>
      withSession(env, cmd, async ({ api }, out) => {
        if (destinations !== undefined) {
          const existing = await find(api, address);
          if (!existing) throw new AdminError('not-found', `There is no alias ${address}.`);
          const drop = new Set(split(destinations).map((d) => d.toLowerCase()));
          const keep = existing.destinations.filter((d) => !drop.has(d.toLowerCase()));
          if (keep.length > 0) return out.item(await api.updateAlias({ address, destinations: keep }), `updated alias ${address}`);
        }
        await api.removeAlias({ address });
        out.done(`removed alias ${address}`);
      }),
    );
}

const split = (list: string) => list.split(',').map((d) => d.trim());

async function find(api: AdminApi, address: string) {
  return (await api.listAliases({})).find((x) => x.address.toLowerCase() === address.trim().toLowerCase());
}
