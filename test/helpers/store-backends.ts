// The store's tests on both backends: storeTest(name, fn) defines the test once for SQLite (a file in
// a temp folder) and once for PostgreSQL (a fresh database on a private server, started once per test
// file and stopped after it; skipped where PostgreSQL is not installed). `rows` reads storage directly
// (blob refcounts, tombstones) with SQL both understand.
import { after, test, type TestContext } from 'node:test';
import { join } from 'node:path';
import type { Clock } from '../../server/clock.js';
import { openStore, type Store } from '../../server/store/index.js';
import { inspectDatabase } from '../../server/store/db.js';
import { openPostgresStore } from '../../server/store/postgres/index.js';
import { openDatabase } from '../../server/store/postgres/sql.js';
import { postgresMissing, startPostgres, type Postgres } from './postgres.js';
import { fakeClock, tempDir } from './temp.js';

export type BackendName = 'sqlite' | 'postgres';

export interface Backend {
  name: BackendName;
  /** A new, empty store closed when the test ends. */
  open(t: TestContext, clock?: Clock): Promise<Store>;
  /** Rows of a query run directly on the store's database. */
  rows<T = Record<string, unknown>>(store: Store, sql: string): Promise<T[]>;
}

let server: Promise<Postgres> | null = null;
let stopping = false;
let databases = 0;
const urls = new WeakMap<Store, string>();

/**
 * Registers (at a test file's top level, where `after` hooks the whole file) the stop of the file's
 * PostgreSQL server; sharedPostgres() starts it on first use.
 */
export function usePostgresInThisFile(): void {
  if (stopping) return;
  stopping = true;
  after(async () => {
    if (server !== null) await (await server).stop();
  });
}

/** The test file's PostgreSQL server, started on first use (usePostgresInThisFile must have run). */
export function sharedPostgres(): Promise<Postgres> {
  if (!stopping) throw new Error('call usePostgresInThisFile() at the top level of the test file');
  server ??= startPostgres();
  return server;
}

/** A new database on the shared server: its URL, and how to drop it. */
async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<unknown> }> {
  const pg = await sharedPostgres();
  const name = `mailroom_test_${process.pid}_${++databases}`;
  await pg.exec(`CREATE DATABASE ${name}`);
  return { url: pg.url(name), drop: () => pg.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** A new database on the shared server, dropped when the test ends; its URL. */
export async function freshPostgresDatabase(t: TestContext): Promise<string> {
  const { url, drop } = await createPostgresDatabase();
  t.after(drop);
  return url;
}

export const sqliteBackend: Backend = {
  name: 'sqlite',
  async open(t, clock = fakeClock()) {
    const store = openStore(join(tempDir(t), 'store.sqlite'), clock);
    t.after(() => store.close());
    return store;
  },
  rows: async <T>(store: Store, sql: string) => inspectDatabase(store).prepare(sql).all() as T[],
};

export const postgresBackend: Backend = {
  name: 'postgres',
  async open(t, clock = fakeClock()) {
    const { url, drop } = await createPostgresDatabase();
    const store = await openPostgresStore(url, clock, { connections: 4 }).catch(async (error: unknown) => {
      await drop();
      throw error;
    });
    // One hook, so the store closes before its database is dropped (after-hooks run in the order registered).
    t.after(async () => {
      try {
        await store.close();
      } finally {
        await drop();
      }
    });
    urls.set(store, url);
    return store;
  },
  async rows<T>(store: Store, sql: string) {
    const db = openDatabase(urls.get(store)!, { max: 1 });
    try {
      return await db.transaction((q) => q.all<T>(sql));
    } finally {
      await db.close();
    }
  },
};

export const BACKENDS: readonly Backend[] = [sqliteBackend, postgresBackend];

/** Defines `name` once per backend: "name [sqlite]" and "name [postgres]". */
export function storeTest(name: string, fn: (t: TestContext, backend: Backend) => Promise<void>): void {
  usePostgresInThisFile();
  for (const backend of BACKENDS) {
    const skip = backend.name === 'postgres' ? postgresMissing : false;
    test(`${name} [${backend.name}]`, { skip }, (t) => fn(t, backend));
  }
}
