// Subscriptions become a list of names per account, independent of mailboxes (RFC 3501 §6.3.6, RFC
// 5258 §3): a subscription outlives DELETE and may name a mailbox that does not exist; CREATE no longer
// subscribes. Existing subscribed mailboxes carry over. And UIDVALIDITY gets a high-water mark that
// survives deletes (RFC 3501 §2.3.1.1): a re-created name never gets an old value back, even within
// the same second; it starts at the highest value in use.
import type { Migration } from './migration.js';

export const m0006: Migration = {
  version: 6,
  name: 'subscriptions',
  up: `
CREATE TABLE subscriptions (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  PRIMARY KEY (account_id, name)
) STRICT, WITHOUT ROWID;
INSERT INTO subscriptions (account_id, name) SELECT account_id, name FROM mailboxes WHERE subscribed = 1;
ALTER TABLE mailboxes DROP COLUMN subscribed;

CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO counters (name, value) SELECT 'uidvalidity', coalesce(max(uidvalidity), 0) FROM mailboxes;
`,
};
