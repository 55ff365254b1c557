// The settings rows held in memory, so a protocol can read its settings synchronously (a banner, a
// limit checked per command) from an asynchronous store. Writes go through this cache: they commit
// first, then the cache takes the new rows. Another process writing the same data (the CLI beside a
// running server, a second node) is seen at the first read after REFRESH_MS: that read still answers
// from memory and starts a reload, so no read ever waits on the store.
import type { Clock } from './clock.js';
import { applySettingsPatch, resolveSettings, type Settings, type SettingsKey, type SettingsPatch } from './settings.js';

/** How old the rows may be before a read starts a reload. */
export const REFRESH_MS = 1000;

export interface SettingsRows {
  all(): Promise<Record<string, unknown>>;
  setMany(entries: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export interface SettingsCache {
  /** The typed settings (stored rows over the defaults). */
  current(): Settings;
  /** One stored row (also keys outside Settings, like the admin password hash). */
  get(key: string): unknown;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
  /** Applies a patch whole (validated as a whole, written in one transaction); returns the result. */
  patch(patch: SettingsPatch): Promise<Settings>;
  reload(): Promise<void>;
}

export async function loadSettingsCache(rows: SettingsRows, clock: Clock): Promise<SettingsCache> {
  let stored = await rows.all();
  let resolved = resolveSettings(stored);
  let loadedAt = clock.now();
  let reloading: Promise<void> | null = null;

  const take = (next: Record<string, unknown>) => {
    stored = next;
    resolved = resolveSettings(next);
    loadedAt = clock.now();
  };
  const reload = () =>
    (reloading ??= rows
      .all()
      .then(take, (error: unknown) => process.emitWarning(`settings could not be reloaded: ${(error as Error).message}`))
      .finally(() => (reloading = null)));
  const fresh = () => {
    if (clock.now() - loadedAt >= REFRESH_MS) void reload();
  };
  const write = async (entries: Record<string, unknown>) => {
    await rows.setMany(entries);
    take({ ...stored, ...entries });
  };

  return {
    current() {
      fresh();
      return resolved;
    },
    get(key) {
      fresh();
      return stored[key];
    },
    set: (key, value) => write({ [key]: value }),
    async remove(key) {
      await rows.remove(key);
      const { [key]: _gone, ...rest } = stored;
      take(rest);
    },
    async patch(patch) {
      const next = applySettingsPatch(resolved, patch);
      const entries: Record<string, unknown> = {};
      for (const key of Object.keys(patch) as SettingsKey[]) if (patch[key] !== undefined) entries[key] = next[key];
      await write(entries);
      return resolved;
    },
    reload,
  };
}
