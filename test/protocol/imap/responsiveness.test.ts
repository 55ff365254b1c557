import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeMessage } from '../../../server/delivery/describe.js';
import type { Delivery } from '../../../server/store/index.js';
import { INBOX } from '../../../server/store/mailboxes.js';
import { untagged } from './client.js';
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
