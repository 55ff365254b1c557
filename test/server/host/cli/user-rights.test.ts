// `mailroom user send-as ...` and `mailroom user master ...` (issue 11 §3), in-process over an admin service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminFixture } from '../../../helpers/admin.js';
import { runCliOn } from '../../../helpers/cli.js';

async function fixture(t: Parameters<typeof adminFixture>[0]) {
  const { api, store } = await adminFixture(t);
  await api.addDomain({ name: 'example.com' });
  for (const local of ['alice', 'bob']) await api.addAccount({ address: `${local}@example.com`, password: 'a long password' });
  return { api, store, cli: (...args: string[]) => runCliOn(api, ['user', ...args]) };
}

test('user send-as add, list and remove, with the same refusals as the admin service', async (t) => {
  const { api, cli } = await fixture(t);
  assert.deepEqual((await cli('send-as', 'list')).lines, ['(none)']);
  assert.deepEqual((await cli('send-as', 'add', 'alice@example.com', 'info@example.com')).lines, ['alice@example.com may send as info@example.com']);
  assert.deepEqual((await cli('send-as', 'add', 'ALICE@example.com', '*@Bücher.example')).lines, ['alice@example.com may send as *@xn--bcher-kva.example']);
  assert.deepEqual((await cli('send-as', 'add', 'bob@example.com', 'sales@example.com')).lines, ['bob@example.com may send as sales@example.com']);
  const list = (await cli('send-as', 'list', 'alice@example.com')).lines;
  assert.match(list[0], /^user\s+address\s+createdAt$/);
  assert.deepEqual(list.slice(1).map((l) => l.split(/\s+/).slice(0, 2)), [['alice@example.com', '*@xn--bcher-kva.example'], ['alice@example.com', 'info@example.com']]);
  assert.equal((await cli('send-as', 'list')).lines.length, 4, 'all users');
  assert.deepEqual(JSON.parse((await cli('send-as', 'list', 'bob@example.com', '--json')).stdout).map((g: { address: string }) => g.address), ['sales@example.com']);

  assert.deepEqual((await cli('send-as', 'remove', 'alice@example.com', 'info@example.com')).lines, ['alice@example.com may no longer send as info@example.com']);
  assert.deepEqual((await cli('send-as', 'remove', 'alice@example.com', 'info@example.com')).lines, ['alice@example.com had no grant for info@example.com']);
  assert.deepEqual((await api.listSenderGrants({ user: 'alice@example.com' })).map((g) => g.address), ['*@xn--bcher-kva.example']);

  const unknown = await cli('send-as', 'add', 'nobody@example.com', 'x@example.com');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /There is no account nobody@example\.com/);
  const bad = await cli('send-as', 'add', 'alice@example.com', 'not an address');
  assert.equal(bad.code, 1);
  assert.equal((await cli('send-as', 'add', 'alice@example.com')).code, 2, 'a missing address is a usage error');
});

test('user master add, list and remove', async (t) => {
  const { api, cli } = await fixture(t);
  assert.deepEqual((await cli('master', 'list')).lines, ['(none)']);
  assert.deepEqual((await cli('master', 'add', 'Bob@example.com')).lines, ['bob@example.com is now a master user']);
  assert.deepEqual((await cli('master', 'list')).lines, ['address', 'bob@example.com']);
  assert.deepEqual(await api.listMasterUsers(), ['bob@example.com']);
  assert.deepEqual((await cli('master', 'list', '--json')).lines, ['[{"address":"bob@example.com"}]']);
  assert.deepEqual((await cli('master', 'remove', 'bob@example.com')).lines, ['bob@example.com is no longer a master user']);
  assert.deepEqual(await api.listMasterUsers(), []);
  const unknown = await cli('master', 'add', 'nobody@example.com');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /There is no account/);
});
