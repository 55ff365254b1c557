// The twin of SQLite's 0021: cached MIME data in its own table, so a flag change rewrites a narrow
// heap tuple. messages_meta stays: here it is the (mailbox_id, uid) unique key.
import type { PostgresMigration } from './migration.js';

export const p0009: PostgresMigration = {
  version: 9,
  name: 'message-mime',
  up: `
CREATE TABLE message_mime (
  id             BIGINT PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  envelope       TEXT NOT NULL,
  bodystructure  TEXT NOT NULL,
  parts          TEXT NOT NULL,
  search_headers TEXT,
  envelope_wire  TEXT
);
INSERT INTO message_mime (id, envelope, bodystructure, parts, search_headers, envelope_wire)
  SELECT id, envelope, bodystructure, parts, search_headers, envelope_wire FROM messages;
ALTER TABLE messages DROP COLUMN envelope, DROP COLUMN bodystructure, DROP COLUMN parts,
  DROP COLUMN search_headers, DROP COLUMN envelope_wire;
`,
};
