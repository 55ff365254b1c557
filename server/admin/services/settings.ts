// The admin side of settings: read them (defaults filled in) and patch them through the settings
// cache, which writes the rows and tells the running server.
import type { Logger } from '../../log.js';
import type { SettingsCache } from '../../settings-cache.js';
import { normalizeDomain } from '../../mime/addr-spec.js';
import { AdminSchemas, type AdminApi } from '../contract.js';
import { guard } from './errors.js';

export type SettingsAdmin = Pick<AdminApi, 'getSettings' | 'updateSettings'>;

export function createSettingsAdmin(deps: { settingsCache: SettingsCache; log: Logger }): SettingsAdmin {
  return {
    async getSettings() {
      return deps.settingsCache.current();
    },
    async updateSettings(input) {
      const patch = { ...AdminSchemas.updateSettings.parse(input) };
      if (patch.hostname !== undefined) patch.hostname = guard(() => normalizeDomain(patch.hostname!), 'hostname');
      const next = await deps.settingsCache.patch(patch);
      deps.log.info('admin.settings.update', { keys: Object.keys(patch) });
      return next;
    },
  };
}
