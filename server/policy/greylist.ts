// Greylisting (issue 16, optional, off by default): an unknown triplet (client network, envelope
// sender, recipient) is told to retry later with a 4xx; a real MTA retries after some minutes, most
// spam software does not. The client is its /24 (IPv4) or /64 (IPv6), so a sender's pool of outgoing
// hosts counts as one client, as Postgrey does.
//
// Invariants: a retry before `delayMs` is deferred again (without restarting the wait); a retry after
// `retryWindowMs` starts over; once a retry passed, the triplet is let through at once for
// `passLifetimeMs` after its last use. The judgement is pure; checkGreylist records it in the store.
import type { Settings } from '../settings.js';
import type { Store } from '../store/index.js';
import type { GreylistTriplet } from '../store/greylist.js';
import { isIP } from 'node:net';
import { parseCidr, unmapIpv4 } from './cidr.js';

export type GreylistSettings = Settings['greylisting'];

/** The client part of a triplet: the /24 or /64 the address is in. */
export function greylistClient(ip: string): string {
  const plain = unmapIpv4(ip);
  return parseCidr(`${plain}/${isIP(plain) === 4 ? 24 : 64}`).text;
}

export type GreylistJudgement =
  /** Never seen, or seen too long ago: start the wait. */
  | { action: 'start' }
  /** Seen, but the delay has not passed: defer again. */
  | { action: 'wait'; retryInMs: number }
  /** A retry after the delay, or a triplet that passed before and is still fresh. */
  | { action: 'pass'; firstPass: boolean };

export function judgeTriplet(t: GreylistTriplet | undefined, now: number, g: GreylistSettings): GreylistJudgement {
  if (t === undefined) return { action: 'start' };
  if (t.passedAt !== null) return now - t.lastSeen <= g.passLifetimeMs ? { action: 'pass', firstPass: false } : { action: 'start' };
  const waited = now - t.firstSeen;
  if (waited > g.retryWindowMs) return { action: 'start' };
  if (waited < g.delayMs) return { action: 'wait', retryInMs: g.delayMs - waited };
  return { action: 'pass', firstPass: true };
}

/** Judges one triplet and records the outcome; returns the judgement (the caller defers on start/wait). */
export async function checkGreylist(
  store: Pick<Store, 'greylist'>,
  g: GreylistSettings,
  triplet: { ip: string; sender: string; recipient: string },
  now: number,
): Promise<GreylistJudgement> {
  const client = greylistClient(triplet.ip);
  const sender = triplet.sender.toLowerCase();
  const recipient = triplet.recipient.toLowerCase();
  const judgement = judgeTriplet(await store.greylist.get(client, sender, recipient), now, g);
  if (judgement.action === 'start') await store.greylist.start(client, sender, recipient, now);
  else if (judgement.action === 'pass') await store.greylist.pass(client, sender, recipient, now);
  return judgement;
}
