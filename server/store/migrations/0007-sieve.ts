// Sieve (issue 15): each account's scripts as ManageSieve keeps them (name, text, at most one
// active), the Sieve part Mailroom manages for the account (out-of-office and forwarding as the GUI
// and CLI set them, with the script generated from them), the admin's global scripts (the one run
// before and the one run after every user's script, and any others `include :global` may name), and
// the vacation reply log behind "at most one answer per sender and period" (RFC 5230 §4.2).
import type { Migration } from './migration.js';

export const m0007: Migration = {
  version: 7,
  name: 'sieve',
  up: `
CREATE TABLE sieve_scripts (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  content    TEXT NOT NULL,
  active     INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, name)
) STRICT;
CREATE UNIQUE INDEX sieve_scripts_one_active ON sieve_scripts (account_id) WHERE active = 1;

CREATE TABLE sieve_managed (
  account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  settings   TEXT NOT NULL,
  content    TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sieve_global_scripts (
  name       TEXT PRIMARY KEY,
  content    TEXT NOT NULL,
  phase      TEXT CHECK (phase IN ('before', 'after')),
  updated_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX sieve_global_one_phase ON sieve_global_scripts (phase) WHERE phase IS NOT NULL;

CREATE TABLE sieve_vacation_log (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  sender     TEXT NOT NULL COLLATE NOCASE,
  handle     TEXT NOT NULL,
  sent_at    INTEGER NOT NULL,
  PRIMARY KEY (account_id, sender, handle)
) STRICT, WITHOUT ROWID;
CREATE INDEX sieve_vacation_log_sent ON sieve_vacation_log (sent_at);
`,
};
