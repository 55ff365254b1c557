// A read-only connection to the old server's SQL directory: MySQL/MariaDB (mysql2), PostgreSQL (pg) or
// an SQLite file (better-sqlite3, opened read-only). One shape for all three: `query(sql)` returns rows
// whose keys are lower-cased column labels and whose values are strings, numbers or null (binary
// columns are read as UTF-8, which is what password hashes and addresses are).
import Database from 'better-sqlite3';

export type SqlValue = string | number | null;
export type SqlRow = Record<string, SqlValue>;

export interface SqlSource {
  dialect: 'mysql' | 'postgres' | 'sqlite';
  query(sql: string): Promise<SqlRow[]>;
  close(): Promise<void>;
}

export class SqlSourceError extends Error {
  override name = 'SqlSourceError';
}

function value(v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

function normalizeRows(rows: readonly object[]): SqlRow[] {
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toLowerCase(), value(v)])));
}

/** `mysql://user:pw@host:port/db`, `mariadb://...`, `postgres://...`/`postgresql://...`, `sqlite:FILE`. */
export async function openSqlSource(url: string): Promise<SqlSource> {
  const scheme = /^([a-z]+):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'sqlite') return openSqlite(url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''));
  if (scheme === 'mysql' || scheme === 'mariadb') return openMysql(url.replace(/^mariadb:/i, 'mysql:'));
  if (scheme === 'postgres' || scheme === 'postgresql') return openPostgres(url);
  throw new SqlSourceError(`"${url.replace(/:[^:@/]*@/, ':***@')}" is not a database URL: use mysql://, postgres:// or sqlite:FILE.`);
}

function openSqlite(file: string): SqlSource {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new SqlSourceError(`cannot open the SQLite file ${file}: ${(error as Error).message}`);
  }
  return {
    dialect: 'sqlite',
    async query(sql) {
      const statement = db.prepare(sql);
      if (statement.reader) return normalizeRows(statement.all() as object[]);
      statement.run(); // refused: the file is open read-only
      return [];
    },
    close: async () => void db.close(),
  };
}

// The drivers load when an import needs them: a server that never imports from SQL keeps them out of memory.
async function openMysql(url: string): Promise<SqlSource> {
  const { default: mysql } = await import('mysql2/promise');
  const connection = await mysql.createConnection({ uri: url, dateStrings: true, supportBigNumbers: true, bigNumberStrings: false });
  return {
    dialect: 'mysql',
    async query(sql) {
      const [rows] = await connection.query(sql);
      return normalizeRows(rows as object[]);
    },
    close: () => connection.end(),
  };
}

async function openPostgres(url: string): Promise<SqlSource> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    dialect: 'postgres',
    query: async (sql) => normalizeRows((await client.query(sql)).rows as object[]),
    close: () => client.end(),
  };
}
