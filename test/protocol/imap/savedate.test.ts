// SAVEDATE (RFC 8514): FETCH SAVEDATE and SEARCH SAVEDBEFORE/SAVEDON/SAVEDSINCE/SAVEDATESUPPORTED on a
// real server over a raw socket, with the server's clock set by the test (a copy's save date is the
// clock at COPY/MOVE time, not the original's, nor the internal date).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { message, startImap } from './harness.js';
import { fetches, untagged, type Result } from './client.js';
import { fakeClock } from '../../helpers/temp.js';

const DAY = 86_400_000;

const numbers = (r: Result) => untagged(r, 'SEARCH')[0].values.slice(1);
const saveDates = (r: Result) => fetches(r).map((m) => m.items.SAVEDATE);

test('RFC 8514 §4: SAVEDATE is when the message came into this mailbox; COPY and MOVE give the copy a new one', async (t) => {
  const clock = fakeClock(Date.UTC(2026, 2, 1, 10, 30));
  const f = await startImap(t, { clock });
  await f.deliver(message('old mail'), { internalDate: Date.UTC(2020, 0, 2, 8) });
  await f.deliver(message('new mail'));
  const c = await f.login();
  assert.ok(untagged(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values.includes('SAVEDATE'));
  await c.transact('OK', 'CREATE Kept');
  await c.transact('OK', 'SELECT INBOX');

  const both = await c.transact('OK', 'FETCH 1:2 (INTERNALDATE SAVEDATE)');
  assert.deepEqual(saveDates(both), [' 1-Mar-2026 10:30:00 +0000', ' 1-Mar-2026 10:30:00 +0000']);
  assert.equal(fetches(both)[0].items.INTERNALDATE, ' 2-Jan-2020 08:00:00 +0000', 'the internal date is its own');

  clock.advance(4 * DAY);
  await c.transact('OK', 'COPY 1 Kept');
  clock.advance(4 * DAY);
  await c.transact('OK', 'MOVE 2 Kept');
  assert.deepEqual(saveDates(await c.transact('OK', 'FETCH 1 SAVEDATE')), [' 1-Mar-2026 10:30:00 +0000'], 'the original keeps its save date');
  await c.transact('OK', 'SELECT Kept');
  const archived = await c.transact('OK', 'UID FETCH 1:* (SAVEDATE INTERNALDATE)');
  assert.deepEqual(saveDates(archived), [' 5-Mar-2026 10:30:00 +0000', ' 9-Mar-2026 10:30:00 +0000']);
  assert.equal(fetches(archived)[0].items.INTERNALDATE, ' 2-Jan-2020 08:00:00 +0000', 'COPY keeps the internal date');

  // Calendar days in UTC, as BEFORE/ON/SINCE for INTERNALDATE.
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH SAVEDON 5-Mar-2026')), [1]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH SAVEDBEFORE 9-Mar-2026')), [1]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH SAVEDSINCE 6-Mar-2026')), [2]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH SAVEDSINCE 10-Mar-2026')), []);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH SAVEDATESUPPORTED')), [1, 2]);
  assert.deepEqual(numbers(await c.transact('OK', 'UID SEARCH OR SAVEDON 9-Mar-2026 BEFORE 1-Jan-2021')), [1, 2]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH NOT SAVEDSINCE 6-Mar-2026 SAVEDATESUPPORTED')), [1]);
  const esearch = untagged(await c.transact('OK', 'SEARCH RETURN (COUNT MIN) SAVEDSINCE 1-Mar-2026'), 'ESEARCH')[0].values;
  assert.deepEqual(esearch.slice(2), ['MIN', 1, 'COUNT', 2]);
  assert.deepEqual(untagged(await c.transact('OK', 'SORT (ARRIVAL) UTF-8 SAVEDBEFORE 6-Mar-2026'), 'SORT')[0].values.slice(1), [1]);
  await c.transact('BAD', 'SEARCH SAVEDON 2026-03-05');
  await c.transact('BAD', 'FETCH 1 SAVEDATE.PEEK');
  await c.logout();
});
