// The admin side of the dashboard's status card: what the running server reports (version, start,
// listeners) and counts from the store.
import type { Settings } from '../../settings.js';
import type { Store } from '../../store/index.js';
import type { AdminApi, StatusView } from '../contract.js';

export type ServerStatus = () => Pick<StatusView, 'version' | 'startedAt' | 'listeners' | 'failedListeners' | 'searchIndex'>;

export function createStatusAdmin(deps: { store: Store; status: ServerStatus; settings: () => Settings }): Pick<AdminApi, 'getStatus'> {
  const { store } = deps;
  return {
    async getStatus() {
      return {
        ...deps.status(),
        hostname: deps.settings().hostname,
        domains: (await store.domains.list()).length,
        accounts: (await store.accounts.list()).length,
        queue: await store.queue.count(),
        ...(store.nodes && { nodes: await store.nodes() }),
      };
    },
  };
}
