// The injected clock: every component asks it for the time so tests can move time by hand.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
