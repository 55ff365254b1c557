// An account's subscriptions: mailbox names, not mailboxes (RFC 3501 §6.3.6). Adding is idempotent,
// removing a name that is not there is no error; nothing here looks at the mailboxes table.
import type { Db } from './db.js';
import { canonicalMailboxName } from './mailbox-names.js';

export interface SubscriptionRepo {
  /** The subscribed names, sorted. */
  list(accountId: number): string[];
  add(accountId: number, name: string): void;
  remove(accountId: number, name: string): void;
}

export function createSubscriptionRepo(db: Db): SubscriptionRepo {
  const list = db.prepare<[number], string>('SELECT name FROM subscriptions WHERE account_id = ? ORDER BY name').pluck();
  const add = db.prepare<[number, string]>('INSERT OR IGNORE INTO subscriptions (account_id, name) VALUES (?, ?)');
  const remove = db.prepare<[number, string]>('DELETE FROM subscriptions WHERE account_id = ? AND name = ?');
  return {
    list: (accountId) => list.all(accountId),
    add: (accountId, name) => void add.run(accountId, canonicalMailboxName(name)),
    remove: (accountId, name) => void remove.run(accountId, canonicalMailboxName(name)),
  };
}
