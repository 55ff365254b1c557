// Sender rights on submission (issue 11 §3). `send_as`: the admin's grants that an account may send
// (envelope sender and From: header) as an address it does not own, or as any address of a domain
// (`*@domain`). `master_users`: accounts that may authenticate as another user (SASL authzid) on
// SMTP. Both rows go with their account (ON DELETE CASCADE). Numbered 0005: 0004 belongs to a
// parallel branch; the runner applies whatever is pending in order.
import type { Migration } from './index.js';

export const m0005: Migration = {
  version: 5,
  name: 'sender-rights',
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
`,
};
