// Log retention (issue 18): rows older than the logRetentionDays setting are deleted at start and
// then every hour, so the log table stops growing for ever. The dashboard's hourly counters
// (stats_hourly) are kept: they are a few rows per hour.
import type { Clock } from './clock.js';
import type { Logger } from './log.js';
import { startPeriodic } from './periodic.js';

export const PRUNE_INTERVAL_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface LogRetentionDeps {
  clock: Clock;
  retentionDays(): number;
  /** Deletes the rows logged before `ts`; answers how many. */
  pruneBefore(ts: number): Promise<number>;
  log: Logger;
}

export interface LogRetention {
  /** Deletes what is past retention now; answers how many rows went. */
  pruneNow(): Promise<number>;
  stop(): void;
}

export function startLogRetention(deps: LogRetentionDeps, intervalMs = PRUNE_INTERVAL_MS): LogRetention {
  const pruneNow = async () => {
    const before = deps.clock.now() - deps.retentionDays() * DAY_MS;
    const rows = await deps.pruneBefore(before);
    if (rows > 0) deps.log.info('log.pruned', { rows, before, retentionDays: deps.retentionDays() });
    return rows;
  };
  const rounds = startPeriodic(pruneNow, intervalMs, (error) => deps.log.error('log.prune-failed', { error: String(error) }));
  return { pruneNow, stop: rounds.stop };
}
