// CONTEXT=SORT (RFC 5267 §4): SORT ... RETURN (UPDATE) tells which messages join (ADDTO) or leave
// (REMOVEFROM) the sorted result with their positions, so that applying the pairs in turn to the
// client's copy gives the new order; PARTIAL for SORT (RFC 9394) as imaptest's sort-partial checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { message, startImap } from './harness.js';
import { untagged, type Result } from './client.js';

const esearches = (r: Result): string[] => untagged(r, 'ESEARCH').map((u) => u.raw.toString('latin1'));

test('RFC 5267 §4.3: a SORT context names positions in sort order', async (t) => {
  const f = await startImap(t);
  for (const subject of ['d', 'b', 'e', 'a', 'c']) await f.deliver(message(subject)); // UIDs 1..5
  const c = await f.selected();
  assert.ok(untagged(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values.includes('CONTEXT=SORT'));

  c.send('S1 UID SORT RETURN (UPDATE COUNT) (SUBJECT) UTF-8 UNSEEN\r\n');
  assert.deepEqual(esearches(await c.until('S1')), ['* ESEARCH (TAG "S1") UID COUNT 5']); // order 4 2 5 1 3
  // 2 (position 2) leaves, then 1 (position 4, 3 once 2 is gone): order 4 5 3.
  assert.deepEqual(esearches(await c.transact('OK', 'STORE 1:2 +FLAGS.SILENT (\\Seen)')), ['* ESEARCH (TAG "S1") UID REMOVEFROM (2 2 3 1)']);
  // 1 comes back between c and e: order 4 5 1 3.
  assert.deepEqual(esearches(await c.transact('OK', 'STORE 1 -FLAGS.SILENT (\\Seen)')), ['* ESEARCH (TAG "S1") UID ADDTO (3 1)']);
  // A new message "aa" goes second: order 4 6 5 1 3.
  const aa = message('aa');
  c.send(`A1 APPEND INBOX {${aa.length}+}\r\n${aa}\r\n`);
  assert.deepEqual(esearches(await c.until('A1')), ['* ESEARCH (TAG "S1") UID ADDTO (2 6)']);
  // Expunging 5 (position 3): REMOVEFROM before the EXPUNGE.
  await c.transact('OK', 'UID STORE 5 +FLAGS.SILENT (\\Deleted)');
  const lines = (await c.transact('OK', 'EXPUNGE')).untagged.map((u) => u.raw.toString('latin1'));
  assert.deepEqual(lines, ['* ESEARCH (TAG "S1") UID REMOVEFROM (3 5)', '* 5 EXPUNGE']);
  c.send('S2 UID SORT RETURN (ALL) (SUBJECT) UTF-8 UNSEEN\r\n');
  assert.deepEqual(esearches(await c.until('S2')), ['* ESEARCH (TAG "S2") UID ALL 4,6,1,3'], 'the client copy after the updates');

  // Sequence numbers and REVERSE: seqs are 1..5 for UIDs 1 2 3 4 6.
  c.send('S3 SORT RETURN (UPDATE) (REVERSE SUBJECT) UTF-8 FLAGGED\r\n');
  assert.deepEqual(esearches(await c.until('S3')), ['* ESEARCH (TAG "S3")']);
  assert.deepEqual(esearches(await c.transact('OK', 'STORE 1,4 +FLAGS.SILENT (\\Flagged)')), ['* ESEARCH (TAG "S3") ADDTO (1 1 2 4)']); // d, then a
  assert.deepEqual(esearches(await c.transact('OK', 'STORE 5 +FLAGS.SILENT (\\Flagged)')), ['* ESEARCH (TAG "S3") ADDTO (2 5)']); // d, aa, a

  assert.equal((await c.transact('NO', 'SORT RETURN (UPDATE PARTIAL 1:2) (ARRIVAL) UTF-8 ALL')).tagged.code, 'CANNOT');
  await c.transact('OK', 'CANCELUPDATE "S1" "S3"');
  assert.deepEqual(esearches(await c.transact('OK', 'STORE 1:* -FLAGS.SILENT (\\Seen \\Flagged)')), []);
  await c.logout();
});

test('RFC 9394 with RFC 5267: SORT RETURN (PARTIAL) as imaptest sort-partial asks', async (t) => {
  const f = await startImap(t);
  for (let i = 1; i <= 5; i++) await f.deliver(message(`m${i}`), { internalDate: Date.UTC(2026, 0, i) });
  const c = await f.selected();
  const partial = async (range: string, criteria: string) => esearches(await c.transact('OK', `SORT RETURN (PARTIAL ${range}) ${criteria} US-ASCII ALL`)).map((l) => l.replace(/TAG "[^"]*"/, 'TAG "t"'));
  assert.deepEqual(await partial('1:1', '(ARRIVAL)'), ['* ESEARCH (TAG "t") PARTIAL (1:1 1)']);
  assert.deepEqual(await partial('4:2', '(ARRIVAL)'), ['* ESEARCH (TAG "t") PARTIAL (2:4 2:4)']);
  assert.deepEqual(await partial('1:6', '(REVERSE ARRIVAL)'), ['* ESEARCH (TAG "t") PARTIAL (1:6 5,4,3,2,1)']);
  await c.transact('BAD', 'SORT RETURN (PARTIAL 1) (ARRIVAL) US-ASCII ALL');
  await c.transact('BAD', 'SORT RETURN (PARTIAL 1:*) (ARRIVAL) US-ASCII ALL');
  await c.logout();
});
