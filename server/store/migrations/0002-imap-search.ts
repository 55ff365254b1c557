// IMAP SEARCH support. `search_headers` caches, per message, the decoded header fields SEARCH matches
// against (FROM/TO/CC/BCC/SUBJECT/HEADER/TEXT): one "name: value" line per field, unfolded, encoded
// words decoded, lower-cased, so a case-insensitive substring search is a plain `includes`. NULL means
// "not computed yet": the IMAP layer fills it on first use (deliveries made before this migration, or
// by code that does not compute it), so the column never has to be right at delivery time.
import type { Migration } from './migration.js';

export const m0002: Migration = {
  version: 2,
  name: 'imap-search',
  up: `
ALTER TABLE messages ADD COLUMN search_headers TEXT;
CREATE INDEX expunged_modseq ON expunged(mailbox_id, modseq);
`,
};
