import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeMessage } from '../../../server/delivery/describe.js';
import type { Delivery } from '../../../server/store/index.js';
import { INBOX } from '../../../server/store/mailboxes.js';
import { fetches, untagged } from './client.js';
import { OTHER, PASSWORD, message, startImap } from './harness.js';

// Enough messages that reading and decoding every body takes far longer than a NOOP round trip.
const MESSAGES = 4000;
const BODY = 'The quick brown fox jumps over the lazy dog. '.repeat(40) + '\r\n';

test('another session’s NOOP is answered while a long SEARCH BODY is still running (read workers)', async (t) => {
  const f = await startImap(t);
  const inbox = (await f.ctx.store.mailboxes.require(f.accountId, INBOX)).id;
  const batch: Delivery[] = [];
  for (let i = 1; i <= MESSAGES; i++) {
    const bytes = Buffer.from(message(`m${i}`, i % 1000 === 0 ? `${BODY}needle\r\n` : BODY));
    batch.push({ bytes, local: [{ mailboxId: inbox, prefix: Buffer.alloc(0), flags: 0, keywords: [], internalDate: 0, ...describeMessage(bytes).forCopy(0) }] });
  }
  await f.ctx.store.deliverMany(batch);
  const searcher = await f.selected();
  const other = await f.connect();
  await other.login(OTHER, PASSWORD);
  await other.transact('OK', 'SELECT INBOX');

  let searchDone = false;
  const searching = searcher.transact('OK', 'SEARCH BODY "needle"').finally(() => (searchDone = true));
  await other.transact('OK', 'NOOP');
  assert.equal(searchDone, false, 'the NOOP was answered before the SEARCH finished');
  const result = await searching;
  assert.deepEqual(untagged(result, 'SEARCH')[0].values, ['SEARCH', 1000, 2000, 3000, 4000]);
  await searcher.logout();
  await other.logout();
});

test('STORE and MOVE over thousands of messages (on a worker, answered in slices) report every message', async (t) => {
  const f = await startImap(t);
  const inbox = (await f.ctx.store.mailboxes.require(f.accountId, INBOX)).id;
  const batch: Delivery[] = [];
  for (let i = 1; i <= 2500; i++) {
    const bytes = Buffer.from(message(`m${i}`));
    batch.push({ bytes, local: [{ mailboxId: inbox, prefix: Buffer.alloc(0), flags: 0, keywords: [], internalDate: 0, ...describeMessage(bytes).forCopy(0) }] });
  }
  await f.ctx.store.deliverMany(batch);
  const c = await f.selected();
  const watcher = await f.selected();
  const stored = await c.transact('OK', 'STORE 1:* +FLAGS (\\Flagged)');
  const flagged = fetches(stored);
  assert.equal(flagged.length, 2500);
  assert.deepEqual(flagged[2499], { seq: 2500, items: { FLAGS: ['\\Flagged', '\\Recent'] } });
  const moved = await c.transact('OK', 'MOVE 1:2000 Archive');
  const expunges = untagged(moved, '*', 'EXPUNGE');
  assert.equal(expunges.length, 2000);
  assert.deepEqual(expunges.map((r) => r.values[0]), Array.from({ length: 2000 }, (_, i) => 2000 - i), 'highest first, so each number is still right');
  assert.deepEqual(untagged(await c.transact('OK', 'SEARCH ALL'), 'SEARCH')[0].values.length, 501);
  const seen = await watcher.transact('OK', 'NOOP');
  assert.equal(fetches(seen).length, 500, 'the other session is told of the flag changes of the messages still there');
  assert.equal(untagged(seen, '*', 'EXPUNGE').length, 2000);
  assert.deepEqual(untagged(await c.transact('OK', 'STATUS Archive (MESSAGES)'), 'STATUS')[0].values, ['STATUS', 'Archive', ['MESSAGES', 2000]]);
});
