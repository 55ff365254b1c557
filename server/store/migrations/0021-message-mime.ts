// The cached MIME data of a message (envelope, bodystructure, parts, decoded search headers, wire
// ENVELOPE: kilobytes) moves out of `messages` into `message_mime`, one row per message (issue 21).
// A flag change then rewrites a row of ~150 bytes rather than one of kilobytes that spans overflow
// pages: STORE +FLAGS on 5,000 messages 53–60 ms → 7–8 ms of SQL. With rows this narrow, the covering
// index of 0013 no longer saves reads and only doubles each flag write, so it goes.
import type { Migration } from './migration.js';

export const m0021: Migration = {
  version: 21,
  name: 'message-mime',
  up: `
CREATE TABLE message_mime (
  id             INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  envelope       TEXT NOT NULL,
  bodystructure  TEXT NOT NULL,
  parts          TEXT NOT NULL,
  search_headers TEXT,
  envelope_wire  TEXT
) STRICT;
INSERT INTO message_mime (id, envelope, bodystructure, parts, search_headers, envelope_wire)
  SELECT id, envelope, bodystructure, parts, search_headers, envelope_wire FROM messages;
DROP INDEX messages_meta;
ALTER TABLE messages DROP COLUMN envelope;
ALTER TABLE messages DROP COLUMN bodystructure;
ALTER TABLE messages DROP COLUMN parts;
ALTER TABLE messages DROP COLUMN search_headers;
ALTER TABLE messages DROP COLUMN envelope_wire;
`,
};
