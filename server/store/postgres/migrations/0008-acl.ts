// The twin of SQLite's 0020: access control entries per mailbox (RFC 4314) and the accounts that are
// shared mailboxes.
import type { PostgresMigration } from './migration.js';

export const p0008: PostgresMigration = {
  version: 8,
  name: 'acl',
  up: `
CREATE TABLE acl (
  mailbox_id BIGINT NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  identifier TEXT NOT NULL,
  rights     TEXT NOT NULL,
  PRIMARY KEY (mailbox_id, identifier)
);
CREATE INDEX acl_identifier ON acl (identifier);
CREATE TABLE shared_mailboxes (
  name       TEXT PRIMARY KEY,
  account_id BIGINT NOT NULL UNIQUE REFERENCES accounts(id) ON DELETE CASCADE
);
`,
};
