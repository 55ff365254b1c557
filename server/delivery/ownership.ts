// Sender-address ownership for authenticated submission (DESIGN §5): a user may send as its own
// account address or as an alias that expands to its account. A catch-all does not count — it would
// let one user send as every unlisted address of the domain. Beyond that, only the admin's "send as"
// grants (store.senderRights) let a user send as an address (issue 11 §3).
import type { Store } from '../store/index.js';
import type { Address } from '../mime/addr-spec.js';
import { CATCH_ALL } from '../store/aliases.js';
import { expandRecipient, type RecipientDirectory } from './expand.js';

/** Owned, or granted by the admin ("send as" the address or its whole domain). */
export function maySendAs(store: Pick<Store, 'domains' | 'accounts' | 'aliases' | 'senderRights'>, accountId: number, address: Address): boolean {
  return ownsAddress(store, accountId, address) || store.senderRights.allows(accountId, address.local, address.domain);
}

export function ownsAddress(store: Pick<Store, 'domains' | 'accounts' | 'aliases'>, accountId: number, address: Address): boolean {
  const account = store.accounts.get(accountId);
  if (!account) return false;
  if (account.domain === address.domain && account.localPart.toLowerCase() === address.local.toLowerCase()) return true;
  if (!store.domains.get(address.domain)) return false;
  const directory: RecipientDirectory = {
    isLocalDomain: (domain) => store.domains.get(domain) !== undefined,
    account: (local, domain) => {
      const a = store.accounts.find(local, domain);
      return a && { id: a.id, address: a.address, active: a.active };
    },
    alias: (local, domain) => (local === CATCH_ALL ? undefined : store.aliases.find(local, domain)),
  };
  return expandRecipient(address, directory, false).accounts.some((a) => a.id === accountId);
}
