// The admin side of a domain's outbound signing and inbound DMARC choice: its DKIM key (generate,
// show with the DNS record to publish, remove) and what to do with mail failing DMARC under p=reject.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/index.js';
import { dmarcActionFor } from '../../auth-checks/index.js';
import { DEFAULT_SELECTOR, dkimRecord, generateDkimKey, type DkimKey } from '../../delivery/outbound/dkim.js';
import { AdminError, AdminSchemas, type AdminApi, type DkimKeyView } from '../contract.js';
import { guarded } from './errors.js';
import { domainOf } from './lookups.js';

export type DomainAuthAdmin = Pick<AdminApi, 'generateDkimKey' | 'getDkimKey' | 'removeDkimKey' | 'getDmarcEnforcement' | 'setDmarcEnforcement'>;

export function createDomainAuthAdmin(deps: { store: Store; clock: Clock; log: Logger }): DomainAuthAdmin {
  const { store, log } = deps;
  return {
    async generateDkimKey(input) {
      const { domain, selector, algorithm } = AdminSchemas.generateDkimKey.parse(input);
      const d = await domainOf(store, domain);
      const key = await generateDkimKey(d.name, selector?.toLowerCase() ?? DEFAULT_SELECTOR, algorithm, deps.clock.now());
      await guarded(() => store.domains.setDkimKey(d.name, key), 'domain');
      log.info('admin.dkim.generate', { domain: d.name, selector: key.selector, algorithm });
      return dkimView(key);
    },
    async getDkimKey(input) {
      const { domain } = AdminSchemas.getDkimKey.parse(input);
      const key = await store.domains.dkimKey((await domainOf(store, domain)).name);
      return key ? dkimView(key) : null;
    },
    async removeDkimKey(input) {
      const { domain } = AdminSchemas.removeDkimKey.parse(input);
      const d = await domainOf(store, domain);
      if (!(await store.domains.dkimKey(d.name))) throw new AdminError('not-found', `The domain ${d.name} has no DKIM key.`, 'domain');
      await guarded(() => store.domains.setDkimKey(d.name, null), 'domain');
      log.info('admin.dkim.remove', { domain: d.name });
    },
    async getDmarcEnforcement(input) {
      const { domain } = AdminSchemas.getDmarcEnforcement.parse(input);
      const d = await domainOf(store, domain);
      return { domain: d.name, onReject: await dmarcActionFor(store.domains, [d.name]) };
    },
    async setDmarcEnforcement(input) {
      const { domain, onReject } = AdminSchemas.setDmarcEnforcement.parse(input);
      const d = await domainOf(store, domain);
      await guarded(() => store.domains.update(d.name, { dmarcOnReject: onReject }), 'domain');
      log.info('admin.dmarc.set', { domain: d.name, onReject });
      return { domain: d.name, onReject };
    },
  };
}

function dkimView(key: DkimKey): DkimKeyView {
  const record = dkimRecord(key);
  return { domain: key.domain, selector: key.selector, algorithm: key.algorithm, dnsName: record.name, dnsValue: record.value, createdAt: key.createdAt };
}
