// A maintenance round run at start and then every `intervalMs` (log retention, greylist expiry): the
// timer never keeps the process alive, a failed round is reported and the next one still runs, and
// `runNow` lets tests (and callers that cannot wait an interval) run a round themselves.
export interface Periodic {
  /** Runs a round now; answers what the round answered (e.g. how many rows went). */
  runNow(): Promise<number>;
  stop(): void;
}

export function startPeriodic(round: () => Promise<number>, intervalMs: number, onError: (error: unknown) => void): Periodic {
  const run = () => {
    round().catch(onError);
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return { runNow: round, stop: () => clearInterval(timer) };
}
