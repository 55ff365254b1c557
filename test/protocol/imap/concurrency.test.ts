import { test } from 'node:test';
import assert from 'node:assert/strict';
import { message, startImap } from './harness.js';
import { fetches, untagged } from './client.js';

test('flag changes from another session arrive as FETCH FLAGS; own changes are not repeated', async (t) => {
  const f = await startImap(t);
  for (let i = 1; i <= 3; i++) await f.deliver(message(`m${i}`));
  const a = await f.selected();
  const b = await f.selected();
  await b.transact('OK', 'STORE 2 +FLAGS (\\Flagged)');
  const noop = await a.transact('OK', 'NOOP');
  assert.deepEqual(fetches(noop).map((m) => [m.seq, m.items.UID, m.items.FLAGS]), [[2, 2, ['\\Flagged', '\\Recent']]]);
  assert.equal(fetches(await b.transact('OK', 'NOOP')).length, 0, 'B reported its own change already');
  await a.logout();
  await b.logout();
});

test('an expunge by another session waits for a command that may report it', async (t) => {
  const f = await startImap(t);
  for (let i = 1; i <= 4; i++) await f.deliver(message(`m${i}`));
  const a = await f.selected();
  const b = await f.selected();
  await b.transact('OK', 'STORE 2 +FLAGS.SILENT (\\Deleted)');
  await b.transact('OK', 'EXPUNGE');
  // FETCH by number: no EXPUNGE now; the gone message is skipped and the FETCH says so.
  const fetch = await a.transact('NO', 'FETCH 1:4 UID');
  assert.equal(fetch.tagged.code, 'EXPUNGEISSUED');
  assert.deepEqual(fetches(fetch).map((m) => [m.seq, m.items.UID]), [[1, 1], [3, 3], [4, 4]]);
  assert.equal(untagged(fetch, '*', 'EXPUNGE').length, 0);
  const search = await a.transact('OK', 'SEARCH ALL');
  assert.deepEqual(untagged(search, 'SEARCH')[0].values, ['SEARCH', 1, 3, 4], 'numbers stay stable');
  assert.equal(untagged(search, '*', 'EXPUNGE').length, 0);
  // UID FETCH may report it, and does.
  const uidFetch = await a.transact('OK', 'UID FETCH 1:* FLAGS');
  assert.deepEqual(untagged(uidFetch, '*', 'EXPUNGE').map((r) => r.values[0]), [2]);
  assert.deepEqual(fetches(await a.transact('OK', 'FETCH 1:* UID')).map((m) => m.items.UID), [1, 3, 4]);
  await a.logout();
  await b.logout();
});

test('new mail: EXISTS even during FETCH, and \\Recent only for the first session to see it', async (t) => {
  const f = await startImap(t);
  await f.deliver(message('m1'));
  const a = await f.selected();
  const b = await f.selected();
  await f.deliver(message('m2'));
  const fetch = await a.transact('OK', 'FETCH 1 UID');
  assert.equal(untagged(fetch, 2, 'EXISTS').length, 1);
  assert.equal(untagged(fetch, 2, 'RECENT').length, 1, 'm1 (A selected first) and m2 (A saw it first)');
  const noop = await b.transact('OK', 'NOOP');
  assert.equal(untagged(noop, 2, 'EXISTS').length, 1);
  assert.equal(untagged(noop, 0, 'RECENT').length, 1);
  assert.deepEqual(fetches(await a.transact('OK', 'FETCH 2 FLAGS'))[0].items.FLAGS, ['\\Recent']);
  assert.deepEqual(fetches(await b.transact('OK', 'FETCH 2 FLAGS'))[0].items.FLAGS, []);
  const append = await b.append('INBOX', message('m3'));
  assert.equal(untagged(append, 3, 'EXISTS').length, 1, 'the APPEND reports the new message in its own session');
  assert.equal(untagged(await b.transact('OK', 'NOOP'), '*', 'EXISTS').length, 0, 'and only once');
  await a.logout();
  await b.logout();
});

test('IDLE: a delivery, a flag change and an expunge are pushed without the client asking', async (t) => {
  const f = await startImap(t);
  await f.deliver(message('m1'));
  await f.deliver(message('m2'));
  const a = await f.selected();
  const b = await f.selected();
  a.send('I1 IDLE\r\n');
  assert.equal((await a.read()).tag, '+');
  await f.deliver(message('m3'));
  assert.deepEqual((await a.read()).values, [3, 'EXISTS']);
  assert.deepEqual((await a.read()).values, [3, 'RECENT']);
  await b.transact('OK', 'STORE 1 +FLAGS (\\Answered)');
  const flags = await a.read();
  assert.deepEqual(flags.values, [1, 'FETCH', ['UID', 1, 'FLAGS', ['\\Answered', '\\Recent']]]);
  await b.transact('OK', 'STORE 2 +FLAGS (\\Deleted)');
  await a.read(); // FETCH FLAGS for message 2
  await b.transact('OK', 'EXPUNGE');
  assert.deepEqual((await a.read()).values, [2, 'EXPUNGE']);
  a.send('DONE\r\n');
  const done = await a.until('I1');
  assert.equal(done.tagged.status, 'OK');
  assert.deepEqual(fetches(await a.transact('OK', 'FETCH 1:* UID')).map((m) => m.items.UID), [1, 3]);
  a.send('I2 IDLE\r\n');
  assert.equal((await a.read()).tag, '+');
  a.send('NOT DONE\r\n');
  assert.equal((await a.until('I2')).tagged.status, 'BAD');
  await a.logout();
  await b.logout();
});

test('a session whose selected mailbox is deleted elsewhere is told BYE', async (t) => {
  const f = await startImap(t);
  const b = await f.login();
  await b.transact('OK', 'CREATE Temp');
  const a = await f.selected('Temp');
  await b.transact('OK', 'DELETE Temp');
  a.send('N1 NOOP\r\n');
  const bye = await a.read();
  assert.equal(bye.status, 'BYE');
  await a.closed();
  await b.logout();
});
