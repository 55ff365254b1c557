// Which database a protocol fixture's store uses: the temp folder's SQLite file, or — when
// MAILROOM_TEST_POSTGRES names a PostgreSQL server (test/run-postgres.mjs starts one and sets it) — a
// fresh database there, dropped when the fixture ends. The IMAP, POP3 and SMTP protocol tests then run
// unchanged against PostgreSQL (issue 19).
import pg from 'pg';

export const TEST_POSTGRES_ENV = 'MAILROOM_TEST_POSTGRES';

let made = 0;

async function exec(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database's URL (dropped by `cleanup`, run after the store is closed), or undefined for SQLite. */
export async function fixtureDatabase(cleanup: (drop: () => Promise<void>) => void): Promise<string | undefined> {
  const server = process.env[TEST_POSTGRES_ENV];
  if (server === undefined || server === '') return undefined;
  const name = `mailroom_fixture_${process.pid}_${++made}`;
  await exec(server, `CREATE DATABASE ${name}`);
  cleanup(() => exec(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}
