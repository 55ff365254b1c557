// Log retention (issue 18): rows older than logRetentionDays go at start and on every round; the
// dashboard's hourly counters stay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openStore } from '../../server/store/index.js';
import { createLogSink } from '../../server/log.js';
import { startLogRetention } from '../../server/log-retention.js';
import { fakeClock, tempDir } from '../helpers/temp.js';

const DAY = 86_400_000;

test('rows past retention are deleted at start and later rounds; counters and newer rows stay', async (t) => {
  const clock = fakeClock();
  const store = openStore(join(tempDir(t), 'r.sqlite'), clock);
  const sink = createLogSink({ repo: store.log, clock });
  t.after(async () => {
    await sink.close();
    await store.close();
  });
  sink.root.info('smtp.accepted', { n: 1 });
  clock.advance(20 * DAY);
  sink.root.info('smtp.accepted', { n: 2 });
  clock.advance(20 * DAY);
  sink.root.info('smtp.accepted', { n: 3 });
  await sink.flush();

  let days = 30;
  const retention = startLogRetention({ clock, retentionDays: () => days, pruneBefore: (ts) => store.log.pruneBefore(ts), log: sink.root }, 60_000);
  t.after(() => retention.stop());
  // The first round runs at start; pruneNow waits for a round of its own (nothing left to delete).
  assert.equal(await retention.pruneNow(), 0);
  const left = (await store.log.query({ event: 'smtp.accepted' })).map((r) => r.fields.n);
  assert.deepEqual(left, [2, 3], 'the row of 40 days ago is gone');

  days = 10;
  assert.equal(await retention.pruneNow(), 1);
  assert.deepEqual((await store.log.query({ event: 'smtp.accepted' })).map((r) => r.fields.n), [3]);
  await sink.flush();
  assert.ok((await store.log.query({ event: 'log.pruned' })).some((r) => r.fields.rows === 1), 'the pruning is logged');
  const counted = (await store.log.activity(0)).reduce((n, c) => n + (c.kind === 'received' ? c.count : 0), 0);
  assert.equal(counted, 3, 'the hourly counters keep all three');
});
