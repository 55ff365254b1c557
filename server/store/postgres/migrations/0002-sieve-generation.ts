// Sieve generation (SQLite's migration 0015): a counter every change to a script, a managed part or a
// global script moves, by triggers, so a change made on any node moves it for every node's cache of
// compiled programs.
import type { PostgresMigration } from './migration.js';

const TABLES = ['sieve_scripts', 'sieve_managed', 'sieve_global_scripts'];

export const p0002: PostgresMigration = {
  version: 2,
  name: 'sieve-generation',
  up: `
CREATE TABLE sieve_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  BIGINT NOT NULL
);
INSERT INTO sieve_generation (id, n) VALUES (1, 0);
CREATE FUNCTION sieve_generation_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE sieve_generation SET n = n + 1;
  RETURN NULL;
END $$;
${TABLES.map((table) => `CREATE TRIGGER ${table}_generation AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION sieve_generation_move();`).join('\n')}
`,
};
