// The admin side of trusted networks: IP ranges with permissions (relay without a password, skip
// checks), optionally expiring. Ranges are stored in canonical form (`192.0.2.77/24` → `192.0.2.0/24`).
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/index.js';
import type { Network } from '../../store/networks.js';
import { parseCidr } from '../../policy/cidr.js';
import { AdminError, AdminSchemas, type AdminApi, type NetworkView } from '../contract.js';
import { guard, guarded } from './errors.js';

export type NetworkAdmin = Pick<AdminApi, 'listNetworks' | 'addNetwork' | 'updateNetwork' | 'removeNetwork'>;

export function createNetworkAdmin(deps: { store: Store; clock: Clock; log: Logger }): NetworkAdmin {
  const { store, clock, log } = deps;
  return {
    async listNetworks() {
      return (await store.networks.list()).map((n) => networkView(n, clock.now()));
    },
    async addNetwork(input) {
      const { cidr, description, confirmOpenRelay: _confirmed, ...permissions } = AdminSchemas.addNetwork.parse(input);
      const canonical = cidrText(cidr);
      const network = await guarded(() => store.networks.add(canonical, description, permissions), 'cidr');
      log.info('admin.network.add', { cidr: canonical, relay: permissions.relay });
      return networkView(network, clock.now());
    },
    async updateNetwork(input) {
      const { cidr, confirmOpenRelay: _confirmed, ...changes } = AdminSchemas.updateNetwork.parse(input);
      const canonical = cidrText(cidr);
      const network = await guarded(() => store.networks.update(canonical, changes), 'cidr');
      log.info('admin.network.update', { cidr: canonical, ...changes });
      return networkView(network, clock.now());
    },
    async removeNetwork(input) {
      const { cidr } = AdminSchemas.removeNetwork.parse(input);
      const canonical = cidrText(cidr);
      if (!await store.networks.remove(canonical)) throw new AdminError('not-found', `The network ${canonical} is not listed.`, 'cidr');
      log.info('admin.network.remove', { cidr: canonical });
    },
  };
}

function cidrText(input: string): string {
  return guard(() => parseCidr(input).text, 'cidr');
}

function networkView(n: Network, now: number): NetworkView {
  const { id: _id, createdAt: _c, ...rest } = n;
  return { ...rest, expired: n.expiresAt !== null && n.expiresAt <= now };
}
