// The auth throttle's bans, kept so they survive a restart and another process (the CLI) can list
// and lift them (issue 11 §2). The throttle holds the live state; it writes each ban here, removes
// it on unban, and reloads from here at most once a second, so a ban lifted by another process ends
// soon. Rows past their end are ignored and dropped on load.
import type { Db } from './db.js';

export interface StoredBan {
  /** An IPv4 address or an IPv6 /64, as the throttle's ipSubject writes it. */
  subject: string;
  since: number;
  until: number;
  failures: number;
}

export interface AuthBanRepo {
  /** Bans still in force at `now`; ended ones are deleted. */
  load(now: number): StoredBan[];
  save(ban: StoredBan): void;
  remove(subject: string): boolean;
}

export function createAuthBanRepo(db: Db): AuthBanRepo {
  const upsert = db.prepare<[string, number, number, number]>(
    'INSERT INTO auth_bans (subject, since, until, failures) VALUES (?, ?, ?, ?) ON CONFLICT (subject) DO UPDATE SET since = excluded.since, until = excluded.until, failures = excluded.failures',
  );
  const live = db.prepare<[number], StoredBan>('SELECT subject, since, until, failures FROM auth_bans WHERE until > ? ORDER BY until');
  const ended = db.prepare<[number]>('DELETE FROM auth_bans WHERE until <= ?');
  const remove = db.prepare<[string]>('DELETE FROM auth_bans WHERE subject = ?');
  return {
    load(now) {
      ended.run(now);
      return live.all(now);
    },
    save: (ban) => void upsert.run(ban.subject, ban.since, ban.until, ban.failures),
    remove: (subject) => remove.run(subject).changes > 0,
  };
}
