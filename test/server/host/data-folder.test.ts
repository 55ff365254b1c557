// Issue 11 §5: the data folder holds password hashes, SCRAM secrets, DKIM keys and all mail: it is
// created 0700 with the database (and its WAL/SHM and backups) 0600, and wider modes found at start
// are narrowed with a log line. SCRAM answers for unknown users do not change across restarts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openContext } from '../../../server/index.js';
import { createPasswordHasher } from '../../../server/auth/password-hash.js';
import { DATABASE_FILE } from '../../../server/host/data-dir.js';
import type { LogRow } from '../../../server/store/log.js';
import { tempDir } from '../../helpers/temp.js';

const POSIX = process.platform !== 'win32';
const mode = (path: string) => statSync(path).mode & 0o777;
const open = (dataDir: string) => openContext(dataDir, { hasher: createPasswordHasher({ cost: 'test' }) });

test('a new data folder is 0700 and the database, its WAL and SHM are 0600, whatever the umask', { skip: !POSIX }, async (t) => {
  const dataDir = join(tempDir(t), 'new', 'data');
  const umask = process.umask(0o022);
  t.after(() => process.umask(umask));
  const ctx = await open(dataDir);
  t.after(() => ctx.close());
  await ctx.store.settings.set('probe', 1); // a write, so the WAL and SHM exist
  assert.equal(mode(dataDir), 0o700);
  for (const suffix of ['', '-wal', '-shm']) {
    const file = join(dataDir, DATABASE_FILE + suffix);
    assert.ok(existsSync(file), file);
    assert.equal(mode(file), 0o600, file);
  }
});

test('wider modes found at start are narrowed, each with a log line', { skip: !POSIX }, async (t) => {
  const dataDir = tempDir(t);
  await (await open(dataDir)).close();
  const backup = join(dataDir, `${DATABASE_FILE}.v3-1.bak`);
  writeFileSync(backup, 'old copy');
  chmodSync(backup, 0o644);
  chmodSync(join(dataDir, DATABASE_FILE), 0o644);
  chmodSync(dataDir, 0o755);

  await (await open(dataDir)).close(); // closing flushes the log
  assert.equal(mode(dataDir), 0o700);
  assert.equal(mode(join(dataDir, DATABASE_FILE)), 0o600);
  assert.equal(mode(backup), 0o600);
  const ctx = await open(dataDir);
  t.after(() => ctx.close());
  const rows = await ctx.store.log.query({ event: 'server.permissions-fixed' }) as LogRow[];
  const fixed = rows.map((r) => r.fields as { path: string; from: string; to: string });
  assert.deepEqual(
    fixed.map((f) => [f.path, f.from, f.to]).sort(),
    [
      [dataDir, '0755', '0700'],
      [join(dataDir, DATABASE_FILE), '0644', '0600'],
      [backup, '0644', '0600'],
    ].sort(),
  );
});

test('SCRAM answers an unknown user with the same salt after a restart (the key is kept in the store)', (t) => {
  const dataDir = tempDir(t);
  const index = new URL('../../../server/index.js', import.meta.url).href;
  // Each call is a fresh process: a restart of the server on the same data folder.
  const saltFor = (username: string) =>
    execFileSync(process.execPath, ['--input-type=module', '-e', `
      import { openContext } from ${JSON.stringify(index)};
      const ctx = await openContext(${JSON.stringify(dataDir)});
      const exchange = ctx.auth.startSasl('SCRAM-SHA-256', { protocol: 'imap', remoteIp: '192.0.2.1', secure: true });
      const step = await exchange.start(Buffer.from(${JSON.stringify(`n,,n=${username},r=clientnonce`)}));
      process.stdout.write(/,s=([^,]+),/.exec(step.challenge.toString())[1]);
      await ctx.close();`]).toString();
  const first = saltFor('nobody@example.com');
  assert.match(first, /^[A-Za-z0-9+/]{20,}={0,2}$/);
  assert.equal(saltFor('nobody@example.com'), first);
  assert.notEqual(saltFor('someone-else@example.com'), first);
});
