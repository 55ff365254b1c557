// In-memory session limits of DESIGN §5 that are counted rather than matched: messages per
// authenticated user per hour (connections per source are server/net/connection-counter.ts's).
// Counts live in the process (a restart forgets them, as Postfix's anvil does); time comes from the
// injected clock so tests need not wait.
import type { Clock } from '../clock.js';

export const RATE_WINDOW_MS = 3600_000;

/** A sliding one-hour window of events per key (messages per user per hour). */
export class RateWindow {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly windowMs = RATE_WINDOW_MS,
  ) {}

  /** Events of `key` within the window. */
  count(key: string): number {
    return this.prune(key).length;
  }

  /** Whether one more event fits under `limit` (0 = unlimited). */
  allows(key: string, limit: number): boolean {
    return limit === 0 || this.count(key) < limit;
  }

  record(key: string): void {
    const list = this.prune(key);
    list.push(this.clock.now());
    this.events.set(key, list);
  }

  private prune(key: string): number[] {
    const list = this.events.get(key);
    if (!list) return [];
    const from = this.clock.now() - this.windowMs;
    let i = 0;
    while (i < list.length && list[i] <= from) i++;
    if (i > 0) list.splice(0, i);
    if (list.length === 0) this.events.delete(key);
    return list;
  }
}
