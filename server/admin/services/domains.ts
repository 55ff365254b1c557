// The admin side of hosted domains: list, add, update and remove (with everything in it, when asked).
import type { EventBus } from '../../events.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/index.js';
import { displayDomain, normalizeDomain } from '../../mime/addr-spec.js';
import { AdminError, AdminSchemas, type AdminApi, type DomainView } from '../contract.js';
import { guard, guarded } from './errors.js';
import { domainOf } from './lookups.js';

export type DomainAdmin = Pick<AdminApi, 'listDomains' | 'addDomain' | 'updateDomain' | 'removeDomain'>;

export function createDomainAdmin(deps: { store: Store; bus: EventBus; log: Logger }): DomainAdmin {
  const { store, bus, log } = deps;
  const admin: DomainAdmin = {
    async listDomains() {
      return (await store.domains.list()).map((d) => ({ ...domainView(d), accounts: d.accounts, aliases: d.aliases, usedBytes: d.usedBytes }));
    },
    async addDomain(input) {
      const { name, defaultQuota } = AdminSchemas.addDomain.parse(input);
      const normalized = guard(() => normalizeDomain(name), 'name');
      const domain = await guarded(() => store.domains.add(normalized, defaultQuota ?? 0), 'name');
      log.info('admin.domain.add', { domain: normalized });
      return { ...domainView(domain), accounts: 0, aliases: 0, usedBytes: 0 };
    },
    async updateDomain(input) {
      const { name, active, defaultQuota } = AdminSchemas.updateDomain.parse(input);
      const domain = await domainOf(store, name);
      await store.domains.update(domain.name, { active, defaultQuota });
      log.info('admin.domain.update', { domain: domain.name, active, defaultQuota });
      return (await admin.listDomains()).find((d) => d.name === domain.name)!;
    },
    async removeDomain(input) {
      const { name, cascade } = AdminSchemas.removeDomain.parse(input);
      const domain = await domainOf(store, name);
      const accounts = await store.accounts.countInDomain(domain.id);
      const aliases = (await store.aliases.list(domain.name)).length;
      if ((accounts > 0 || aliases > 0) && !cascade) {
        throw new AdminError(
          'conflict',
          `The domain ${domain.name} still has ${accounts} account(s) and ${aliases} alias(es). Remove them first, or remove the domain with everything in it.`,
          'name',
        );
      }
      for (const change of (await store.deleteDomain(domain.id)).changes) bus.emit('change', change);
      log.info('admin.domain.remove', { domain: domain.name, accounts, aliases });
      return { removedAccounts: accounts, removedAliases: aliases };
    },
  };
  return admin;
}

function domainView(d: { name: string; active: boolean; defaultQuota: number; createdAt: number }): Omit<DomainView, 'accounts' | 'aliases' | 'usedBytes'> {
  return { name: d.name, displayName: displayDomain(d.name), active: d.active, defaultQuota: d.defaultQuota, createdAt: d.createdAt };
}
