// The PostgreSQL connection pool and the one way the PostgreSQL repositories talk to it: `Sql`, a
// statement runner bound to one transaction's client. Statements are written with `?` placeholders
// (numbered here), so they read like the SQLite ones. BIGINT and NUMERIC come back as JS numbers: every
// such value (times in ms, sizes, ids, counts) stays below 2^53. A use case is one transaction
// (`transaction`), committed before its promise resolves (synchronous_commit on: durable); a deadlock
// or serialization failure between nodes rolls it back and runs it again, so it has changed nothing
// when it is retried.
import pg from 'pg';

export interface Sql {
  /** All rows. */
  all<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** The first row, or undefined. */
  one<T>(text: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** The first column of the first row, or undefined. */
  value<T>(text: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** Runs a statement; the number of rows it touched. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
}

const INT8 = 20;
const NUMERIC = 1700;
const toNumber = (value: string) => Number(value);

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return toNumber;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** How many times a transaction is run again after a deadlock or serialization failure. */
const RETRIES = 8;
const RETRYABLE = new Set(['40P01', '40001']);

/** `?` placeholders as $1, $2, ... (none of our statements has a `?` inside a literal). */
const numbered = new Map<string, string>();
function placeholders(text: string): string {
  let out = numbered.get(text);
  if (out === undefined) {
    let n = 0;
    out = text.replace(/\?/g, () => `$${++n}`);
    numbered.set(text, out);
  }
  return out;
}

export function sqlOf(client: pg.ClientBase): Sql {
  const query = <T extends pg.QueryResultRow>(text: string, params: readonly unknown[] = []) => client.query<T>(placeholders(text), params as unknown[]);
  return {
    all: async <T>(text: string, params?: readonly unknown[]) => (await query(text, params)).rows as T[],
    one: async <T>(text: string, params?: readonly unknown[]) => (await query(text, params)).rows[0] as T | undefined,
    value: async <T>(text: string, params?: readonly unknown[]) => {
      const result = await query(text, params);
      const row = result.rows[0] as Record<string, unknown> | undefined;
      return (row === undefined ? undefined : row[result.fields[0].name]) as T | undefined;
    },
    run: async (text: string, params?: readonly unknown[]) => (await query(text, params)).rowCount ?? 0,
  };
}

export interface Database {
  pool: pg.Pool;
  /** Runs `work` as one transaction on one pooled connection; retried after a deadlock. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

export function openDatabase(url: string, options: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString: url, types, max: options.max ?? 10 });
  // An idle client's error (the server went away) must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const transaction = async <T>(work: (sql: Sql) => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await work(sqlOf(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        const code = (error as { code?: string } | null)?.code;
        if (attempt >= RETRIES || code === undefined || !RETRYABLE.has(code)) throw error;
      } finally {
        client.release(broken);
      }
    }
  };
  return { pool, transaction, close: () => pool.end() };
}
