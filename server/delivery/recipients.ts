// Recipient resolution at RCPT time (DESIGN §6): where mail for one envelope recipient goes, or why it
// cannot be taken. Routing per domain: the transport table decides first (`reject`, `smtp:` = remote,
// `local`), otherwise a hosted domain is local and any other domain is remote. A local address expands
// through expandRecipient (accounts, aliases recursively, catch-all); loops are skipped, never followed.
//
// Invariants: an address is refused only for a reason the sender can act on (unknown user, disabled
// mailbox or domain, full mailbox, domain not accepted); an alias is delivered to its active members
// (disabled ones are skipped, as the admin disabled them), but is refused as a whole when one member's
// mailbox is full — refusing loudly beats dropping one member's copy silently; quota 0 = unlimited.
import type { Store } from '../store/index.js';
import type { Account } from '../store/accounts.js';
import type { Domain } from '../store/domains.js';
import type { Transport } from '../store/transports.js';
import type { Address } from '../mime/addr-spec.js';
import { INBOX } from '../store/mailboxes.js';
import { expandRecipient, type RecipientDirectory } from './expand.js';
import { isSrsLocalPart, type Srs } from './srs.js';

export interface LocalTarget {
  accountId: number;
  /** The account's address, as Delivered-To shows it. */
  address: string;
  mailboxId: number;
}

export interface Route {
  local: LocalTarget[];
  remote: string[];
}

export type RecipientRefusal = 'unknown-user' | 'disabled' | 'over-quota' | 'domain-rejected' | 'no-inbox' | 'srs-invalid';

export type Resolution = { ok: true; route: Route } | { ok: false; refusal: RecipientRefusal; detail?: string };

export interface RecipientResolver {
  /**
   * Whether `domain` is hosted here (local for the relay check, whatever its transport says).
   * `lookups`: the reads of one SMTP transaction, shared by its steps (see lookups()).
   */
  isHosted(domain: string, lookups?: DomainLookups): Promise<boolean>;
  /** `declaredSize`: the MAIL FROM SIZE= value, 0 when the client gave none. */
  resolve(address: Address, declaredSize: number, lookups?: DomainLookups): Promise<Resolution>;
  /**
   * A memo of domain rows and transports for one SMTP transaction: its RCPTs and its DATA read each
   * domain once (a transaction lasts milliseconds; rules, domains and transports edited meanwhile
   * apply to the next one).
   */
  lookups(): DomainLookups;
}

type Routing = 'local' | 'remote' | 'reject';

export interface DomainLookups {
  domain(name: string): Promise<Domain | undefined>;
  routing(name: string): Promise<Routing>;
}

/** `srs`: unwraps SRS0 addresses of hosted domains (bounces of forwarded mail) to the original sender. */
export function createRecipientResolver(store: Pick<Store, 'domains' | 'accounts' | 'aliases' | 'transports' | 'mailboxes'>, srs?: () => Promise<Srs>): RecipientResolver {
  /** One resolution's (or transaction's) reads of a domain's row and transport, each made once however often its steps ask. */
  const domainReads = (): DomainLookups => {
    const domains = new Map<string, Promise<Domain | undefined>>();
    const transports = new Map<string, Promise<Transport | undefined>>();
    const once = <T>(kept: Map<string, Promise<T>>, domain: string, read: () => Promise<T>): Promise<T> => {
      const key = domain.toLowerCase();
      let value = kept.get(key);
      if (value === undefined) kept.set(key, (value = read()));
      return value;
    };
    const domain = (name: string) => once(domains, name, () => store.domains.get(name));
    const routing = async (name: string): Promise<Routing> => {
      const transport = await once(transports, name, () => store.transports.get(name));
      if (transport) return transport.route.kind === 'smtp' ? 'remote' : transport.route.kind;
      return (await domain(name)) ? 'local' : 'remote';
    };
    return { domain, routing };
  };

  /** `found`: the accounts expansion read, by id (their usage is as fresh as a second read would be). */
  const directoryOf = ({ domain, routing }: DomainLookups, found: Map<number, Account>): RecipientDirectory => ({
    isLocalDomain: async (name) => (await routing(name)) === 'local' && (await domain(name)) !== undefined,
    account: async (local, name) => {
      const a = await store.accounts.find(local, name);
      if (a) found.set(a.id, a);
      return a && { id: a.id, address: a.address, active: a.active && a.domainActive };
    },
    alias: (local, name) => store.aliases.find(local, name),
  });

  const overQuota = (a: Account | undefined, size: number) => a !== undefined && a.quotaBytes > 0 && (a.usedBytes >= a.quotaBytes || a.usedBytes + size > a.quotaBytes);

  return {
    lookups: domainReads,
    isHosted: async (domain, lookups) => (await (lookups ? lookups.domain(domain) : store.domains.get(domain))) !== undefined,
    async resolve(address, declaredSize, lookups) {
      const text = `${address.local}@${address.domain}`;
      const reads = lookups ?? domainReads();
      const { routing } = reads;
      const route = await routing(address.domain);
      if (route === 'reject') return { ok: false, refusal: 'domain-rejected' };
      const domain = await reads.domain(address.domain);
      if (route === 'remote' || !domain) return { ok: true, route: { local: [], remote: [text] } };
      if (!domain.active) return { ok: false, refusal: 'disabled', detail: `domain ${address.domain} is disabled` };
      if (srs !== undefined && isSrsLocalPart(address.local)) {
        const original = (await srs()).reverse(address.local);
        return original.ok ? { ok: true, route: { local: [], remote: [original.address] } } : { ok: false, refusal: 'srs-invalid', detail: original.reason };
      }

      const found = new Map<number, Account>();
      const expansion = await expandRecipient(address, directoryOf(reads, found), false);
      const remote: string[] = [];
      for (const r of expansion.remote) if ((await routing(r.slice(r.lastIndexOf('@') + 1))) !== 'reject') remote.push(r);
      if (expansion.accounts.length === 0 && remote.length === 0) {
        return expansion.disabled.length > 0 ? { ok: false, refusal: 'disabled' } : { ok: false, refusal: 'unknown-user' };
      }
      for (const account of expansion.accounts) {
        if (overQuota(found.get(account.id) ?? (await store.accounts.get(account.id)), declaredSize)) return { ok: false, refusal: 'over-quota', detail: account.address };
      }
      const local: LocalTarget[] = [];
      for (const account of expansion.accounts) {
        const inbox = await store.mailboxes.get(account.id, INBOX);
        if (!inbox) return { ok: false, refusal: 'no-inbox', detail: account.address };
        local.push({ accountId: account.id, address: account.address, mailboxId: inbox.id });
      }
      return { ok: true, route: { local, remote } };
    },
  };
}
