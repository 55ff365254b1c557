// Which store a server or command opens (DESIGN §11): the data folder's SQLite file, or PostgreSQL when
// a URL is given (`--database postgres://...` or MAILROOM_DATABASE_URL), for several nodes on one
// database. Anything else given as a URL is refused with a sentence, never silently ignored.
import type { Clock } from '../clock.js';
import { openStore, type Store, type StoreOptions } from './index.js';

export const DATABASE_URL_ENV = 'MAILROOM_DATABASE_URL';

/** The URL asked for: the explicit one, else the environment's; undefined means SQLite. */
export function databaseUrlOf(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = explicit ?? env[DATABASE_URL_ENV];
  return url === undefined || url === '' ? undefined : url;
}

/** `url` without its password, for messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

export class DatabaseUrlError extends Error {
  override name = 'DatabaseUrlError';
}

/** Opens PostgreSQL at `url`, or the SQLite `file` when there is none. */
export async function openSelectedStore(file: string, url: string | undefined, clock: Clock, options: StoreOptions = {}): Promise<Store> {
  if (url === undefined) return openStore(file, clock, options);
  // The PostgreSQL store and its driver load only when asked for (a SQLite server never holds them).
  const [{ openPostgresStore }, { isPostgresUrl }] = await Promise.all([import('./postgres/index.js'), import('./postgres/sql.js')]);
  if (!isPostgresUrl(url)) throw new DatabaseUrlError(`the database must be a postgres:// URL (got ${redactedUrl(url)}); leave it out to use the data folder's SQLite file`);
  try {
    return await openPostgresStore(url, clock);
  } catch (error) {
    throw new DatabaseUrlError(`cannot open the PostgreSQL database ${redactedUrl(url)}: ${(error as Error).message}`);
  }
}
