// Greylist expiry (issue 16): triplets that can no longer count are deleted at start and then every
// hour, so the greylist table holds only live waits and passes. An unpassed triplet is dead once
// its retry window is over (a retry then starts over anyway); a passed one once its pass lifetime
// since its last use is over. The windows are read from the settings at each round.
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import { startPeriodic, type Periodic } from '../periodic.js';
import type { GreylistSettings } from './greylist.js';

export const GREYLIST_EXPIRY_INTERVAL_MS = 3_600_000;

export interface GreylistExpiryDeps {
  clock: Clock;
  greylisting(): GreylistSettings;
  store: Pick<Store, 'greylist'>;
  log: Logger;
}

export function startGreylistExpiry(deps: GreylistExpiryDeps, intervalMs = GREYLIST_EXPIRY_INTERVAL_MS): Periodic {
  const round = async () => {
    const now = deps.clock.now();
    const g = deps.greylisting();
    const triplets = await deps.store.greylist.prune(now - g.retryWindowMs, now - g.passLifetimeMs);
    if (triplets > 0) deps.log.info('greylist.pruned', { triplets });
    return triplets;
  };
  return startPeriodic(round, intervalMs, (error) => deps.log.error('greylist.prune-failed', { error: String(error) }));
}
