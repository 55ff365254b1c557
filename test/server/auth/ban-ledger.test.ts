// Bans kept in the store (issue 11 §2): they survive a restart, and the CLI (another process with its
// own context on the same data folder) lists and lifts them; the running server honours the lift
// once its throttle reloads the bans (at most once a second).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openContext } from '../../../server/index.js';
import { createAdminApi } from '../../../server/admin/api.js';
import { createPasswordHasher } from '../../../server/auth/password-hash.js';
import { AUTH_BLOCK_AFTER_FAILURES, BAN_RELOAD_MS } from '../../../server/auth/throttle.js';
import type { Clock } from '../../../server/clock.js';
import { fakeClock, tempDir } from '../../helpers/temp.js';

const open = (dataDir: string, clock?: Clock) => openContext(dataDir, { hasher: createPasswordHasher({ cost: 'test' }), sleep: async () => {}, clock });
const adminOf = (ctx: Awaited<ReturnType<typeof open>>) => createAdminApi({ ...ctx, log: ctx.log, status: () => ({ version: 't', startedAt: 0, listeners: {}, failedListeners: {} }) });
const imap = (remoteIp: string) => ({ protocol: 'imap' as const, remoteIp, secure: true });

test('a ban survives a restart, and one process lifts what another imposed', async (t) => {
  const dataDir = tempDir(t);
  // The server's clock is driven by the test (near real time, so the CLI's clock sees its bans in force).
  const clock = fakeClock(Date.now());
  const server = await open(dataDir, clock);
  t.after(() => server.close());
  for (let i = 0; i < AUTH_BLOCK_AFTER_FAILURES; i++) await server.auth.verify({ username: `guess${i}@example.com`, password: 'x' }, imap('2001:db8:7:7::5'));
  assert.equal((await server.auth.verify({ username: 'a@example.com', password: 'x' }, imap('2001:db8:7:7::99'))).ok === false, true);
  assert.equal(server.throttle.check('2001:db8:7:7::1').blocked, true);

  const cli = await open(dataDir);
  t.after(() => cli.close());
  const bans = await adminOf(cli).listBannedSources();
  assert.deepEqual(bans.map((b) => [b.source, b.failures]), [['2001:db8:7:7::/64', AUTH_BLOCK_AFTER_FAILURES]]);
  assert.deepEqual(await adminOf(cli).unbanSource({ source: '2001:db8:7:7::/64' }), { unbanned: true });
  // The running server reloads its bans at most once a second.
  clock.advance(BAN_RELOAD_MS);
  server.throttle.check('2001:db8:7:7::1');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(server.throttle.check('2001:db8:7:7::1').blocked, false, 'the running server honours the lift');
  assert.deepEqual(await adminOf(server).listBannedSources(), []);

  for (let i = 0; i < AUTH_BLOCK_AFTER_FAILURES; i++) await server.auth.verify({ username: `guess${i}@example.com`, password: 'x' }, imap('192.0.2.44'));
  await server.close();
  const restarted = await open(dataDir, clock);
  t.after(() => restarted.close());
  assert.equal(restarted.throttle.check('192.0.2.44').blocked, true, 'the ban outlives the process');
});
