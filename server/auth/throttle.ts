/**
 * Auth-failure throttling, the one place SMTP, IMAP, POP3 and the admin login count failures.
 *
 * Failures are counted per remote IP and per account name within a sliding window. Defaults:
 * - AUTH_FAILURE_WINDOW_MS (15 min): failures older than this are forgotten.
 * - AUTH_DELAY_AFTER_FAILURES (5): from then on each answer is delayed AUTH_BASE_DELAY_MS (1 s),
 *   doubling per further failure (1, 2, 4, 8, 16 s), capped at AUTH_MAX_DELAY_MS (30 s).
 * - AUTH_BLOCK_AFTER_FAILURES (10) in the window: the IP or account is blocked for AUTH_BLOCK_MS
 *   (15 min); attempts are refused without checking the password. When a block ends, its
 *   failures are forgotten.
 * - THROTTLE_MAX_ENTRIES (10 000) keys at most: idle keys are pruned first, then the least
 *   recently failed ones, so a flood of source addresses cannot exhaust memory.
 *
 * Invariants:
 * - Keys are `ip:<address>` and `account:<lower-cased name>`; the GUI lists blocks by key and
 *   unblocks by key. IPv4-mapped IPv6 counts as IPv4; other IPv6 addresses count per /64, since
 *   one host commonly holds a whole /64.
 * - Success resets the account's counter, never the IP's: an attacker who owns one account must
 *   not be able to clear the IP's record by logging into it between guesses.
 * - Blocking an account also locks its legitimate owner out for the block period; that is the
 *   price of stopping a distributed guesser, and the admin can unblock.
 * - Time comes only from the injected clock.
 */
import { isIPv4, isIPv6 } from 'node:net';

export const AUTH_FAILURE_WINDOW_MS = 15 * 60_000;
export const AUTH_DELAY_AFTER_FAILURES = 5;
export const AUTH_BASE_DELAY_MS = 1000;
export const AUTH_MAX_DELAY_MS = 30_000;
export const AUTH_BLOCK_AFTER_FAILURES = 10;
export const AUTH_BLOCK_MS = 15 * 60_000;
export const THROTTLE_MAX_ENTRIES = 10_000;

export interface ThrottleOptions {
  clock: { now(): number };
  windowMs?: number;
  delayAfter?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  blockAfter?: number;
  blockMs?: number;
  maxEntries?: number;
}

export type ThrottleDecision = { blocked: false; delayMs: number } | { blocked: true; until: number; key: string };

export interface ThrottleBlock {
  key: string;
  kind: 'ip' | 'account';
  /** The IP, /64 prefix or account name the block applies to. */
  subject: string;
  since: number;
  until: number;
  failures: number;
}

export interface Throttle {
  /** Before checking a password: refuse (blocked) or wait `delayMs` before answering. */
  check(ip: string, account?: string): ThrottleDecision;
  /** Records a failed attempt; returns the blocks this failure imposed (for the log). */
  fail(ip: string, account?: string): ThrottleBlock[];
  /** Resets the account's counter; `ip` is accepted for symmetry, its counter is kept (see header). */
  succeed(ip: string, account?: string): void;
  /** Blocks in force now, soonest-ending first. */
  blocked(): ThrottleBlock[];
  /** Lifts a block and forgets its failures; false if the key was unknown. */
  unblock(key: string): boolean;
}

interface Entry {
  /** Failure times inside the window, oldest first, at most blockAfter of them. */
  failures: number[];
  blockedSince?: number;
  blockedUntil?: number;
}

function ipv6Groups(address: string): number[] {
  const parse = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [parseInt(g, 16)];
          const [a, b, c, d] = g.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head, tail] = address.split('::');
  if (tail === undefined) return parse(head);
  const h = parse(head);
  const t = parse(tail);
  return [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/** The subject an IP is counted under: IPv4 as is, IPv4-mapped as IPv4, other IPv6 as its /64. */
export function ipSubject(ip: string): string {
  const address = ip.trim().toLowerCase().replace(/%.*$/, '');
  if (address.startsWith('::ffff:') && isIPv4(address.slice(7))) return address.slice(7);
  if (!isIPv6(address)) return address;
  const groups = ipv6Groups(address);
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

export function createThrottle(options: ThrottleOptions): Throttle {
  const clock = options.clock;
  const windowMs = options.windowMs ?? AUTH_FAILURE_WINDOW_MS;
  const delayAfter = options.delayAfter ?? AUTH_DELAY_AFTER_FAILURES;
  const baseDelayMs = options.baseDelayMs ?? AUTH_BASE_DELAY_MS;
  const maxDelayMs = options.maxDelayMs ?? AUTH_MAX_DELAY_MS;
  const blockAfter = options.blockAfter ?? AUTH_BLOCK_AFTER_FAILURES;
  const blockMs = options.blockMs ?? AUTH_BLOCK_MS;
  const maxEntries = options.maxEntries ?? THROTTLE_MAX_ENTRIES;
  // Map order is least recently failed first: fail() re-inserts, eviction takes from the front.
  const entries = new Map<string, Entry>();

  function accountKey(account: string | undefined): string | undefined {
    const name = account?.trim().toLowerCase();
    return name ? `account:${name}` : undefined;
  }

  function keysFor(ip: string, account: string | undefined): string[] {
    const key = accountKey(account);
    return key === undefined ? [`ip:${ipSubject(ip)}`] : [`ip:${ipSubject(ip)}`, key];
  }

  /** Drops expired failures and an ended block; returns the live entry, or undefined once it is empty. */
  function refresh(key: string, now: number): Entry | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.blockedUntil !== undefined && entry.blockedUntil <= now) {
      entry.failures = [];
      entry.blockedSince = entry.blockedUntil = undefined;
    }
    while (entry.failures.length > 0 && entry.failures[0] <= now - windowMs) entry.failures.shift();
    if (entry.failures.length === 0 && entry.blockedUntil === undefined) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function delayFor(failures: number): number {
    if (failures < delayAfter) return 0;
    return Math.min(baseDelayMs * 2 ** (failures - delayAfter), maxDelayMs);
  }

  function toBlock(key: string, entry: Entry): ThrottleBlock {
    const colon = key.indexOf(':');
    return {
      key,
      kind: key.slice(0, colon) as ThrottleBlock['kind'],
      subject: key.slice(colon + 1),
      since: entry.blockedSince ?? 0,
      until: entry.blockedUntil ?? 0,
      failures: entry.failures.length,
    };
  }

  function prune(now: number): void {
    for (const key of [...entries.keys()]) refresh(key, now);
    for (const key of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(key);
    }
  }

  return {
    check(ip, account) {
      const now = clock.now();
      let delayMs = 0;
      for (const key of keysFor(ip, account)) {
        const entry = refresh(key, now);
        if (!entry) continue;
        if (entry.blockedUntil !== undefined) return { blocked: true, until: entry.blockedUntil, key };
        delayMs = Math.max(delayMs, delayFor(entry.failures.length));
      }
      return { blocked: false, delayMs };
    },

    fail(ip, account) {
      const now = clock.now();
      const imposed: ThrottleBlock[] = [];
      for (const key of keysFor(ip, account)) {
        const entry = refresh(key, now) ?? { failures: [] };
        entries.delete(key);
        entries.set(key, entry);
        if (entry.blockedUntil !== undefined) continue;
        entry.failures.push(now);
        if (entry.failures.length >= blockAfter) {
          entry.blockedSince = now;
          entry.blockedUntil = now + blockMs;
          imposed.push(toBlock(key, entry));
        }
      }
      if (entries.size > maxEntries) prune(now);
      return imposed;
    },

    succeed(_ip, account) {
      const key = accountKey(account);
      const entry = key === undefined ? undefined : refresh(key, clock.now());
      if (key !== undefined && entry?.blockedUntil === undefined) entries.delete(key);
    },

    blocked() {
      const now = clock.now();
      const blocks: ThrottleBlock[] = [];
      for (const key of [...entries.keys()]) {
        const entry = refresh(key, now);
        if (entry?.blockedUntil !== undefined) blocks.push(toBlock(key, entry));
      }
      return blocks.sort((a, b) => a.until - b.until);
    },

    unblock(key) {
      return entries.delete(key);
    },
  };
}
