// The CLI twins of the GUI's paged lists: `user list`, `alias list`, `queue list` with --search/--sort/
// --limit/--cursor page on the server; `log --before` is "load older".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../../helpers/cli.js';
import { tempDir } from '../../../helpers/temp.js';

test('user list and alias list page, sort and search; log --before goes back', async (t) => {
  const dir = tempDir(t);
  const cli = async (...args: string[]) => {
    const r = await runCli([...args, '--data-dir', dir]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  await cli('domain', 'add', 'example.com');
  for (const name of ['carol', 'alice', 'bob', 'dave']) {
    const r = await runCli(['user', 'add', `${name}@example.com`, '--name', `${name} Person`, '--password-stdin', '--data-dir', dir], 'long enough pw\n');
    assert.equal(r.code, 0, r.stderr);
  }
  await cli('alias', 'add', 'team@example.com', 'alice@example.com,bob@example.com');
  await cli('alias', 'add', 'info@example.com', 'carol@example.com');

  const first = await cli('user', 'list', '--limit', '2');
  assert.match(first, /alice@example\.com[\s\S]*bob@example\.com/);
  assert.doesNotMatch(first, /carol/);
  assert.match(first, /rows 1-2 of 4; next page: --cursor 2/);
  const second = await cli('user', 'list', '--limit', '2', '--cursor', '2');
  assert.match(second, /carol@example\.com[\s\S]*dave@example\.com/);
  assert.match(second, /rows 3-4 of 4$/m);
  const page = JSON.parse(await cli('user', 'list', '--sort', 'address', '--desc', '--json')) as { items: Array<{ address: string }>; total: number };
  assert.deepEqual(page.items.map((a) => a.address), ['dave@example.com', 'carol@example.com', 'bob@example.com', 'alice@example.com']);
  assert.match(await cli('alias', 'list', '--search', 'BOB@'), /team@example\.com\s+alice@example\.com,bob@example\.com[\s\S]*rows 1-1 of 1/);

  const bad = await runCli(['user', 'list', '--sort', 'password', '--data-dir', dir]);
  assert.equal(bad.code, 2, 'an unknown sort key is a usage error');

  const newest = await cli('log', '--limit', '3', '--search', 'admin.account.add');
  const older = /older: --before (\d+)/.exec(newest);
  assert.ok(older, newest);
  assert.equal(newest.match(/admin\.account\.add/g)?.length, 3);
  assert.doesNotMatch(newest, /carol/, 'carol was added first: an older row');
  const rest = await cli('log', '--limit', '3', '--search', 'admin.account.add', '--before', older[1]!);
  assert.match(rest, /admin\.account\.add.*carol@example\.com/);
  assert.equal(rest.match(/admin\.account\.add/g)?.length, 1, 'only the oldest row is left');
  assert.doesNotMatch(rest, /older:/, 'a short page is the last');
});
