// The dashboard's activity: the server's hourly and daily counters (getActivity), moved on by the
// live log rows as they arrive, classified by the shared catalogue (server/mail-activity.ts), so
// the chart and the counters move by themselves while mail flows. Pure.
import type { ActivityBucket, ActivityView, LogRow } from '../../../server/admin/contract.js';
import { activityKindOf, emptyCounts, HOUR_MS, ACTIVITY_KINDS, type ActivityCounts } from '../../../server/mail-activity.js';

const DAY_MS = 24 * HOUR_MS;

/** The view with `row` counted in its hour and day; a row after the last bucket opens new ones (the oldest drop off). */
export function addLiveRow(view: ActivityView, row: LogRow): ActivityView {
  const kind = activityKindOf(row);
  if (!kind) return view;
  const bump = (list: ActivityBucket[], width: number): ActivityBucket[] => {
    let next = list;
    while (row.ts >= next[next.length - 1].start + width) next = [...next.slice(1), { start: next[next.length - 1].start + width, ...emptyCounts() }];
    const i = Math.floor((row.ts - next[0].start) / width);
    if (i < 0) return next;
    return next.map((b, j) => (j === i ? { ...b, [kind]: b[kind] + 1 } : b));
  };
  return { hourly: bump(view.hourly, HOUR_MS), daily: bump(view.daily, DAY_MS) };
}

export function totals(buckets: ActivityBucket[]): ActivityCounts {
  const sum = emptyCounts();
  for (const b of buckets) for (const k of ACTIVITY_KINDS) sum[k] += b[k];
  return sum;
}

/** The browser's offset east of UTC in minutes, as getActivity takes it. */
export function localUtcOffset(at: number): number {
  return -new Date(at).getTimezoneOffset();
}

/** Chart rows: each bucket with its label (`14:00` for hours, `Mon 3` for days, local time). */
export function chartRows(buckets: ActivityBucket[], unit: 'hour' | 'day'): Array<ActivityBucket & { label: string }> {
  return buckets.map((b) => {
    const d = new Date(b.start);
    const label = unit === 'hour' ? `${String(d.getHours()).padStart(2, '0')}:00` : `${d.toLocaleDateString(undefined, { weekday: 'short' })} ${d.getDate()}`;
    return { ...b, label };
  });
}
