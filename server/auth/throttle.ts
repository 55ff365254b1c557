/**
 * Auth-failure throttling, the one place SMTP, IMAP, POP3 and the admin login count failures. As
 * Dovecot's auth penalty and Stalwart's auto-ban: the *source* is penalised and banned, the account
 * is only ever slowed down, so a stranger can never lock the real owner out.
 *
 * Defaults (all within the sliding AUTH_FAILURE_WINDOW_MS, 15 min):
 * - Per source (an IPv4 address, an IPv6 /64): from AUTH_DELAY_AFTER_FAILURES (5) failures each
 *   answer waits AUTH_BASE_DELAY_MS (1 s), doubling per further failure, capped at AUTH_MAX_DELAY_MS
 *   (30 s); at AUTH_BLOCK_AFTER_FAILURES (10) the source is banned for AUTH_BLOCK_MS (15 min) and its
 *   attempts are refused without checking the password. When a ban ends its failures are forgotten.
 * - Per account: from AUTH_ACCOUNT_DELAY_AFTER_FAILURES (5) failures, from any sources, the same
 *   growing delay, but only for sources that have themselves failed in the window. The account is
 *   never banned, and a clean source is never slowed: that is what lets the owner in at once while a
 *   distributed guesser (many addresses, each retrying) waits.
 * - Trust: a source that logged in to an account within AUTH_TRUST_MS (7 days) keeps working for
 *   that account, with no delay and through a ban of the source (an office NAT shared with a
 *   guesser). A failure from that source for that account ends the trust.
 * - THROTTLE_MAX_ENTRIES (10 000) failure keys at most (idle keys are pruned first, then the least
 *   recently failed), and as many trusted pairs (the oldest success goes first), so a flood of source
 *   addresses cannot exhaust memory; trusted pairs are only made by successes, so a flood of failures
 *   cannot evict them.
 *
 * Invariants:
 * - Keys are `ip:<subject>` and `account:<lower-cased name>`; only `ip:` keys are ever banned. The
 *   GUI lists bans by subject and unbans by address, subject or key.
 * - IPv4-mapped IPv6 counts as IPv4; other IPv6 addresses count per /64, since one host commonly
 *   holds a whole /64.
 * - Success forgets the account's failures, never the source's: an attacker who owns one account
 *   must not be able to clear the source's record by logging into it between guesses.
 * - With a `ledger` (the store's auth_bans, asynchronous), bans live in memory so check() and fail()
 *   stay synchronous: reload() reads the ledger's bans (awaited once at start, so they survive a
 *   restart); each ban is written through without waiting (a failed write is reported to
 *   onLedgerError, and the ban still holds in this process, through reloads, until it ends or is
 *   lifted here); unblock() waits for the ledger's removal.
 *   check() and blocked() reload at most once per BAN_RELOAD_MS (1 s) in the background, so an unban
 *   by another process (the CLI) takes effect within about a second; checkLogin() (what logins use)
 *   waits for that reload before refusing, so on an idle server the first attempt after the unban is
 *   not refused by the stale ban. Banned guessers still cost at most one ledger read per second. A
 *   reload never drops a ban imposed here after it began (its write may land after the reload's read).
 * - Time comes only from the injected clock.
 */
import { isIPv4, isIPv6 } from 'node:net';

export const AUTH_FAILURE_WINDOW_MS = 15 * 60_000;
export const AUTH_DELAY_AFTER_FAILURES = 5;
export const AUTH_ACCOUNT_DELAY_AFTER_FAILURES = 5;
export const AUTH_BASE_DELAY_MS = 1000;
export const AUTH_MAX_DELAY_MS = 30_000;
export const AUTH_BLOCK_AFTER_FAILURES = 10;
export const AUTH_BLOCK_MS = 15 * 60_000;
export const AUTH_TRUST_MS = 7 * 24 * 3600_000;
export const THROTTLE_MAX_ENTRIES = 10_000;
export const BAN_RELOAD_MS = 1000;

/** Where bans are kept beyond this process (the store's auth_bans; see the header). */
export interface BanLedger {
  /** Bans in force at `now`. */
  load(now: number): Promise<Array<{ subject: string; since: number; until: number; failures: number }>>;
  save(ban: { subject: string; since: number; until: number; failures: number }): Promise<void>;
  remove(subject: string): Promise<boolean>;
}

export interface ThrottleOptions {
  clock: { now(): number };
  ledger?: BanLedger;
  /** A ledger read or write failed (the in-memory state still holds). */
  onLedgerError?: (error: unknown) => void;
  windowMs?: number;
  delayAfter?: number;
  accountDelayAfter?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  blockAfter?: number;
  blockMs?: number;
  trustMs?: number;
  maxEntries?: number;
}

export type ThrottleDecision = { blocked: false; delayMs: number } | { blocked: true; until: number; key: string };

/** A banned source. */
export interface ThrottleBlock {
  key: string;
  /** The IPv4 address or IPv6 /64 prefix the ban applies to. */
  subject: string;
  since: number;
  until: number;
  failures: number;
}

export interface Throttle {
  /** Before checking a password: refuse (blocked) or wait `delayMs` before answering. */
  check(ip: string, account?: string): ThrottleDecision;
  /**
   * check() for a login about to be answered: a ban is first confirmed against the ledger when the
   * last reload is BAN_RELOAD_MS old, so a lift by another process lets the very next attempt in.
   */
  checkLogin(ip: string, account?: string): Promise<ThrottleDecision>;
  /** Records a failed attempt; returns the ban this failure imposed, if any (for the log). */
  fail(ip: string, account?: string): ThrottleBlock[];
  /** Trusts the source for the account and forgets the account's failures (see header). */
  succeed(ip: string, account?: string): void;
  /** Bans in force now, soonest-ending first. */
  blocked(): ThrottleBlock[];
  /** Lifts a source's ban, here and in the ledger, and forgets its failures; `source` is an address, a subject or a key. False if not banned or failing. */
  unblock(source: string): Promise<boolean>;
  /** Replaces the bans with the ledger's (await once at start; check() and blocked() also do it, at most once a second). */
  reload(): Promise<void>;
}

interface Entry {
  /** Failure times inside the window, oldest first, at most blockAfter of them. */
  failures: number[];
  blockedSince?: number;
  blockedUntil?: number;
  /** The failure count when the ban began (what the admin is shown). */
  blockedFailures?: number;
  /** Which ban this is, in order of imposing here (0: read from the ledger); see reload(). */
  banSeq?: number;
  /** The ledger refused this ban: a reload must not take its absence there for a lift. */
  unsaved?: boolean;
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
  const accountDelayAfter = options.accountDelayAfter ?? AUTH_ACCOUNT_DELAY_AFTER_FAILURES;
  const baseDelayMs = options.baseDelayMs ?? AUTH_BASE_DELAY_MS;
  const maxDelayMs = options.maxDelayMs ?? AUTH_MAX_DELAY_MS;
  const blockAfter = options.blockAfter ?? AUTH_BLOCK_AFTER_FAILURES;
  const blockMs = options.blockMs ?? AUTH_BLOCK_MS;
  const trustMs = options.trustMs ?? AUTH_TRUST_MS;
  const maxEntries = options.maxEntries ?? THROTTLE_MAX_ENTRIES;
  const ledger = options.ledger;
  // Map order is least recently failed first: fail() re-inserts, eviction takes from the front.
  const entries = new Map<string, Entry>();
  // `<subject> <account>` → time of the last success; Map order is oldest success first.
  const trusted = new Map<string, number>();

  const sourceKey = (ip: string) => `ip:${ipSubject(ip)}`;
  const accountKey = (account: string | undefined) => {
    const name = account?.trim().toLowerCase();
    return name ? `account:${name}` : undefined;
  };
  const pairKey = (ip: string, account: string | undefined) => {
    const key = accountKey(account);
    return key === undefined ? undefined : `${ipSubject(ip)} ${key}`;
  };

  function isTrusted(pair: string | undefined, now: number): boolean {
    if (pair === undefined) return false;
    const at = trusted.get(pair);
    if (at === undefined) return false;
    if (at + trustMs > now) return true;
    trusted.delete(pair);
    return false;
  }

  /** Drops expired failures and an ended ban; returns the live entry, or undefined once it is empty. */
  function refresh(key: string, now: number): Entry | undefined {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.blockedUntil !== undefined && entry.blockedUntil <= now) {
      entry.failures = [];
      entry.blockedSince = entry.blockedUntil = entry.blockedFailures = undefined;
    }
    while (entry.failures.length > 0 && entry.failures[0] <= now - windowMs) entry.failures.shift();
    if (entry.failures.length === 0 && entry.blockedUntil === undefined) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function delayFor(failures: number, after: number): number {
    if (failures < after) return 0;
    return Math.min(baseDelayMs * 2 ** (failures - after), maxDelayMs);
  }

  function toBlock(key: string, entry: Entry): ThrottleBlock {
    const subject = key.slice(key.indexOf(':') + 1);
    return { key, subject, since: entry.blockedSince ?? 0, until: entry.blockedUntil ?? 0, failures: entry.blockedFailures ?? entry.failures.length };
  }

  function record(key: string, now: number): Entry {
    const entry = refresh(key, now) ?? { failures: [] };
    entries.delete(key);
    entries.set(key, entry);
    if (entry.blockedUntil === undefined) {
      entry.failures.push(now);
      // Only the count up to the ban matters; keep the list bounded.
      if (entry.failures.length > Math.max(blockAfter, accountDelayAfter + 32)) entry.failures.shift();
    }
    return entry;
  }

  function banned(entry: Entry | undefined): entry is Entry & { blockedUntil: number } {
    return entry?.blockedUntil !== undefined;
  }

  let banSeq = 0;
  let lastReload = -Infinity;
  let reloading: Promise<void> | undefined;

  async function reload(): Promise<void> {
    if (!ledger) return;
    const now = clock.now();
    lastReload = now;
    const seenSeq = banSeq;
    const stored = new Map((await ledger.load(now)).map((ban) => [`ip:${ban.subject}`, ban]));
    for (const [key, entry] of [...entries]) {
      if (banned(entry) && !entry.unsaved && (entry.banSeq ?? 0) <= seenSeq && !stored.has(key)) entries.delete(key);
    }
    for (const [key, ban] of stored) {
      if (banned(entries.get(key))) continue;
      entries.set(key, { failures: [], blockedSince: ban.since, blockedUntil: ban.until, blockedFailures: ban.failures, banSeq: 0 });
    }
  }

  /** Starts a background reload when the last one is BAN_RELOAD_MS old. */
  function reloadSoon(now: number): void {
    if (!ledger || reloading || now - lastReload < BAN_RELOAD_MS) return;
    reloading = reload()
      .catch((error: unknown) => options.onLedgerError?.(error))
      .finally(() => (reloading = undefined));
  }

  function prune(now: number): void {
    for (const key of [...entries.keys()]) refresh(key, now);
    for (const key of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(key);
    }
  }

  function check(ip: string, account?: string): ThrottleDecision {
    const now = clock.now();
    reloadSoon(now);
    if (isTrusted(pairKey(ip, account), now)) return { blocked: false, delayMs: 0 };
    const key = sourceKey(ip);
    const source = refresh(key, now);
    if (banned(source)) return { blocked: true, until: source.blockedUntil, key };
    if (!source) return { blocked: false, delayMs: 0 };
    const accountKeyed = accountKey(account);
    const accountEntry = accountKeyed === undefined ? undefined : refresh(accountKeyed, now);
    const delayMs = Math.max(delayFor(source.failures.length, delayAfter), delayFor(accountEntry?.failures.length ?? 0, accountDelayAfter));
    return { blocked: false, delayMs };
  }

  return {
    check,

    async checkLogin(ip, account) {
      const stale = ledger !== undefined && clock.now() - lastReload >= BAN_RELOAD_MS;
      const decision = check(ip, account); // starts the reload when stale
      if (!decision.blocked || !stale) return decision;
      await reloading;
      return check(ip, account);
    },

    fail(ip, account) {
      const now = clock.now();
      const pair = pairKey(ip, account);
      if (pair !== undefined) trusted.delete(pair);
      const key = sourceKey(ip);
      const wasBanned = refresh(key, now)?.blockedUntil !== undefined;
      const source = record(key, now);
      const accountKeyed = accountKey(account);
      if (accountKeyed !== undefined) record(accountKeyed, now);
      const imposed: ThrottleBlock[] = [];
      if (!wasBanned && source.failures.length >= blockAfter) {
        source.blockedSince = now;
        source.blockedUntil = now + blockMs;
        source.blockedFailures = source.failures.length;
        source.banSeq = ++banSeq;
        const ban = toBlock(key, source);
        ledger?.save(ban).catch((error: unknown) => {
          source.unsaved = true;
          options.onLedgerError?.(error);
        });
        imposed.push(ban);
      }
      if (entries.size > maxEntries) prune(now);
      return imposed;
    },

    succeed(ip, account) {
      const pair = pairKey(ip, account);
      if (pair === undefined) return;
      trusted.delete(pair);
      trusted.set(pair, clock.now());
      for (const oldest of trusted.keys()) {
        if (trusted.size <= maxEntries) break;
        trusted.delete(oldest);
      }
      entries.delete(accountKey(account)!);
    },

    blocked() {
      const now = clock.now();
      reloadSoon(now);
      const bans: ThrottleBlock[] = [];
      for (const key of [...entries.keys()]) {
        const entry = refresh(key, now);
        if (banned(entry)) bans.push(toBlock(key, entry));
      }
      return bans.sort((a, b) => a.until - b.until);
    },

    async unblock(source) {
      const text = source.trim();
      const key = text.startsWith('ip:') ? text : sourceKey(text);
      const forgotten = entries.delete(key);
      return ((await ledger?.remove(key.slice(3))) ?? false) || forgotten;
    },

    reload,
  };
}
