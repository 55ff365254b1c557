// Hold and release (postsuper -h / -H) through the admin service: a held message is not claimed by the
// queue runner; released, it is due at once. Its rows keep their attempts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminFixture } from '../../helpers/admin.js';

test('a held message is left alone by the runner; released, it is due now', async (t) => {
  const { api, store, clock } = await adminFixture(t);
  const { result } = await store.deliver({ bytes: Buffer.from('Subject: h\r\n\r\nx\r\n'), local: [], remote: { sender: 'a@example.org', recipients: ['x@far.test', 'y@far.test'], messageId: null } });
  const queueId = result.queueId!;
  assert.deepEqual(await api.holdQueued({ queueId, hold: true }), { changed: 2 });
  assert.deepEqual((await api.searchQueue({ state: 'held' })).items.map((q) => q.recipient).sort(), ['x@far.test', 'y@far.test']);
  clock.advance(3_600_000);
  assert.deepEqual(await store.queue.claimDue(10), [], 'held rows are not claimed');
  assert.deepEqual(await api.holdQueued({ queueId, hold: true }), { changed: 0 }, 'holding twice changes nothing');
  assert.deepEqual(await api.holdQueued({ queueId, hold: false }), { changed: 2 });
  const claimed = await store.queue.claimDue(10);
  assert.equal(claimed.length, 2, 'released rows are due now');
  await assert.rejects(api.holdQueued({ queueId: 'NOSUCHID', hold: true }), /Nothing is queued under NOSUCHID/);
});
