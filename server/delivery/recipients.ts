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
  /** Whether `domain` is hosted here (local for the relay check, whatever its transport says). */
  isHosted(domain: string): Promise<boolean>;
  /** `declaredSize`: the MAIL FROM SIZE= value, 0 when the client gave none. */
  resolve(address: Address, declaredSize: number): Promise<Resolution>;
}

type Routing = 'local' | 'remote' | 'reject';

/** `srs`: unwraps SRS0 addresses of hosted domains (bounces of forwarded mail) to the original sender. */
export function createRecipientResolver(store: Pick<Store, 'domains' | 'accounts' | 'aliases' | 'transports' | 'mailboxes'>, srs?: () => Promise<Srs>): RecipientResolver {
  const routing = async (domain: string): Promise<Routing> => {
    const transport = await store.transports.get(domain);
    if (transport) return transport.route.kind === 'smtp' ? 'remote' : transport.route.kind;
    return (await store.domains.get(domain)) ? 'local' : 'remote';
  };

  const directory: RecipientDirectory = {
    isLocalDomain: async (domain) => (await routing(domain)) === 'local' && (await store.domains.get(domain)) !== undefined,
    account: async (local, domain) => {
      const a = await store.accounts.find(local, domain);
      return a && { id: a.id, address: a.address, active: a.active && a.domainActive };
    },
    alias: (local, domain) => store.aliases.find(local, domain),
  };

  const overQuota = async (accountId: number, size: number) => {
    const a = await store.accounts.get(accountId);
    return a !== undefined && a.quotaBytes > 0 && (a.usedBytes >= a.quotaBytes || a.usedBytes + size > a.quotaBytes);
  };

  return {
    isHosted: async (domain) => (await store.domains.get(domain)) !== undefined,
    async resolve(address, declaredSize) {
      const text = `${address.local}@${address.domain}`;
      const route = await routing(address.domain);
      if (route === 'reject') return { ok: false, refusal: 'domain-rejected' };
      const domain = await store.domains.get(address.domain);
      if (route === 'remote' || !domain) return { ok: true, route: { local: [], remote: [text] } };
      if (!domain.active) return { ok: false, refusal: 'disabled', detail: `domain ${address.domain} is disabled` };
      if (srs !== undefined && isSrsLocalPart(address.local)) {
        const original = (await srs()).reverse(address.local);
        return original.ok ? { ok: true, route: { local: [], remote: [original.address] } } : { ok: false, refusal: 'srs-invalid', detail: original.reason };
      }

      const expansion = await expandRecipient(address, directory, false);
      const remote: string[] = [];
      for (const r of expansion.remote) if ((await routing(r.slice(r.lastIndexOf('@') + 1))) !== 'reject') remote.push(r);
      if (expansion.accounts.length === 0 && remote.length === 0) {
        return expansion.disabled.length > 0 ? { ok: false, refusal: 'disabled' } : { ok: false, refusal: 'unknown-user' };
      }
      for (const account of expansion.accounts) {
        if (await overQuota(account.id, declaredSize)) return { ok: false, refusal: 'over-quota', detail: account.address };
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
