// Key → JSON settings rows. Typed defaults and validation live in server/settings.ts; this module
// only reads and writes the rows (each write its own transaction; setMany one for all).
import type { Db } from './db.js';

export interface SettingsRepo {
  all(): Record<string, unknown>;
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  /** Several keys in one transaction (a settings patch lands whole or not at all). */
  setMany(entries: Record<string, unknown>): void;
  remove(key: string): void;
}

export function createSettingsRepo(db: Db): SettingsRepo {
  const all = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
  const get = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const set = db.prepare<[string, string]>('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const remove = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');
  return {
    all() {
      return Object.fromEntries(all.all().map((r) => [r.key, JSON.parse(r.value) as unknown]));
    },
    get(key) {
      const row = get.get(key);
      return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
    },
    set(key, value) {
      set.run(key, JSON.stringify(value));
    },
    setMany(entries) {
      db.transaction(() => {
        for (const [key, value] of Object.entries(entries)) set.run(key, JSON.stringify(value));
      })();
    },
    remove(key) {
      remove.run(key);
    },
  };
}
