// A generation counter: a one-row table whose number every INSERT, UPDATE or DELETE on the watched
// tables moves, by triggers, so a cache anywhere (another process, another node) can tell with one
// small read whether what it holds is still current. Used by migrations, so what it writes must stay
// the same once a migration that uses it has shipped.

/** SQLite: the counter table `name` and a trigger per watched table and event. */
export function sqliteGenerationCounter(name: string, tables: readonly string[], trigger: (table: string, event: string) => string): string {
  const events = ['INSERT', 'UPDATE', 'DELETE'];
  return `
CREATE TABLE ${name} (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL
) STRICT;
INSERT INTO ${name} (id, n) VALUES (1, 0);
${tables.flatMap((table) => events.map((event) => `CREATE TRIGGER ${trigger(table, event.toLowerCase())} AFTER ${event} ON ${table} BEGIN UPDATE ${name} SET n = n + 1; END;`)).join('\n')}
`;
}

/** PostgreSQL: the counter table `name`, its function `<name>_move` and one statement trigger per watched table. */
export function postgresGenerationCounter(name: string, tables: readonly string[], trigger: (table: string) => string): string {
  return `
CREATE TABLE ${name} (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  BIGINT NOT NULL
);
INSERT INTO ${name} (id, n) VALUES (1, 0);
CREATE FUNCTION ${name}_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ${name} SET n = n + 1;
  RETURN NULL;
END $$;
${tables.map((table) => `CREATE TRIGGER ${trigger(table)} AFTER INSERT OR UPDATE OR DELETE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ${name}_move();`).join('\n')}
`;
}
