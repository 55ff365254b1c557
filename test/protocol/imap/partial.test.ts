// PARTIAL (RFC 9394): paged SEARCH, SORT and FETCH on a real server over a raw socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLAG_BITS } from '../../../server/store/messages.js';
import { message, startImap } from './harness.js';
import { fetches, untagged, type Result, type Value } from './client.js';

const esearch = (r: Result): Value[] => untagged(r, 'ESEARCH')[0].values.slice(2);

/** Twelve messages; 3, 4, 5, 9 and 11 are \Deleted; sizes grow with the number. */
async function fixture(t: Parameters<typeof startImap>[0]) {
  const f = await startImap(t);
  for (let i = 1; i <= 12; i++) {
    await f.deliver(message(`m${i}`, `${'x'.repeat(i * 10)}\r\n`), { flags: [3, 4, 5, 9, 11].includes(i) ? FLAG_BITS['\\Deleted'] : 0 });
  }
  return f;
}

test('RFC 9394 §3.1: SEARCH RETURN (PARTIAL) pages from the start and from the end, NIL past the result', async (t) => {
  const f = await fixture(t);
  const c = await f.selected();
  assert.ok(untagged(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values.includes('PARTIAL'));
  // UNDELETED: 1 2 6 7 8 10 12
  assert.deepEqual(esearch(await c.transact('OK', 'UID SEARCH RETURN (PARTIAL 1:3) UNDELETED')), ['UID', 'PARTIAL', ['1:3', '1:2,6']]);
  assert.deepEqual(esearch(await c.transact('OK', 'UID SEARCH RETURN (PARTIAL 4:6) UNDELETED')), ['UID', 'PARTIAL', ['4:6', '7:8,10']]);
  assert.deepEqual(esearch(await c.transact('OK', 'SEARCH RETURN (PARTIAL -1:-2) UNDELETED')), ['PARTIAL', ['-1:-2', '10,12']]);
  assert.deepEqual(esearch(await c.transact('OK', 'SEARCH RETURN (PARTIAL 6:10) UNDELETED')), ['PARTIAL', ['6:10', '10,12']], 'cut at the end');
  assert.deepEqual(esearch(await c.transact('OK', 'SEARCH RETURN (PARTIAL 20:30) UNDELETED')), ['PARTIAL', ['20:30', null]]);
  // Written backwards it is the same range; COUNT and MIN still describe the whole result.
  assert.deepEqual(esearch(await c.transact('OK', 'SEARCH RETURN (COUNT PARTIAL 3:1 MIN) UNDELETED')), ['MIN', 1, 'COUNT', 7, 'PARTIAL', ['1:3', '1:2,6']]);
  await c.transact('BAD', 'SEARCH RETURN (PARTIAL 1:3 ALL) UNDELETED');
  await c.transact('BAD', 'SEARCH RETURN (PARTIAL 0:3) UNDELETED');
  await c.transact('BAD', 'SEARCH RETURN (PARTIAL -1:3) UNDELETED');
  // SAVE keeps the page it returned.
  await c.transact('OK', 'SEARCH RETURN (SAVE PARTIAL 2:3) UNDELETED');
  assert.deepEqual(fetches(await c.transact('OK', 'FETCH $ UID')).map((m) => m.seq), [2, 6]);
  await c.logout();
});

test('RFC 9394 §3.1 with ESORT: PARTIAL counts positions in sort order', async (t) => {
  const f = await fixture(t);
  const c = await f.selected();
  assert.deepEqual(esearch(await c.transact('OK', 'SORT RETURN (PARTIAL 1:3) (REVERSE SIZE) US-ASCII UNDELETED')), ['PARTIAL', ['1:3', '12,10,8']]);
  assert.deepEqual(esearch(await c.transact('OK', 'UID SORT RETURN (PARTIAL -1:-2) (REVERSE SIZE) US-ASCII ALL')), ['UID', 'PARTIAL', ['-1:-2', '2,1']]);
  await c.logout();
});

test('RFC 9394 §4: FETCH (PARTIAL) takes positions of the set, after CHANGEDSINCE', async (t) => {
  const f = await fixture(t);
  const c = await f.selected();
  assert.deepEqual(fetches(await c.transact('OK', 'UID FETCH 1:* (FLAGS) (PARTIAL -1:-3)')).map((m) => m.seq), [10, 11, 12]);
  assert.deepEqual(fetches(await c.transact('OK', 'FETCH 2:* (UID) (PARTIAL 1:2)')).map((m) => m.seq), [2, 3]);
  const modseq = (fetches(await c.transact('OK', 'FETCH 12 MODSEQ'))[0].items.MODSEQ as number[])[0];
  await c.transact('OK', 'STORE 2,5,7 +FLAGS (\\Seen)');
  assert.deepEqual(fetches(await c.transact('OK', `FETCH 1:* (UID) (CHANGEDSINCE ${modseq} PARTIAL -1:-2)`)).map((m) => m.seq), [5, 7]);
  assert.deepEqual(fetches(await c.transact('OK', 'FETCH 1:* (UID) (PARTIAL 100:200)')), []);
  await c.transact('BAD', 'FETCH 1:* (UID) (PARTIAL 1:-2)');
  await c.logout();
});
