// The admin service's lookups by name: a domain or an account named in an input, or an AdminError
// ('invalid' for bad syntax, 'not-found' with the sentence the GUI shows) naming the input's field.
import { normalizeDomain, parseAddress } from '../../mime/addr-spec.js';
import type { Store } from '../../store/index.js';
import type { Account } from '../../store/accounts.js';
import type { Domain } from '../../store/domains.js';
import { AdminError } from '../contract.js';
import { guard } from './errors.js';

export async function domainOf(store: Pick<Store, 'domains'>, name: string): Promise<Domain> {
  const normalized = guard(() => normalizeDomain(name), 'name');
  const domain = await store.domains.get(normalized);
  if (!domain) throw new AdminError('not-found', `There is no domain ${name.trim()}. Add it first.`, 'domain');
  return domain;
}

export async function accountOf(store: Pick<Store, 'accounts'>, address: string, field = 'address'): Promise<Account> {
  const parsed = guard(() => parseAddress(address), field);
  const account = await store.accounts.find(parsed.local, parsed.domain);
  if (!account) throw new AdminError('not-found', `There is no account ${address.trim()}.`, field);
  return account;
}
