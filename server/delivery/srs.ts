// Sender Rewriting Scheme (as postsrsd/libsrs2 do it for Postfix): mail forwarded to another
// domain leaves with the envelope sender rewritten to an address of ours,
// `SRS0=HHHH=TT=orig-domain=orig-local@our-domain`, so the receiving server's SPF check is made
// against us; a bounce to that address comes back here and is unwrapped to the original sender.
//
// Invariants: HHHH is the first 4 characters of base64(HMAC-SHA1(key, TT + orig-domain +
// orig-local)) over the lower-cased text, compared case-insensitively (MTAs may change case); TT is
// the day number modulo 1024 in two base32 characters and an address older than MAX_AGE_DAYS (or
// from the future) is refused, so a forged or replayed address cannot make us a relay. The key is
// the server's own (stored-key.ts), never shown.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SRS_KEY = 'delivery.srsKey';
/** How long a forwarded message's bounce may take to come back (postsrsd's default: 21 days). */
export const MAX_AGE_DAYS = 21;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const DAY = 86_400_000;
const HASH_LENGTH = 4;
const SRS0 = /^SRS0[=+-]([^=]+)=([^=]{2})=([^=]+)=(.+)$/i;

export type SrsReverse = { ok: true; address: string } | { ok: false; reason: string };

export interface Srs {
  /** The rewritten sender for forwarding `sender` (local@domain) from `ourDomain`. */
  forward(sender: string, ourDomain: string): string;
  /** The original sender of an SRS0 local part, or why it is refused. */
  reverse(local: string): SrsReverse;
}

export const isSrsLocalPart = (local: string): boolean => /^SRS0[=+-]/i.test(local);

export function createSrs(key: Buffer, now: () => number): Srs {
  const hash = (stamp: string, domain: string, local: string) =>
    createHmac('sha1', key).update(`${stamp}${domain}${local}`.toLowerCase()).digest('base64').slice(0, HASH_LENGTH);
  const today = () => Math.floor(now() / DAY);
  const stampOf = (day: number) => BASE32[(day >> 5) & 31] + BASE32[day & 31];
  return {
    forward(sender, ourDomain) {
      const at = sender.lastIndexOf('@');
      const local = sender.slice(0, at);
      const domain = sender.slice(at + 1);
      const stamp = stampOf(today());
      return `SRS0=${hash(stamp, domain, local)}=${stamp}=${domain}=${local}@${ourDomain}`;
    },
    reverse(address) {
      const m = SRS0.exec(address);
      if (m === null) return { ok: false, reason: 'not an SRS0 address' };
      const [, given, stamp, domain, local] = m;
      const expected = Buffer.from(hash(stamp, domain, local).toLowerCase());
      const actual = Buffer.from(given.toLowerCase());
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return { ok: false, reason: 'the SRS hash does not match (forged address)' };
      const digits = stamp.toUpperCase().split('').map((c) => BASE32.indexOf(c));
      if (digits.includes(-1)) return { ok: false, reason: 'bad SRS timestamp' };
      const age = (today() - ((digits[0] << 5) | digits[1]) + 1024) % 1024;
      if (age > MAX_AGE_DAYS) return { ok: false, reason: `the SRS address expired (${age} days old)` };
      return { ok: true, address: `${local}@${domain}` };
    },
  };
}
