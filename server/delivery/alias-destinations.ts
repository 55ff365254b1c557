// Alias destination validation (DESIGN §6): before an alias is stored, its destinations must parse,
// must not be catch-alls, must name something that exists when they are on a hosted domain, and must
// not make the aliases loop or nest too deep. The check expands the alias as if it already had the
// new destinations, with the same expandRecipient that delivery uses, so what is accepted here is
// what delivery can follow.
import { parseAddress } from '../mime/addr-spec.js';
import type { Store } from '../store/index.js';
import { CATCH_ALL } from '../store/aliases.js';
import { expandRecipient, type RecipientDirectory } from './expand.js';

/** A destination list that cannot be stored; the message says which destination and why. */
export class AliasDestinationError extends Error {
  override name = 'AliasDestinationError';
}

/** The recipient directory over the store: hosted domains, accounts and aliases (catch-alls included). */
export function storeDirectory(store: Pick<Store, 'domains' | 'accounts' | 'aliases'>): RecipientDirectory {
  return {
    isLocalDomain: async (domain) => (await store.domains.get(domain)) !== undefined,
    account: (local, domain) => store.accounts.find(local, domain),
    alias: (local, domain) => store.aliases.find(local, domain),
  };
}

/**
 * The destinations `self` (`local` may be the catch-all) would have, trimmed, deduplicated and
 * normalised. Throws AliasDestinationError, AddressError (bad syntax), AliasLoopError or AliasDepthError.
 */
export async function checkAliasDestinations(directory: RecipientDirectory, self: { local: string; domain: string }, destinations: string[]): Promise<string[]> {
  const cleaned = [...new Set(destinations.map((d) => d.trim()).filter((d) => d !== ''))];
  if (cleaned.length === 0) throw new AliasDestinationError('An alias needs at least one destination.');
  const normalized = cleaned.map((d) => {
    const a = parseAddress(d);
    if (a.local === CATCH_ALL) throw new AliasDestinationError(`A destination cannot be a catch-all (${d}).`);
    return `${a.local}@${a.domain}`;
  });
  // Expand as if the alias already had these destinations, to find unknown targets and loops.
  const selfKey = `${self.local}@${self.domain}`.toLowerCase();
  const trial: RecipientDirectory = {
    ...directory,
    alias: (local, domain) =>
      `${local}@${domain}`.toLowerCase() === selfKey ? Promise.resolve({ address: selfKey, destinations: normalized, active: true }) : directory.alias(local, domain),
  };
  for (const destination of normalized) {
    const a = parseAddress(destination);
    if (!(await directory.isLocalDomain(a.domain))) continue;
    if (!(await directory.account(a.local, a.domain)) && !(await directory.alias(a.local, a.domain)) && `${a.local}@${a.domain}`.toLowerCase() !== selfKey) {
      throw new AliasDestinationError(`${destination} is on a local domain but is neither an account nor an alias. Create it first.`);
    }
  }
  if (self.local === CATCH_ALL) for (const d of normalized) await expandRecipient(d, trial);
  else await expandRecipient(`${self.local}@${self.domain}`, trial);
  return normalized;
}
