// Sieve generation (issue 15): a counter every change to a script, a managed part or a global
// script moves (triggers, so a CLI writing the same file from another process moves it too).
// Delivery keeps each account's compiled program with the counter it was read at and reads the
// scripts again only when the counter has moved: one small read per delivery instead of every
// script's text.
import type { Migration } from './migration.js';

const TABLES = ['sieve_scripts', 'sieve_managed', 'sieve_global_scripts'];
const EVENTS = ['INSERT', 'UPDATE', 'DELETE'];

export const m0015: Migration = {
  version: 15,
  name: 'sieve-generation',
  up: `
CREATE TABLE sieve_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL
) STRICT;
INSERT INTO sieve_generation (id, n) VALUES (1, 0);
${TABLES.flatMap((table) => EVENTS.map((event) => `CREATE TRIGGER ${table}_${event.toLowerCase()}_generation AFTER ${event} ON ${table} BEGIN UPDATE sieve_generation SET n = n + 1; END;`)).join('\n')}
`,
};
