// The dashboard's counters (issue 18): hourly rows per activity kind written in the log's own
// transaction (migration 0011 fills them from the rows already logged), and getActivity's hourly and
// daily buckets from one query.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from '../../../server/store/db.js';
import { migrate, MIGRATIONS } from '../../../server/store/migrations/index.js';
import { adminFixture } from '../../helpers/admin.js';
import { tempDir } from '../../helpers/temp.js';
import { activityKindOf } from '../../../server/mail-activity.js';
import { createLogSink } from '../../../server/log.js';

const HOUR = 3_600_000;

test('the catalogue: counted events, an access rule only when it rejects, anything else not at all', () => {
  const row = (event: string, fields: Record<string, unknown> = {}) => activityKindOf({ event, fields });
  assert.equal(row('smtp.accepted'), 'received');
  assert.equal(row('queue.delivered'), 'delivered');
  assert.equal(row('queue.deferred'), 'deferred');
  assert.equal(row('auth.fail'), 'authFailures');
  assert.equal(row('policy.decision', { action: 'reject' }), 'rejected');
  assert.equal(row('policy.decision', { action: 'allow' }), undefined);
  assert.equal(row('smtp.connect'), undefined);
  assert.equal(row('toString'), undefined, 'no inherited names');
});

test('0011 fills the hourly counters from the log rows already kept', (t) => {
  const db = openDatabase(join(tempDir(t), 'm.sqlite'), { migrate: false });
  t.after(() => db.close());
  migrate(db, null, MIGRATIONS.filter((m) => m.version < 11));
  const h = Date.UTC(2026, 0, 1, 10);
  const insert = db.prepare("INSERT INTO log (ts, level, component, event, fields) VALUES (?, 'info', 'x', ?, ?)");
  insert.run(h + 5, 'smtp.accepted', '{}');
  insert.run(h + 6, 'smtp.accepted', '{}');
  insert.run(h + HOUR + 1, 'policy.decision', '{"action":"reject"}');
  insert.run(h + HOUR + 2, 'policy.decision', '{"action":"allow"}');
  insert.run(h + HOUR + 3, 'auth.fail', '{}');
  insert.run(h + HOUR + 4, 'smtp.connect', '{}');
  migrate(db, null);
  assert.deepEqual(db.prepare('SELECT hour, kind, count FROM stats_hourly ORDER BY hour, kind').all(), [
    { hour: h, kind: 'received', count: 2 },
    { hour: h + HOUR, kind: 'authFailures', count: 1 },
    { hour: h + HOUR, kind: 'rejected', count: 1 },
  ]);
});

test('log rows add to the counters as they are written; getActivity lays them out per hour and per local day', async (t) => {
  const { api, clock, flushLog, store } = await adminFixture(t);
  const log = createLogSink({ repo: store.log, clock });
  t.after(() => log.close());
  // 2026-01-01 00:00 UTC is the fixture's start; go to 23:30 UTC.
  clock.advance(23 * HOUR + 30 * 60_000);
  log.root.info('smtp.accepted');
  log.root.info('smtp.accepted');
  log.root.info('queue.delivered');
  log.root.warn('auth.fail');
  clock.advance(HOUR); // 00:30 UTC on the 2nd: 01:30 on the 2nd at UTC+1
  log.root.info('queue.bounced');
  log.root.info('policy.decision', { action: 'reject' });
  await log.flush();
  await flushLog();

  const view = await api.getActivity({ hours: 3, days: 2, utcOffsetMinutes: 60 });
  assert.deepEqual(view.hourly.map((b) => [new Date(b.start).toISOString().slice(11, 16), b.received, b.delivered, b.authFailures, b.bounced, b.rejected]), [
    ['22:00', 0, 0, 0, 0, 0],
    ['23:00', 2, 1, 1, 0, 0],
    ['00:00', 0, 0, 0, 1, 1],
  ]);
  // At UTC+1 every row so far is on 2 January (local), the first day is 1 January.
  assert.deepEqual(view.daily.map((b) => [b.start, b.received, b.bounced]), [
    [Date.UTC(2026, 0, 1) - HOUR, 0, 0],
    [Date.UTC(2026, 0, 2) - HOUR, 2, 1],
  ]);
  const utc = await api.getActivity({ hours: 1, days: 2 });
  assert.deepEqual(utc.daily.map((b) => b.received + b.bounced), [2, 1], 'in UTC the day changes between them');
});
