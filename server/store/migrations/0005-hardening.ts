// Hardening (issue 11). Sender rights on submission (§3): `send_as`, the admin's grants that an
// account may send (envelope sender and From: header) as an address it does not own, or as any
// address of a domain (`*@domain`); `master_users`, accounts that may authenticate as another user
// (SASL authzid) on SMTP. Both rows go with their account (ON DELETE CASCADE). `auth_bans` (§2): the
// sources the auth throttle banned, so bans survive a restart and the CLI can list and lift them. Numbered 0005: 0004 belongs to a
// parallel branch; the runner applies whatever is pending in order.
import type { Migration } from './migration.js';

export const m0005: Migration = {
  version: 5,
  name: 'hardening',
  up: `
CREATE TABLE send_as (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  address    TEXT NOT NULL COLLATE NOCASE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, address)
) STRICT;
CREATE TABLE master_users (
  account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE auth_bans (
  subject  TEXT PRIMARY KEY,
  since    INTEGER NOT NULL,
  until    INTEGER NOT NULL,
  failures INTEGER NOT NULL
) STRICT;
`,
};
