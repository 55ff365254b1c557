// A covering index over the small columns of messages (issue 20). A message row also holds its
// cached MIME data (envelope, bodystructure, parts, search headers: kilobytes), so counting or listing
// a mailbox's flags through the row read every page of 100k rows: STATUS 0.7 s, the keywords of
// SELECT 0.6 s, FETCH FLAGS of all 1.4 s on a 100k mailbox. From this index those read a few MB:
// STATUS counts, SELECT's UNSEEN and keywords, meta (FETCH FLAGS, STORE's checks) and SEARCH rows.
import type { Migration } from './migration.js';

export const m0013: Migration = {
  version: 13,
  name: 'message-meta-index',
  up: `CREATE INDEX messages_meta ON messages(mailbox_id, uid, modseq, flags, keywords, internal_date, size, sent_date);`,
};
