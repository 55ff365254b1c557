// The whole data model of DESIGN §2. Times are Unix milliseconds; sizes are bytes; 0 quota = unlimited.
// Domains are stored as lower-case A-labels; local parts keep their case and compare case-insensitively
// (ASCII, via NOCASE) like Postfix/Dovecot virtual users. A catch-all is the alias `*` of a domain.
// A message's bytes are `prefix || blob`: the per-recipient header lines (Delivered-To) live in the
// message row so that one blob serves every local recipient; envelope/bodystructure/parts are JSON
// computed from the full bytes, offsets included.
import type { Migration } from './migration.js';

export const m0001: Migration = {
  version: 1,
  name: 'initial',
  up: `
CREATE TABLE domains (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
  active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  default_quota INTEGER NOT NULL DEFAULT 0 CHECK (default_quota >= 0),
  created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY,
  domain_id     INTEGER NOT NULL REFERENCES domains(id),
  local_part    TEXT NOT NULL,
  display_name  TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  scram_sha256  TEXT,
  quota_bytes   INTEGER NOT NULL DEFAULT 0 CHECK (quota_bytes >= 0),
  used_bytes    INTEGER NOT NULL DEFAULT 0,
  active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at    INTEGER NOT NULL,
  last_login_at INTEGER
) STRICT;
CREATE UNIQUE INDEX accounts_address ON accounts(domain_id, local_part COLLATE NOCASE);

CREATE TABLE aliases (
  id          INTEGER PRIMARY KEY,
  domain_id   INTEGER NOT NULL REFERENCES domains(id),
  local_part  TEXT NOT NULL,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX aliases_address ON aliases(domain_id, local_part COLLATE NOCASE);

CREATE TABLE alias_destinations (
  alias_id  INTEGER NOT NULL REFERENCES aliases(id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  address   TEXT NOT NULL,
  PRIMARY KEY (alias_id, position)
) STRICT;

CREATE TABLE transports (
  domain     TEXT PRIMARY KEY COLLATE NOCASE,
  kind       TEXT NOT NULL CHECK (kind IN ('local', 'smtp', 'reject')),
  host       TEXT,
  port       INTEGER,
  mx_lookup  INTEGER NOT NULL DEFAULT 0 CHECK (mx_lookup IN (0, 1)),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE networks (
  id               INTEGER PRIMARY KEY,
  cidr             TEXT NOT NULL UNIQUE,
  description      TEXT NOT NULL DEFAULT '',
  allow_smtp       INTEGER NOT NULL DEFAULT 1 CHECK (allow_smtp IN (0, 1)),
  allow_imap       INTEGER NOT NULL DEFAULT 1 CHECK (allow_imap IN (0, 1)),
  allow_pop3       INTEGER NOT NULL DEFAULT 1 CHECK (allow_pop3 IN (0, 1)),
  relay            INTEGER NOT NULL DEFAULT 0 CHECK (relay IN (0, 1)),
  require_tls_auth INTEGER NOT NULL DEFAULT 1 CHECK (require_tls_auth IN (0, 1)),
  expires_at       INTEGER,
  created_at       INTEGER NOT NULL
) STRICT;

CREATE TABLE rules (
  id          INTEGER PRIMARY KEY,
  stage       TEXT NOT NULL CHECK (stage IN ('connect', 'helo', 'mail-from', 'rcpt-to', 'data')),
  position    INTEGER NOT NULL,
  match       TEXT NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('allow', 'reject', 'require-auth', 'defer')),
  reply_code  INTEGER,
  reply_text  TEXT,
  description TEXT NOT NULL DEFAULT '',
  enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX rules_stage ON rules(stage, position);

CREATE TABLE mailboxes (
  id              INTEGER PRIMARY KEY,
  account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name            TEXT NOT NULL,
  special_use     TEXT,
  uidvalidity     INTEGER NOT NULL,
  uidnext         INTEGER NOT NULL DEFAULT 1,
  highest_modseq  INTEGER NOT NULL DEFAULT 1,
  first_recent_uid INTEGER NOT NULL DEFAULT 1,
  subscribed      INTEGER NOT NULL DEFAULT 1 CHECK (subscribed IN (0, 1)),
  created_at      INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX mailboxes_name ON mailboxes(account_id, name);

CREATE TABLE blobs (
  id        INTEGER PRIMARY KEY,
  sha256    BLOB NOT NULL UNIQUE,
  size      INTEGER NOT NULL,
  data      BLOB NOT NULL,
  refcount  INTEGER NOT NULL CHECK (refcount >= 0)
) STRICT;

CREATE TABLE messages (
  id             INTEGER PRIMARY KEY,
  mailbox_id     INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  uid            INTEGER NOT NULL,
  modseq         INTEGER NOT NULL,
  flags          INTEGER NOT NULL DEFAULT 0,
  keywords       TEXT NOT NULL DEFAULT '',
  internal_date  INTEGER NOT NULL,
  size           INTEGER NOT NULL,
  blob_id        INTEGER NOT NULL REFERENCES blobs(id),
  prefix         BLOB NOT NULL DEFAULT x'',
  sent_date      INTEGER,
  envelope       TEXT NOT NULL,
  bodystructure  TEXT NOT NULL,
  parts          TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX messages_uid ON messages(mailbox_id, uid);
CREATE INDEX messages_modseq ON messages(mailbox_id, modseq);

CREATE TABLE expunged (
  mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  uid        INTEGER NOT NULL,
  modseq     INTEGER NOT NULL,
  PRIMARY KEY (mailbox_id, uid)
) STRICT;

CREATE TABLE queue (
  id              INTEGER PRIMARY KEY,
  queue_id        TEXT NOT NULL,
  sender          TEXT NOT NULL,
  recipient       TEXT NOT NULL,
  blob_id         INTEGER NOT NULL REFERENCES blobs(id),
  state           TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'delivering', 'deferred', 'held')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  message_id      TEXT,
  dsn             TEXT,
  created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX queue_due ON queue(state, next_attempt_at);
CREATE INDEX queue_queue_id ON queue(queue_id);

CREATE TABLE log (
  id          INTEGER PRIMARY KEY,
  ts          INTEGER NOT NULL,
  level       TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
  component   TEXT NOT NULL,
  session_id  TEXT,
  queue_id    TEXT,
  message_id  TEXT,
  event       TEXT NOT NULL,
  fields      TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX log_ts ON log(ts);
CREATE INDEX log_session ON log(session_id) WHERE session_id IS NOT NULL;
CREATE INDEX log_queue ON log(queue_id) WHERE queue_id IS NOT NULL;
CREATE INDEX log_message ON log(message_id) WHERE message_id IS NOT NULL;

CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) STRICT;
`,
};
