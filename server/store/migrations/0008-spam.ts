// Spam and content checks (issue 16): messages a milter quarantined (held until the admin releases or
// deletes them), the allow and block lists (global, per domain, per user; a sender address, a sender
// domain or a client network), and greylisting triplets.
import type { Migration } from './migration.js';

export const m0008: Migration = {
  version: 8,
  name: 'spam',
  up: `
CREATE TABLE quarantine (
  id            INTEGER PRIMARY KEY,
  quarantine_id TEXT NOT NULL UNIQUE,
  blob_id       INTEGER NOT NULL REFERENCES blobs(id),
  sender        TEXT NOT NULL,
  recipients    TEXT NOT NULL,
  info          TEXT NOT NULL,
  milter        TEXT NOT NULL,
  reason        TEXT NOT NULL,
  message_id    TEXT,
  size          INTEGER NOT NULL,
  created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE sender_lists (
  id         INTEGER PRIMARY KEY,
  list       TEXT NOT NULL CHECK (list IN ('allow', 'block')),
  domain_id  INTEGER REFERENCES domains(id) ON DELETE CASCADE,
  account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL CHECK (kind IN ('address', 'domain', 'network')),
  pattern    TEXT NOT NULL,
  source     TEXT NOT NULL CHECK (source IN ('admin', 'junk-folder')),
  created_at INTEGER NOT NULL,
  CHECK (domain_id IS NULL OR account_id IS NULL)
) STRICT;
CREATE UNIQUE INDEX sender_lists_entry ON sender_lists(list, coalesce(domain_id, 0), coalesce(account_id, 0), pattern);

CREATE TABLE greylist (
  client     TEXT NOT NULL,
  sender     TEXT NOT NULL,
  recipient  TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL,
  passed_at  INTEGER,
  PRIMARY KEY (client, sender, recipient)
) STRICT, WITHOUT ROWID;
`,
};
