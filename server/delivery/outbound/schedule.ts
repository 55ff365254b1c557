// When a deferred recipient is tried again, and when the queue gives up on it (DESIGN §6; Postfix's
// minimal_backoff_time / maximal_backoff_time / maximal_queue_lifetime). Pure functions of the row
// and the settings, so tests move an injected clock instead of waiting.

/** Delay after the `attempts`-th failed attempt: min, 2·min, 4·min, … capped at max. */
export function retryDelay(attempts: number, minMs: number, maxMs: number): number {
  const ceiling = Math.max(minMs, maxMs);
  const exponent = Math.max(0, attempts - 1);
  // 2^31 · min overflows nothing in a double, but stop doubling once past the ceiling anyway.
  const delay = exponent >= 31 ? ceiling : minMs * 2 ** exponent;
  return Math.min(delay, ceiling);
}

/** Whether a message queued at `createdAt` has outlived the queue lifetime at `now`. */
export function expired(createdAt: number, now: number, lifetimeMs: number): boolean {
  return now - createdAt >= lifetimeMs;
}
