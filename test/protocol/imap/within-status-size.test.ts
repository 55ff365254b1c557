// WITHIN (RFC 5032: OLDER/YOUNGER) and STATUS=SIZE (RFC 8438) on a real server over a raw socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { message, startImap } from './harness.js';
import { untagged } from './client.js';

test('RFC 5032: SEARCH YOUNGER / OLDER count back from now by INTERNALDATE', async (t) => {
  const f = await startImap(t);
  const now = f.ctx.clock.now();
  await f.deliver(message('week old'), { internalDate: now - 7 * 86_400_000 });
  await f.deliver(message('two days old'), { internalDate: now - 2 * 86_400_000 });
  await f.deliver(message('fresh'), { internalDate: now - 60_000 });
  const c = await f.selected();
  const caps = untagged(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values;
  assert.ok(caps.includes('WITHIN') && caps.includes('STATUS=SIZE'));
  const search = async (keys: string) => untagged(await c.transact('OK', `SEARCH ${keys}`), 'SEARCH')[0].values.slice(1);
  // The RFC's example: messages of the last three days.
  assert.deepEqual(await search('YOUNGER 259200'), [2, 3]);
  assert.deepEqual(await search('OLDER 259200'), [1]);
  assert.deepEqual(await search('OLDER 3600 YOUNGER 604800'), [2], 'between one hour and a week');
  await c.transact('BAD', 'SEARCH OLDER 0');
  await c.transact('BAD', 'SEARCH YOUNGER');
  await c.logout();
});

test('RFC 8438: STATUS SIZE is the sum of RFC822.SIZE, also in LIST RETURN (STATUS)', async (t) => {
  const f = await startImap(t);
  const sizes = [message('one'), message('two', 'x'.repeat(500))].map((m) => Buffer.byteLength(m));
  await f.deliver(message('one'));
  await f.deliver(message('two', 'x'.repeat(500)));
  const c = await f.login();
  const status = await c.transact('OK', 'STATUS INBOX (MESSAGES SIZE)');
  assert.deepEqual(untagged(status, 'STATUS')[0].values, ['STATUS', 'INBOX', ['MESSAGES', 2, 'SIZE', sizes[0] + sizes[1]]]);
  const empty = await c.transact('OK', 'STATUS Trash (SIZE)');
  assert.deepEqual(untagged(empty, 'STATUS')[0].values, ['STATUS', 'Trash', ['SIZE', 0]]);
  const listed = await c.transact('OK', 'LIST "" INBOX RETURN (STATUS (SIZE))');
  assert.deepEqual(untagged(listed, 'STATUS')[0].values, ['STATUS', 'INBOX', ['SIZE', sizes[0] + sizes[1]]]);
  await c.logout();
});
