// Sender-address ownership for authenticated submission (DESIGN §5): a user may send as its own
// account address or as an alias that expands to its account. A catch-all does not count — it would
// let one user send as every unlisted address of the domain. Beyond that, only the admin's "send as"
// grants (store.senderRights) let a user send as an address (issue 11 §3).
import type { Store } from '../store/index.js';
import type { Address } from '../mime/addr-spec.js';
import { CATCH_ALL } from '../store/aliases.js';
import { expandRecipient, type RecipientDirectory } from './expand.js';
import { storeDirectory } from './alias-destinations.js';

/** Owned, or granted by the admin ("send as" the address or its whole domain). */
export async function maySendAs(store: Pick<Store, 'domains' | 'accounts' | 'aliases' | 'senderRights'>, accountId: number, address: Address): Promise<boolean> {
  return (await ownsAddress(store, accountId, address)) || (await store.senderRights.allows(accountId, address.local, address.domain));
}

export async function ownsAddress(store: Pick<Store, 'domains' | 'accounts' | 'aliases'>, accountId: number, address: Address): Promise<boolean> {
  const account = await store.accounts.get(accountId);
  if (!account) return false;
  if (account.domain === address.domain && account.localPart.toLowerCase() === address.local.toLowerCase()) return true;
  if (!(await store.domains.get(address.domain))) return false;
  const all = storeDirectory(store);
  const directory: RecipientDirectory = { ...all, alias: async (local, domain) => (local === CATCH_ALL ? undefined : all.alias(local, domain)) };
  return (await expandRecipient(address, directory, false)).accounts.some((a) => a.id === accountId);
}
