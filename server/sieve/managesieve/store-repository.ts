// ManageSieve's script repository over the store's sieve repo: the protocol's view of one
// account's personal scripts, with the per-account count enforced where scripts are stored.
import type { Store } from '../../store/index.js';
import { MAX_SCRIPTS_PER_ACCOUNT, type SieveScriptRepository } from './repository.js';

export function storeScriptRepository(store: Pick<Store, 'sieve'>): SieveScriptRepository {
  const { sieve } = store;
  return {
    list: async (accountId) => (await sieve.list(accountId)).map(({ name, active }) => ({ name, active })),
    get: (accountId, name) => sieve.get(accountId, name),
    put: (accountId, name, content) => sieve.put(accountId, name, content, MAX_SCRIPTS_PER_ACCOUNT),
    remove: (accountId, name) => sieve.remove(accountId, name),
    rename: (accountId, from, to) => sieve.rename(accountId, from, to),
    setActive: (accountId, name) => sieve.setActive(accountId, name),
  };
}
