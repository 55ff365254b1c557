// A private MariaDB for tests: `mariadb-install-db` into a temp folder, `mariadbd` on a free 127.0.0.1
// port and its own socket, without grant tables (any user connects; these tests are about schemas, not
// MySQL accounts), as `nobody` when we are root. Stopped and removed by stop().
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { daemonDir, findBinary, freePort, isRoot, removeDir, startDaemon, stopDaemon, unprivileged, waitUntilReady } from './daemon.js';

const MARIADBD = findBinary('mariadbd', '/usr/sbin/mariadbd');
const INSTALL_DB = findBinary('mariadb-install-db', 'mysql_install_db');

/** Why MariaDB tests must skip, or false when they can run. */
export const mariadbMissing: string | false = MARIADBD && INSTALL_DB ? false : 'mariadb-server is not installed (mariadbd, mariadb-install-db)';

export interface MariaDb {
  port: number;
  /** `mysql://root@127.0.0.1:PORT/DATABASE`. */
  url(database: string): string;
  /** Runs a script of several statements (schema and rows). */
  exec(sql: string, database?: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startMariaDb(): Promise<MariaDb> {
  if (!MARIADBD || !INSTALL_DB) throw new Error(String(mariadbMissing));
  const dir = daemonDir('mailroom-mariadb-');
  const data = join(dir, 'data');
  const user = isRoot ? ['--user=nobody'] : [];
  const install = spawnSync(INSTALL_DB, ['--no-defaults', `--datadir=${data}`, '--skip-test-db', '--auth-root-authentication-method=normal', ...user], {
    encoding: 'utf8',
    ...unprivileged(),
  });
  if (install.status !== 0) throw new Error(`mariadb-install-db failed:\n${install.stdout}${install.stderr}`);
  const port = await freePort();
  const daemon = startDaemon(
    MARIADBD,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${join(dir, 'mysqld.sock')}`,
      `--pid-file=${join(dir, 'mysqld.pid')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-grant-tables',
      '--innodb-buffer-pool-size=16M',
      ...user,
    ],
    { asNobody: true },
  );
  const url = (database: string) => `mysql://root@127.0.0.1:${port}/${database}`;
  const exec = async (sql: string, database?: string) => {
    const connection = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', database, multipleStatements: true });
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  };
  await waitUntilReady(daemon, () => exec('SELECT 1').then(() => true), 'mariadbd');
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
