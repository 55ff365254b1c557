// An admin service over a temp store with a fast credential maker (auth has its own tests).
import { join } from 'node:path';
import { openStore } from '../../server/store/index.js';
import { createAdminApi, type CredentialMaker } from '../../server/admin/api.js';
import { EventBus } from '../../server/events.js';
import { createLogSink } from '../../server/log.js';
import { tempDir, fakeClock } from './temp.js';
import { loadSettingsCache } from '../../server/settings-cache.js';

export const plainCredentials: CredentialMaker = {
  async make(password) {
    return { passwordHash: `{PLAIN}${password}`, scramSecret: 'test' };
  },
};

export async function adminFixture(t: Parameters<typeof tempDir>[0], credentials: CredentialMaker = plainCredentials) {
  const clock = fakeClock();
  const store = openStore(join(tempDir(t), 'admin.sqlite'), clock);
  const bus = new EventBus();
  const sink = createLogSink({ repo: store.log, clock, bus });
  t.after(async () => {
    await sink.close();
    await store.close();
  });
  const settingsCache = await loadSettingsCache(store.settings, clock);
  const api = createAdminApi({ store, settingsCache, credentials, clock, bus, log: sink.root, status: () => ({ version: 'test', startedAt: 0, listeners: {} }) });
  return { api, store, settingsCache, clock, bus, log: sink.root, flushLog: sink.flush };
}
