// URLAUTH (RFC 4467, issue 17): each mailbox's access key, from which GENURLAUTH derives the token of an
// authorised URL (HMAC-SHA256 of the URL). A key is made on first use; RESETKEY deletes it, so every
// URL issued before stops working. The row goes with its mailbox.
import type { Migration } from './migration.js';

export const m0019: Migration = {
  version: 19,
  name: 'urlauth-keys',
  up: `
CREATE TABLE IF NOT EXISTS urlauth_keys (
  mailbox_id INTEGER PRIMARY KEY REFERENCES mailboxes(id) ON DELETE CASCADE,
  key        BLOB NOT NULL
) STRICT;
`,
};
