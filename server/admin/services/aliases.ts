// The admin side of aliases, catch-alls (`*@domain`) included: list, add, change destinations and
// remove. Destinations are checked by delivery's own rules (checkAliasDestinations) before they are
// stored, so the admin can never create an alias that loops or names nothing.
import type { Logger } from '../../log.js';
import type { Store } from '../../store/index.js';
import { CATCH_ALL, type Alias } from '../../store/aliases.js';
import { displayDomain, normalizeDomain, parseAddress, validateLocalPart } from '../../mime/addr-spec.js';
import { checkAliasDestinations, storeDirectory } from '../../delivery/alias-destinations.js';
import { AdminError, AdminSchemas, type AdminApi, type AliasView } from '../contract.js';
import { guard, guarded } from './errors.js';
import { domainOf } from './lookups.js';
import { pageOf, pageRequest } from './paging.js';

export type AliasAdmin = Pick<AdminApi, 'listAliases' | 'searchAliases' | 'addAlias' | 'updateAlias' | 'removeAlias'>;

export function createAliasAdmin(deps: { store: Store; log: Logger }): AliasAdmin {
  const { store, log } = deps;
  const directory = storeDirectory(store);
  const checked = (self: { local: string; domain: string }, destinations: string[]) =>
    guarded(() => checkAliasDestinations(directory, self, destinations), 'destinations');

  return {
    async listAliases(input = {}) {
      const { domain } = AdminSchemas.listAliases.parse(input);
      const filter = domain === undefined ? undefined : (await domainOf(store, domain)).name;
      return (await store.aliases.list(filter)).map(aliasView);
    },
    async searchAliases(input = {}) {
      const { domain, ...page } = AdminSchemas.searchAliases.parse(input);
      const filter = domain === undefined ? undefined : (await domainOf(store, domain)).name;
      const request = pageRequest(page);
      return pageOf(request, await store.aliases.page(request, filter), aliasView);
    },
    async addAlias(input) {
      const { address, destinations } = AdminSchemas.addAlias.parse(input);
      const self = parseAliasAddress(address);
      const domain = await domainOf(store, self.domain);
      if (self.local !== CATCH_ALL && await store.accounts.find(self.local, domain.name)) {
        throw new AdminError('conflict', `${self.local}@${domain.name} is an account; an alias cannot have the same address.`, 'address');
      }
      if (await store.aliases.find(self.local, domain.name)) {
        throw new AdminError('conflict', `The alias ${self.local}@${domain.name} already exists; edit it instead.`, 'address');
      }
      const normalized = await checked(self, destinations);
      const alias = await guarded(() => store.aliases.add(domain.id, self.local, normalized), 'address');
      log.info('admin.alias.add', { alias: alias.address, destinations: normalized });
      return aliasView(alias);
    },
    async updateAlias(input) {
      const { address, destinations } = AdminSchemas.updateAlias.parse(input);
      const self = parseAliasAddress(address);
      const alias = await store.aliases.find(self.local, self.domain);
      if (!alias) throw new AdminError('not-found', `There is no alias ${address.trim()}.`, 'address');
      const normalized = await checked(self, destinations);
      await store.aliases.setDestinations(alias.id, normalized);
      log.info('admin.alias.update', { alias: alias.address, destinations: normalized });
      return aliasView((await store.aliases.find(self.local, self.domain))!);
    },
    async removeAlias(input) {
      const { address } = AdminSchemas.removeAlias.parse(input);
      const self = parseAliasAddress(address);
      const alias = await store.aliases.find(self.local, self.domain);
      if (!alias) throw new AdminError('not-found', `There is no alias ${address.trim()}.`, 'address');
      const referencing = (await store.aliases.referencing(alias.address)).filter((a) => a.id !== alias.id);
      if (referencing.length > 0) {
        throw new AdminError('conflict', `${alias.address} is a destination of ${referencing.map((a) => a.address).join(', ')}. Change those aliases first.`, 'address');
      }
      await store.aliases.deleteRow(alias.id);
      log.info('admin.alias.remove', { alias: alias.address });
    },
  };
}

/** `user@dom`, `*@dom` → parts; the catch-all local part `*` is allowed only here. */
function parseAliasAddress(address: string): { local: string; domain: string } {
  const trimmed = address.trim();
  if (trimmed.startsWith('*@')) return { local: CATCH_ALL, domain: guard(() => normalizeDomain(trimmed.slice(2)), 'address') };
  const parsed = guard(() => parseAddress(trimmed), 'address');
  return { local: guard(() => validateLocalPart(parsed.local), 'address'), domain: parsed.domain };
}

function aliasView(a: Alias): AliasView {
  return {
    address: a.address,
    displayAddress: `${a.localPart}@${displayDomain(a.domain)}`,
    catchAll: a.localPart === CATCH_ALL,
    destinations: a.destinations,
    active: a.active,
  };
}
