// Moving in (issue 12): what an import has done, so a stopped run resumes where it stopped and a
// second run copies only what is new. `import_jobs` is one row per source (a Maildir path, an SQL URL
// without its password, an IMAP account): when its directory was written and its last report.
// `import_folders` is one row per source folder of an account: the source's UIDVALIDITY, the highest
// source UID written and how many messages without a source UID were written (in the reader's order),
// updated in the same transaction as the messages, so a message is never half-imported or imported twice.
import type { Migration } from './migration.js';

export const m0009: Migration = {
  version: 9,
  name: 'import',
  up: `
CREATE TABLE import_jobs (
  job          TEXT PRIMARY KEY,
  kind         TEXT NOT NULL,
  started_at   INTEGER NOT NULL,
  directory_at INTEGER,
  finished_at  INTEGER,
  report       TEXT
) STRICT;

CREATE TABLE import_folders (
  job                TEXT NOT NULL REFERENCES import_jobs(job) ON DELETE CASCADE,
  account_id         INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  folder             TEXT NOT NULL,
  mailbox_id         INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  source_uidvalidity INTEGER,
  last_source_uid    INTEGER NOT NULL DEFAULT 0,
  unnumbered         INTEGER NOT NULL DEFAULT 0,
  messages           INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (job, account_id, folder)
) STRICT;
`,
};
