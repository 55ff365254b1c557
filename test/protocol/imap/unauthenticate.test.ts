// UNAUTHENTICATE (RFC 8437): one connection, two users in turn, on a real server over a raw socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDRESS, OTHER, PASSWORD, message, startImap } from './harness.js';
import { fetches, quote, untagged } from './client.js';

test('RFC 8437 §3: UNAUTHENTICATE leaves the mailbox unexpunged, forgets the user and ENABLE, and allows a new login', async (t) => {
  const f = await startImap(t);
  await f.deliver(message('for alice'));
  await f.deliver(message('for bob'), { accountId: (await f.ctx.store.accounts.find('bob', 'example.com'))!.id });
  const c = await f.connect();
  assert.ok(!untagged(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values.includes('UNAUTHENTICATE'), 'offered once logged in');
  await c.transact('BAD', 'UNAUTHENTICATE');

  await c.login(ADDRESS, PASSWORD);
  assert.ok(untagged(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values.includes('UNAUTHENTICATE'));
  assert.deepEqual(untagged(await c.transact('OK', 'ENABLE CONDSTORE'), 'ENABLED')[0].values, ['ENABLED', 'CONDSTORE']);
  await c.transact('OK', 'SELECT INBOX');
  await c.transact('OK', 'STORE 1 +FLAGS.SILENT (\\Deleted)');
  await c.transact('OK', 'UNAUTHENTICATE');

  // Not authenticated any more: no mailbox commands, the login capabilities again.
  await c.transact('BAD', 'SELECT INBOX');
  const caps = untagged(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values;
  assert.ok(caps.includes('AUTH=PLAIN') && !caps.includes('UNAUTHENTICATE'));

  await c.transact('OK', `LOGIN ${quote(OTHER)} ${quote(PASSWORD)}`);
  assert.deepEqual(untagged(await c.transact('OK', 'ENABLE CONDSTORE'), 'ENABLED')[0].values, ['ENABLED', 'CONDSTORE'], 'ENABLE was reset');
  await c.transact('OK', 'SELECT INBOX');
  assert.equal(fetches(await c.transact('OK', 'FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]'))[0].items['BODY[HEADER.FIELDS (SUBJECT)]'], 'Subject: for bob\r\n\r\n');
  await c.logout();

  // Alice's \Deleted message was not expunged by leaving.
  const alice = await f.selected();
  assert.deepEqual(fetches(await alice.transact('OK', 'FETCH 1 FLAGS'))[0].items.FLAGS, ['\\Deleted']);
  await alice.logout();
});
