// Shared mailboxes (issue 17, RFC 4314): each mailbox's access control entries (identifier → rights,
// see ../acl-rules.ts), gone with the mailbox; and the accounts the admin made as shared mailboxes,
// listed under `Shared/<name>` (their login is locked, their address receives mail as any account's).
import type { Migration } from './migration.js';

export const m0020: Migration = {
  version: 20,
  name: 'acl',
  up: `
CREATE TABLE acl (
  mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  identifier TEXT NOT NULL,
  rights     TEXT NOT NULL,
  PRIMARY KEY (mailbox_id, identifier)
) STRICT;
CREATE INDEX acl_identifier ON acl (identifier);
CREATE TABLE shared_mailboxes (
  name       TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL UNIQUE REFERENCES accounts(id) ON DELETE CASCADE
) STRICT;
`,
};
