// The dashboard's activity chart (issue 18): the hourly counters the store keeps with the log rows
// (server/mail-activity.ts), read in one query and laid out as hourly and daily buckets, every
// bucket present (zero when nothing happened) so the chart has no gaps.
import type { Clock } from '../../clock.js';
import type { Store } from '../../store/index.js';
import { emptyCounts, hourOf, HOUR_MS, type ActivityKind } from '../../mail-activity.js';
import { AdminSchemas, type ActivityBucket, type AdminApi } from '../contract.js';

const DAY_MS = 24 * HOUR_MS;

export function createActivityAdmin(deps: { store: Store; clock: Clock }): Pick<AdminApi, 'getActivity'> {
  return {
    async getActivity(input = {}) {
      const { hours, days, utcOffsetMinutes } = AdminSchemas.getActivity.parse(input);
      const now = deps.clock.now();
      const offset = utcOffsetMinutes * 60_000;
      const lastHour = hourOf(now);
      // Local midnight of today, as epoch ms.
      const today = Math.floor((now + offset) / DAY_MS) * DAY_MS - offset;
      const hourly = buckets(lastHour - (hours - 1) * HOUR_MS, hours, HOUR_MS);
      const daily = buckets(today - (days - 1) * DAY_MS, days, DAY_MS);
      for (const c of await deps.store.log.activity(Math.min(hourly[0].start, daily[0].start))) {
        add(hourly, HOUR_MS, c.hour, c.kind, c.count);
        add(daily, DAY_MS, c.hour, c.kind, c.count);
      }
      return { hourly, daily };
    },
  };
}

function buckets(first: number, n: number, width: number): ActivityBucket[] {
  return Array.from({ length: n }, (_, i) => ({ start: first + i * width, ...emptyCounts() }));
}

function add(list: ActivityBucket[], width: number, ts: number, kind: ActivityKind, n: number): void {
  const i = Math.floor((ts - list[0].start) / width);
  if (i >= 0 && i < list.length) list[i][kind] += n;
}
