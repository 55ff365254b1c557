// The dry run of an import: from what the readers found (a Directory, summaries of the mail found per
// user) and a lookup of what Mailroom already has, the plan of what would be created and every
// conflict, each with its effect (skipped, imported disabled, imported anyway), as plain data the CLI
// prints and the GUI shows. Pure apart from the injected lookup; nothing is written.
// Invariants: an address Mailroom already has is never overwritten (skipped); an account whose hash
// no scheme verifies is created disabled with the reason; mail whose owner is neither imported nor
// existing is skipped and listed; mail is never dropped for being over quota (imported, flagged).
import { AddressError, normalizeDomain, parseAddress } from '../mime/addr-spec.js';
import type { TransportRoute } from '../store/transports.js';
import type { SourceItem } from './source-message.js';
import type { Directory, ImportedAccount, ImportedAlias, ImportedAliasDomain, ImportedDomain } from './directory/types.js';
import { mapTransport } from './transport-route.js';

/** What Mailroom already holds; the store (or admin service) implements it. */
export interface ExistingLookup {
  domainExists(name: string): Promise<boolean>;
  /** An account or alias with this address exists (`local@domain` with the local part lower-cased, or `*@domain`). */
  exists(address: string): Promise<boolean>;
  /** Quota of an existing account in bytes (0 = unlimited); undefined when there is none. */
  accountQuota?(address: string): Promise<number | undefined>;
}

/** What a mail reader found for one user, counted without reading bodies. */
export interface MailSummary {
  address: string;
  source: string;
  folders: number;
  messages: number;
  bytes: number;
  unreadable: number;
}

/** Counts what a reader yields for one user without reading any message body. */
export async function summarizeMail(address: string, source: string, items: AsyncIterable<SourceItem>): Promise<MailSummary> {
  const summary: MailSummary = { address, source, folders: 0, messages: 0, bytes: 0, unreadable: 0 };
  for await (const item of items) {
    if (item.kind === 'folder') summary.folders++;
    else if (item.kind === 'unreadable') summary.unreadable++;
    else {
      summary.messages++;
      summary.bytes += item.size ?? 0;
    }
  }
  return summary;
}

export type Effect = 'skipped' | 'imported-disabled' | 'imported';

export type Conflict =
  | { kind: 'address-exists'; address: string; effect: 'skipped' }
  | { kind: 'invalid-address'; address: string; reason: string; effect: 'skipped' }
  | { kind: 'unknown-domain'; address: string; domain: string; effect: 'skipped' }
  | { kind: 'unknown-hash'; address: string; scheme: string; reason: string; effect: 'imported-disabled' }
  | { kind: 'unknown-destination'; address: string; destination: string; effect: 'imported' }
  | { kind: 'invalid-destination'; address: string; destination: string; reason: string; effect: 'imported' }
  | { kind: 'alias-domain-conflict'; domain: string; target: string; reason: string; effect: 'skipped' }
  | { kind: 'unsupported-transport'; domain: string; transport: string; reason: string; effect: 'skipped' }
  | { kind: 'over-quota'; address: string; quota: number; bytes: number; effect: 'imported' }
  | { kind: 'mail-without-account'; address: string; source: string; effect: 'skipped' }
  | { kind: 'unreadable-mail'; address: string; count: number; effect: 'skipped' };

export interface PlannedAccount extends ImportedAccount {
  /** Why the account will be created disabled although the source had it active. */
  disabledReason?: string;
}

/** An alias on an address that is also an imported account: PostfixAdmin's forwarding. */
export interface PlannedForwarding {
  address: string;
  to: string[];
  /** The account's own address was among the destinations: deliver locally too. */
  keepCopy: boolean;
  active: boolean;
}

export interface ImportPlan {
  create: {
    domains: ImportedDomain[];
    accounts: PlannedAccount[];
    aliases: ImportedAlias[];
    forwardings: PlannedForwarding[];
    aliasDomains: ImportedAliasDomain[];
    transports: { domain: string; route: TransportRoute }[];
    mail: MailSummary[];
  };
  /** Domains that exist already: their new accounts and aliases are added to them. */
  existingDomains: string[];
  conflicts: Conflict[];
  totals: { domains: number; accounts: number; aliases: number; messages: number; bytes: number };
}

const EMPTY: Directory = { domains: [], accounts: [], aliases: [], aliasDomains: [], transports: [] };

const lower = (s: string) => s.toLowerCase();

export async function planImport(input: { directory?: Directory; mail?: MailSummary[] }, existing: ExistingLookup): Promise<ImportPlan> {
  const directory = input.directory ?? EMPTY;
  const conflicts: Conflict[] = [];
  const plan: ImportPlan['create'] = { domains: [], accounts: [], aliases: [], forwardings: [], aliasDomains: [], transports: [], mail: [] };
  const existingDomains: string[] = [];

  // Domains: new ones are created, existing ones receive what is imported into them.
  const localDomains = new Set<string>();
  for (const domain of directory.domains) {
    let name: string;
    try {
      name = normalizeDomain(domain.name);
    } catch (error) {
      if (!(error instanceof AddressError)) throw error;
      conflicts.push({ kind: 'invalid-address', address: domain.name, reason: error.message, effect: 'skipped' });
      continue;
    }
    localDomains.add(name);
    if (await existing.domainExists(name)) existingDomains.push(name);
    else plan.domains.push({ ...domain, name });
  }
  const domainKnown = async (domain: string) => localDomains.has(domain) || (await existing.domainExists(domain));

  /** Parses `address` (`*@domain` allowed when `catchAll`), recording why when it cannot be used. */
  async function usable(address: string, catchAll: boolean): Promise<{ key: string; domain: string } | undefined> {
    let domain: string;
    let key: string;
    try {
      if (catchAll && address.startsWith('*@')) {
        domain = normalizeDomain(address.slice(2));
        key = `*@${domain}`;
      } else {
        const parsed = parseAddress(address);
        domain = parsed.domain;
        key = `${lower(parsed.local)}@${domain}`;
      }
    } catch (error) {
      if (!(error instanceof AddressError)) throw error;
      conflicts.push({ kind: 'invalid-address', address, reason: error.message, effect: 'skipped' });
      return undefined;
    }
    if (!(await domainKnown(domain))) {
      conflicts.push({ kind: 'unknown-domain', address, domain, effect: 'skipped' });
      return undefined;
    }
    if (await existing.exists(key)) {
      conflicts.push({ kind: 'address-exists', address, effect: 'skipped' });
      return undefined;
    }
    return { key, domain };
  }

  const accountQuota = new Map<string, number>();
  for (const account of directory.accounts) {
    const ok = await usable(account.address, false);
    if (!ok) continue;
    accountQuota.set(ok.key, account.quota);
    if (account.hash.usable) plan.accounts.push(account);
    else {
      conflicts.push({ kind: 'unknown-hash', address: account.address, scheme: account.hash.scheme, reason: account.hash.reason, effect: 'imported-disabled' });
      plan.accounts.push({ ...account, active: false, disabledReason: account.hash.reason });
    }
  }

  const aliasKeys = new Set<string>();
  for (const alias of directory.aliases) {
    const addressKey = alias.address.startsWith('*@') ? alias.address : lower(alias.address);
    if (accountQuota.has(addressKey)) {
      const self = (d: string) => lower(d) === addressKey;
      plan.forwardings.push({ address: alias.address, to: alias.destinations.filter((d) => !self(d)), keepCopy: alias.destinations.some(self), active: alias.active });
      continue;
    }
    const ok = await usable(alias.address, true);
    if (!ok) continue;
    aliasKeys.add(ok.key);
    plan.aliases.push(alias);
  }
  // Destinations are checked once every imported address is known (aliases may point at each other).
  for (const alias of [...plan.aliases, ...plan.forwardings.map((f) => ({ address: f.address, destinations: f.to }))]) {
    for (const destination of alias.destinations) {
      let parsed;
      try {
        parsed = parseAddress(destination);
      } catch (error) {
        if (!(error instanceof AddressError)) throw error;
        conflicts.push({ kind: 'invalid-destination', address: alias.address, destination, reason: error.message, effect: 'imported' });
        continue;
      }
      const key = `${lower(parsed.local)}@${parsed.domain}`;
      const local = await domainKnown(parsed.domain);
      if (local && !accountQuota.has(key) && !aliasKeys.has(key) && !aliasKeys.has(`*@${parsed.domain}`) && !(await existing.exists(key))) {
        conflicts.push({ kind: 'unknown-destination', address: alias.address, destination, effect: 'imported' });
      }
    }
  }

  for (const aliasDomain of directory.aliasDomains) {
    const reason = localDomains.has(aliasDomain.alias) || (await existing.domainExists(aliasDomain.alias))
      ? `${aliasDomain.alias} is a domain of its own`
      : !(await domainKnown(aliasDomain.target))
        ? `the target ${aliasDomain.target} is not a known domain`
        : undefined;
    if (reason) conflicts.push({ kind: 'alias-domain-conflict', domain: aliasDomain.alias, target: aliasDomain.target, reason, effect: 'skipped' });
    else plan.aliasDomains.push(aliasDomain);
  }

  for (const transport of directory.transports) {
    const mapped = mapTransport(transport.transport);
    if (mapped.kind === 'route') plan.transports.push({ domain: transport.domain, route: mapped.route });
    else if (mapped.kind === 'unsupported') conflicts.push({ kind: 'unsupported-transport', ...transport, reason: mapped.reason, effect: 'skipped' });
  }

  for (const mail of input.mail ?? []) {
    const key = lower(mail.address);
    const quota = accountQuota.get(key) ?? (await existing.accountQuota?.(key));
    if (quota === undefined) {
      conflicts.push({ kind: 'mail-without-account', address: mail.address, source: mail.source, effect: 'skipped' });
      continue;
    }
    plan.mail.push(mail);
    if (quota > 0 && mail.bytes > quota) conflicts.push({ kind: 'over-quota', address: mail.address, quota, bytes: mail.bytes, effect: 'imported' });
    if (mail.unreadable > 0) conflicts.push({ kind: 'unreadable-mail', address: mail.address, count: mail.unreadable, effect: 'skipped' });
  }

  return {
    create: plan,
    existingDomains,
    conflicts,
    totals: {
      domains: plan.domains.length,
      accounts: plan.accounts.length,
      aliases: plan.aliases.length + plan.forwardings.length,
      messages: plan.mail.reduce((n, m) => n + m.messages, 0),
      bytes: plan.mail.reduce((n, m) => n + m.bytes, 0),
    },
  };
}
