// The twin of SQLite's 0023: each message row's save date (RFC 8514), NULL for rows made before it.
import type { PostgresMigration } from './migration.js';

export const p0010: PostgresMigration = {
  version: 10,
  name: 'save-date',
  up: 'ALTER TABLE messages ADD COLUMN save_date BIGINT;',
};
