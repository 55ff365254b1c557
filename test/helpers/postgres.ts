// A private PostgreSQL for tests: `initdb` into a temp folder (trust auth, superuser `postgres`),
// `postgres` on a free 127.0.0.1 port with its socket in that folder, as `nobody` when we are root
// (PostgreSQL refuses to run as root). Stopped and removed by stop().
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { daemonDir, findBinary, freePort, removeDir, startDaemon, stopDaemon, unprivileged, waitUntilReady } from './daemon.js';

function debianBin(name: string): string | undefined {
  const base = '/usr/lib/postgresql';
  let versions: string[] = [];
  try {
    versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  } catch {
    // no Debian PostgreSQL
  }
  return findBinary(...versions.map((v) => join(base, v, 'bin', name)), name);
}

const INITDB = debianBin('initdb');
const POSTGRES = debianBin('postgres');

export const postgresMissing: string | false = INITDB && POSTGRES ? false : 'postgresql is not installed (initdb, postgres)';

export interface Postgres {
  port: number;
  /** `postgres://postgres@127.0.0.1:PORT/DATABASE`. */
  url(database: string): string;
  /** Runs a script of several statements. */
  exec(sql: string, database?: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<Postgres> {
  if (!INITDB || !POSTGRES) throw new Error(String(postgresMissing));
  const dir = daemonDir('mailroom-postgres-');
  const data = join(dir, 'data');
  const init = spawnSync(INITDB, ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], { encoding: 'utf8', ...unprivileged() });
  if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}`);
  const port = await freePort();
  const daemon = startDaemon(
    POSTGRES,
    ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'shared_buffers=16MB'],
    { asNobody: true },
  );
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const exec = async (sql: string, database = 'postgres') => {
    const client = new pg.Client({ connectionString: url(database) });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await waitUntilReady(daemon, () => exec('SELECT 1').then(() => true), 'postgres');
  return {
    port,
    url,
    exec,
    async stop() {
      await stopDaemon(daemon);
      removeDir(dir);
    },
  };
}
