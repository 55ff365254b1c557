import { test } from 'node:test';
import assert from 'node:assert/strict';
import { message, startImap } from './harness.js';
import { fetches, untagged } from './client.js';

test('CONDSTORE: MODSEQ per message, CHANGEDSINCE, UNCHANGEDSINCE with MODIFIED, SEARCH MODSEQ', async (t) => {
  const f = await startImap(t);
  for (let i = 1; i <= 3; i++) await f.deliver(message(`m${i}`));
  const c = await f.login();
  const select = await c.transact('OK', 'SELECT INBOX (CONDSTORE)');
  const highest = Number(select.untagged.find((u) => u.code?.startsWith('HIGHESTMODSEQ'))!.code!.split(' ')[1]);
  const before = fetches(await c.transact('OK', 'FETCH 1:* (MODSEQ)')).map((m) => (m.items.MODSEQ as number[])[0]);
  assert.equal(before.length, 3);
  assert.equal(Math.max(...before), highest);

  const stored = fetches(await c.transact('OK', `STORE 2 (UNCHANGEDSINCE ${before[1]}) +FLAGS (\\Seen)`));
  const after = (stored[0].items.MODSEQ as number[])[0];
  assert.ok(after > highest, 'a new mod-sequence');
  const stale = await c.transact('OK', `STORE 1:2 (UNCHANGEDSINCE ${before[1]}) +FLAGS (\\Flagged)`);
  assert.equal(stale.tagged.code, 'MODIFIED 2', 'message 2 changed since: left alone');
  assert.deepEqual(fetches(stale).map((m) => m.seq), [1]);
  const uidStale = await c.transact('OK', `UID STORE 2 (UNCHANGEDSINCE 1) -FLAGS (\\Seen)`);
  assert.equal(uidStale.tagged.code, 'MODIFIED 2');

  const changed = fetches(await c.transact('OK', `FETCH 1:* (FLAGS) (CHANGEDSINCE ${highest})`));
  assert.deepEqual(changed.map((m) => m.seq), [1, 2]);
  assert.ok(changed.every((m) => Array.isArray(m.items.MODSEQ)), 'CHANGEDSINCE adds MODSEQ');
  const search = await c.transact('OK', `SEARCH MODSEQ ${after}`);
  const values = untagged(search, 'SEARCH')[0].values;
  assert.deepEqual(values.slice(0, 3), ['SEARCH', 1, 2]);
  assert.deepEqual(values[3], ['MODSEQ', Math.max(...changed.map((m) => (m.items.MODSEQ as number[])[0]))]);
  const silent = fetches(await c.transact('OK', 'STORE 3 +FLAGS.SILENT (\\Answered)'));
  assert.deepEqual(Object.keys(silent[0].items), ['MODSEQ'], '.SILENT still reports the new MODSEQ under CONDSTORE');
  const status = await c.transact('OK', 'STATUS INBOX (HIGHESTMODSEQ)');
  assert.ok((untagged(status, 'STATUS')[0].values[2] as number[])[1] > after);
  await c.logout();
});

test('QRESYNC: VANISHED instead of EXPUNGE, SELECT (QRESYNC ...) and UID FETCH (CHANGEDSINCE ... VANISHED)', async (t) => {
  const f = await startImap(t);
  for (let i = 1; i <= 5; i++) await f.deliver(message(`m${i}`));
  const c = await f.login();
  await c.transact('BAD', 'SELECT INBOX (QRESYNC (1 1))');
  await c.transact('OK', 'ENABLE QRESYNC');
  const first = await c.transact('OK', 'SELECT INBOX');
  const validity = Number(first.untagged.find((u) => u.code?.startsWith('UIDVALIDITY'))!.code!.split(' ')[1]);
  const modseq = Number(first.untagged.find((u) => u.code?.startsWith('HIGHESTMODSEQ'))!.code!.split(' ')[1]);
  await c.transact('OK', 'STORE 2,4 +FLAGS.SILENT (\\Deleted)');
  const expunge = await c.transact('OK', 'EXPUNGE');
  assert.deepEqual(untagged(expunge, 'VANISHED')[0].values, ['VANISHED', '2,4']);
  assert.equal(untagged(expunge, '*', 'EXPUNGE').length, 0);
  await c.transact('OK', 'STORE 1 +FLAGS.SILENT (\\Seen)');

  const other = await f.login();
  await other.transact('OK', 'ENABLE QRESYNC');
  const resync = await other.transact('OK', `SELECT INBOX (QRESYNC (${validity} ${modseq} 1:5))`);
  assert.deepEqual(untagged(resync, 'VANISHED')[0].values, ['VANISHED', ['EARLIER'], '2,4']);
  const changed = fetches(resync);
  assert.deepEqual(changed.map((m) => [m.seq, m.items.UID, m.items.FLAGS]), [[1, 1, ['\\Seen']]]);
  const vanished = await other.transact('OK', `UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${modseq} VANISHED)`);
  assert.deepEqual(untagged(vanished, 'VANISHED')[0].values, ['VANISHED', ['EARLIER'], '2,4']);
  const closed = await other.transact('OK', 'SELECT Drafts');
  assert.ok(closed.untagged.some((u) => u.code === 'CLOSED'));
  await c.logout();
  await other.logout();
});
