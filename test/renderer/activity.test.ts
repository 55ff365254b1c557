// The dashboard's live activity: a log row from the live channel is counted in its hour and day by
// the shared catalogue; a row of a new hour opens a bucket and the oldest drops off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addLiveRow, totals } from '../../renderer/features/dashboard/activity.js';
import { emptyCounts } from '../../server/mail-activity.js';
import type { ActivityView, LogRow } from '../../server/admin/contract.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1, 10);
const view: ActivityView = {
  hourly: [0, 1, 2].map((i) => ({ start: T0 + i * HOUR, ...emptyCounts() })),
  daily: [{ start: Date.UTC(2026, 0, 1), ...emptyCounts() }],
};
const row = (event: string, ts: number, fields: Record<string, unknown> = {}): LogRow => ({ id: 1, ts, level: 'info', component: 'smtp', sessionId: null, queueId: null, messageId: null, event, fields });

test('a live row adds one to its hour and its day; other rows change nothing', () => {
  const after = addLiveRow(view, row('smtp.accepted', T0 + 2 * HOUR + 5));
  assert.deepEqual(after.hourly.map((b) => b.received), [0, 0, 1]);
  assert.equal(after.daily[0].received, 1);
  assert.equal(addLiveRow(view, row('smtp.connect', T0)), view);
  assert.equal(totals(addLiveRow(after, row('policy.decision', T0, { action: 'reject' })).hourly).rejected, 1);
});

test('a row in the next hour opens its bucket and drops the oldest', () => {
  const after = addLiveRow(view, row('auth.fail', T0 + 3 * HOUR + 1));
  assert.deepEqual(after.hourly.map((b) => b.start), [T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR]);
  assert.deepEqual(after.hourly.map((b) => b.authFailures), [0, 0, 1]);
});
