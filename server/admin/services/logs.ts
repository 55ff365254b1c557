// The admin side of the event log: query the stored rows by level, event, text and time.
import type { Store } from '../../store/index.js';
import { AdminSchemas, type AdminApi } from '../contract.js';

export function createLogAdmin(deps: { store: Store }): Pick<AdminApi, 'queryLog'> {
  return {
    async queryLog(input = {}) {
      return await deps.store.log.query(AdminSchemas.queryLog.parse(input));
    },
  };
}
