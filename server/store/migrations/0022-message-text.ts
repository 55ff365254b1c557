// The full-text index of SEARCH BODY / TEXT (issue 17, ../message-text.ts): an FTS5 table with the
// trigram tokenizer, contentless (the text is not stored twice) with deletes, and no positions
// (detail=none: about a fifth of the text's size instead of 1.7 times; the index only narrows and the
// search confirms on the text). One row per blob; the messages already stored are listed as pending and
// indexed in the background at start (text-backfill.ts), the scan answering for them meanwhile.
// A deleted blob takes its rows with it.
import type { Migration } from './migration.js';

export const m0022: Migration = {
  version: 22,
  name: 'message-text',
  up: `
CREATE VIRTUAL TABLE message_text USING fts5(text, content='', contentless_delete=1, detail=none, tokenize='trigram case_sensitive 1');
CREATE TABLE message_text_pending (blob_id INTEGER PRIMARY KEY) STRICT;
INSERT INTO message_text_pending (blob_id) SELECT DISTINCT blob_id FROM messages;
CREATE TRIGGER message_text_forget AFTER DELETE ON blobs BEGIN
  DELETE FROM message_text WHERE rowid = old.id;
  DELETE FROM message_text_pending WHERE blob_id = old.id;
END;
`,
};
