// Turns an import plan's directory into store rows and writes them in one transaction.
// Forwardings become an alias on the account's own address (delivery reads that as the account's
// forwarding, the address among the destinations keeping a copy). Mailroom has no alias domains, so an
// imported alias domain becomes a hosted domain with one alias per address its target has at import
// time (accounts and aliases, imported or already here) and, when the target has a catch-all, the same
// catch-all: mail to x@alias reaches what x@target reaches. Addresses added to the target later are
// not mirrored; the report says so (docs/decisions.md).
import { parseAddress } from '../mime/addr-spec.js';
import type { Store } from '../store/index.js';
import type { DirectoryRows } from '../store/imports.js';
import type { ImportPlan } from './plan.js';

export interface DirectoryWritten {
  domains: number;
  accounts: number;
  disabledAccounts: number;
  aliases: number;
  forwardings: number;
  catchAlls: number;
  aliasDomains: number;
  transports: number;
}

const split = (address: string) => {
  if (address.startsWith('*@')) return { localPart: '*', domain: address.slice(2).toLowerCase() };
  const parsed = parseAddress(address);
  return { localPart: parsed.local, domain: parsed.domain };
};

/** The rows `plan` creates; `store` is read for the addresses of alias domains' targets that already exist. */
export async function directoryRows(plan: ImportPlan, store: Pick<Store, 'accounts' | 'aliases'>): Promise<DirectoryRows> {
  const c = plan.create;
  const rows: DirectoryRows = {
    domains: c.domains.map((d) => ({ name: d.name, active: d.active, defaultQuota: d.defaultQuota ?? 0 })),
    accounts: c.accounts.map((a) => ({ ...split(a.address), displayName: a.name, passwordHash: a.passwordHash, quotaBytes: a.quota, active: a.active })),
    aliases: [
      ...c.aliases.map((a) => ({ ...split(a.address), destinations: a.destinations, active: a.active })),
      ...c.forwardings
        .filter((f) => f.to.length > 0)
        .map((f) => ({ ...split(f.address), destinations: f.keepCopy ? [f.address, ...f.to] : f.to, active: f.active })),
    ],
    transports: c.transports,
  };
  for (const aliasDomain of c.aliasDomains) {
    rows.domains.push({ name: aliasDomain.alias, active: aliasDomain.active, defaultQuota: 0 });
    const target = aliasDomain.target;
    const locals = new Map<string, string>();
    for (const r of [...rows.accounts, ...rows.aliases]) if (r.domain === target) locals.set(r.localPart.toLowerCase(), r.localPart);
    for (const a of await store.accounts.list(target)) locals.set(a.localPart.toLowerCase(), a.localPart);
    const existingAliases = await store.aliases.list(target);
    for (const a of existingAliases) locals.set(a.localPart.toLowerCase(), a.localPart);
    for (const local of [...locals.values()].sort()) {
      if (local === '*') continue;
      rows.aliases.push({ domain: aliasDomain.alias, localPart: local, destinations: [`${local}@${target}`], active: true });
    }
    const catchAll = rows.aliases.find((r) => r.domain === target && r.localPart === '*') ?? existingAliases.find((a) => a.localPart === '*');
    if (catchAll) rows.aliases.push({ domain: aliasDomain.alias, localPart: '*', destinations: catchAll.destinations, active: catchAll.active });
  }
  return rows;
}

export async function writeDirectory(store: Store, job: string, plan: ImportPlan): Promise<DirectoryWritten> {
  const rows = await directoryRows(plan, store);
  await store.imports.writeDirectory(job, rows);
  const c = plan.create;
  return {
    domains: c.domains.length,
    accounts: c.accounts.length,
    disabledAccounts: c.accounts.filter((a) => a.disabledReason !== undefined).length,
    aliases: c.aliases.filter((a) => !a.address.startsWith('*@')).length,
    forwardings: c.forwardings.filter((f) => f.to.length > 0).length,
    catchAlls: c.aliases.filter((a) => a.address.startsWith('*@')).length,
    aliasDomains: c.aliasDomains.length,
    transports: c.transports.length,
  };
}
