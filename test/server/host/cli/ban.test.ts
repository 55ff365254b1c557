// `mailroom ban list|remove` (issue 11 §2): the CLI process sees the bans a server's throttle kept in
// the data folder's store, and its lift reaches the store (and so a running server, which reloads them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openContext } from '../../../../server/index.js';
import { runCli } from '../../../helpers/cli.js';
import { tempDir } from '../../../helpers/temp.js';

test('ban list shows the banned sources and ban remove lifts one, by its address or one in its /64', async (t) => {
  const dir = tempDir(t);
  const ctx = await openContext(dir);
  const now = Date.now();
  // What the throttle writes at a ban (ipSubject: IPv4 as is, IPv6 as its /64).
  await ctx.store.authBans.save({ subject: '192.0.2.7', since: now, until: now + 15 * 60_000, failures: 10 });
  await ctx.store.authBans.save({ subject: '2001:db8:1:2::/64', since: now, until: now + 20 * 60_000, failures: 12 });
  await ctx.close();
  const ban = (...args: string[]) => runCli(['ban', ...args, '--data-dir', dir]);

  const listed = await ban('list');
  assert.equal(listed.code, 0, listed.stderr);
  const lines = listed.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^source\s+failures\s+bannedAt\s+endsAt$/);
  assert.match(lines[1], /^192\.0\.2\.7\s+10\s+\d{4}-\d\d-\d\dT[\d:.]+Z\s+\d{4}-\d\d-\d\dT[\d:.]+Z$/);
  assert.match(lines[2], /^2001:db8:1:2::\/64\s+12\s/);
  assert.deepEqual(JSON.parse((await ban('list', '--json')).stdout).map((b: { source: string }) => b.source), ['192.0.2.7', '2001:db8:1:2::/64']);

  assert.deepEqual(await ban('remove', '192.0.2.7'), { code: 0, stdout: 'lifted the ban on 192.0.2.7\n', stderr: '' });
  assert.deepEqual(await ban('remove', '192.0.2.7'), { code: 1, stdout: '', stderr: 'mailroom: 192.0.2.7 is not banned\n' });
  assert.equal((await ban('remove', '2001:db8:1:2:aaaa::5')).code, 0, 'any address of the /64 names it');
  assert.equal((await ban('list')).stdout, '(none)\n');
  assert.equal((await ban('remove')).code, 2, 'a missing address is a usage error');

  const reopened = await openContext(dir);
  t.after(() => reopened.close());
  assert.deepEqual(await reopened.store.authBans.load(Date.now()), [], 'the lifts are in the store');
});
