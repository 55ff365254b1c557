// The twin of SQLite's 0019: each mailbox's URLAUTH access key (RFC 4467), made on first use, deleted
// by RESETKEY, gone with its mailbox.
import type { PostgresMigration } from './migration.js';

export const p0007: PostgresMigration = {
  version: 7,
  name: 'urlauth-keys',
  up: `
CREATE TABLE urlauth_keys (
  mailbox_id BIGINT PRIMARY KEY REFERENCES mailboxes(id) ON DELETE CASCADE,
  key        BYTEA NOT NULL
);
`,
};
