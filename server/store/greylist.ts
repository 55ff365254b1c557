// Greylisting triplets (issue 16): (client network, envelope sender, recipient) with when the triplet
// was first and last seen and when it first passed. The policy (delay, retry window, lifetime) is the
// caller's; this repo records and answers in single statements.
import type { Db } from './db.js';

export interface GreylistTriplet {
  client: string;
  sender: string;
  recipient: string;
  firstSeen: number;
  lastSeen: number;
  /** When a retry after the delay was let through, or null. */
  passedAt: number | null;
}

export interface GreylistRepo {
  get(client: string, sender: string, recipient: string): GreylistTriplet | undefined;
  /** Starts (or restarts, after it expired) a triplet's wait at `now`. */
  start(client: string, sender: string, recipient: string, now: number): void;
  /** Records a retry that passed (or a later use of a passed triplet). */
  pass(client: string, sender: string, recipient: string, now: number): void;
  /**
   * Removes the triplets that can no longer count: never passed and first seen before
   * `unpassedBefore` (their retry window is over), or passed and last used before `passedBefore`
   * (their pass lifetime is over). Returns how many went.
   */
  prune(unpassedBefore: number, passedBefore: number): number;
}

interface Row {
  client: string;
  sender: string;
  recipient: string;
  first_seen: number;
  last_seen: number;
  passed_at: number | null;
}

export function createGreylistRepo(db: Db): GreylistRepo {
  const one = db.prepare<[string, string, string], Row>('SELECT * FROM greylist WHERE client = ? AND sender = ? AND recipient = ?');
  const start = db.prepare<[string, string, string, number, number]>(
    `INSERT INTO greylist (client, sender, recipient, first_seen, last_seen, passed_at) VALUES (?, ?, ?, ?, ?, NULL)
     ON CONFLICT DO UPDATE SET first_seen = excluded.first_seen, last_seen = excluded.last_seen, passed_at = NULL`,
  );
  const pass = db.prepare<[number, number, string, string, string]>(
    'UPDATE greylist SET last_seen = ?, passed_at = coalesce(passed_at, ?) WHERE client = ? AND sender = ? AND recipient = ?',
  );
  const prune = db.prepare<[number, number]>('DELETE FROM greylist WHERE (passed_at IS NULL AND first_seen < ?) OR (passed_at IS NOT NULL AND last_seen < ?)');
  return {
    get(client, sender, recipient) {
      const r = one.get(client, sender, recipient);
      return r && { client: r.client, sender: r.sender, recipient: r.recipient, firstSeen: r.first_seen, lastSeen: r.last_seen, passedAt: r.passed_at };
    },
    start: (client, sender, recipient, now) => void start.run(client, sender, recipient, now, now),
    pass: (client, sender, recipient, now) => void pass.run(now, now, client, sender, recipient),
    prune: (unpassedBefore, passedBefore) => prune.run(unpassedBefore, passedBefore).changes,
  };
}
