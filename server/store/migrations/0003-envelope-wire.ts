// FETCH ENVELOPE support. `envelope_wire` caches, per message, the ENVELOPE exactly as the IMAP encoder
// writes it (encodeImapValue of the value `envelope` holds as JSON: a latin1 byte string, strings
// already quoted or sent as literals), so FETCH ENVELOPE copies it instead of parsing JSON and
// encoding again. The encoding depends only on the envelope's bytes, so it cannot go stale while
// `envelope` stays as it is; code that rewrites `envelope` must rewrite or clear this column too.
// NULL means "not computed yet": FETCH computes and stores it on first use (rows from before this
// migration, or written by code that does not supply it). Adding the column is O(1) whatever the size
// of the database, so the migration stays bounded; no row is touched here.
import type { Migration } from './migration.js';

export const m0003: Migration = {
  version: 3,
  name: 'envelope-wire',
  up: `
ALTER TABLE messages ADD COLUMN envelope_wire TEXT;
`,
};
