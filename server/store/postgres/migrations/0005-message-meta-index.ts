// The twin of SQLite's 0013: the small columns of messages in the (mailbox_id, uid) index, so STATUS
// counts, SELECT's UNSEEN and keywords, FETCH FLAGS and STORE's checks read the index (index-only scans)
// rather than heap rows that carry the cached MIME data. EXPLAIN ANALYZE on a 100k-message mailbox
// (docs/benchmarks.md): counts 167 → 104 ms, keywords 200 → 48 ms, all meta rows 368 → 77 ms. It
// replaces messages_uid (the same unique key), so writes keep one index here, not two.
import type { PostgresMigration } from './migration.js';

export const p0005: PostgresMigration = {
  version: 5,
  name: 'message-meta-index',
  up: `
CREATE UNIQUE INDEX messages_meta ON messages(mailbox_id, uid) INCLUDE (id, modseq, flags, keywords, internal_date, size, sent_date);
DROP INDEX messages_uid;
`,
};
