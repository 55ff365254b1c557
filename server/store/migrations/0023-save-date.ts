// SAVEDATE (RFC 8514): when a message row was made in its mailbox (ms since the epoch), written by
// delivery, APPEND, import, COPY and MOVE. Existing rows keep NULL: their save date is not known
// (FETCH SAVEDATE NIL; SEARCH SAVED* compares their internal date instead, save-dates.ts).
import type { Migration } from './migration.js';

export const m0023: Migration = {
  version: 23,
  name: 'save-date',
  up: 'ALTER TABLE messages ADD COLUMN save_date INTEGER;',
};
