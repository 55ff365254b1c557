// The dashboard's counters (issue 18): one row per hour and activity kind (server/mail-activity.ts),
// incremented in the transaction that writes the log rows, so the chart is one small query instead of
// a count over the log. Filled here from the log rows already kept.
import type { Migration } from './migration.js';
import { COUNTED_EVENTS } from '../../mail-activity.js';

const cases = Object.entries(COUNTED_EVENTS)
  .map(([event, kind]) => `WHEN '${event}' THEN '${kind}'`)
  .join(' ');

export const m0011: Migration = {
  version: 11,
  name: 'gui',
  up: `
CREATE TABLE stats_hourly (
  hour  INTEGER NOT NULL,
  kind  TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (hour, kind)
) STRICT, WITHOUT ROWID;

INSERT INTO stats_hourly (hour, kind, count)
SELECT hour, kind, COUNT(*) FROM (
  SELECT (ts / 3600000) * 3600000 AS hour,
         CASE WHEN event = 'policy.decision' AND json_extract(fields, '$.action') = 'reject' THEN 'rejected'
              ELSE CASE event ${cases} END END AS kind
  FROM log
) WHERE kind IS NOT NULL GROUP BY hour, kind;
`,
};
