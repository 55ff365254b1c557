// A caching layer over the DNS resolver for the questions inbound SMTP asks on every message (SPF,
// DKIM and DMARC TXT and A/AAAA/MX lookups through mailauth) and every connection (DNSBL A lookups),
// so a busy MX does not ask the same question hundreds of times a second.
//
// Invariants:
// - An answer is kept for its TTL where node reports one (A and AAAA, asked with `ttl: true`),
//   otherwise for `ttlMs`, and never longer than `maxTtlMs`; "no such name" and "no such record"
//   (ENOTFOUND, ENODATA) are cached the same way (negative caching, RFC 2308); any other failure is
//   not cached, so a DNS outage is retried on the next message.
// - Concurrent identical questions share one lookup.
// - At most `maxEntries` answers are kept; the oldest go first.
// - Time comes from the injected clock.
import type { Clock } from '../clock.js';
import type { DnsResolver, MxRecord } from './resolver.js';

export interface DnsCacheOptions {
  clock: Clock;
  /** How long an answer without a TTL is kept (default 60 s). */
  ttlMs?: number;
  /** The longest any answer is kept, whatever its TTL (default 10 min). */
  maxTtlMs?: number;
  maxEntries?: number;
}

interface Entry {
  expires: number;
  answer: Promise<unknown>;
}

const CACHED_FAILURES = new Set(['ENOTFOUND', 'ENODATA']);

export function createDnsCache(inner: DnsResolver, options: DnsCacheOptions): DnsResolver {
  const { clock } = options;
  const ttlMs = options.ttlMs ?? 60_000;
  const maxTtlMs = options.maxTtlMs ?? 600_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, Entry>();

  const cached = <T>(key: string, ask: () => Promise<{ value: T; ttlMs: number }>): Promise<T> => {
    const now = clock.now();
    const hit = entries.get(key);
    if (hit && hit.expires > now) return hit.answer as Promise<T>;
    entries.delete(key);
    // While the question is in flight the entry stays, so identical questions share it.
    const entry: Entry = { expires: Infinity, answer: Promise.resolve() };
    const answer = ask().then(
      ({ value, ttlMs: ttl }) => {
        entry.expires = clock.now() + Math.min(ttl, maxTtlMs);
        return value;
      },
      (error: unknown) => {
        const code = (error as { code?: unknown } | null)?.code;
        if (typeof code === 'string' && CACHED_FAILURES.has(code)) entry.expires = clock.now() + Math.min(ttlMs, maxTtlMs);
        else if (entries.get(key) === entry) entries.delete(key);
        throw error;
      },
    );
    entry.answer = answer;
    entries.set(key, entry);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    return answer;
  };
  const fixed = <T>(ask: () => Promise<T>) => async () => ({ value: await ask(), ttlMs });
  const key = (type: string, name: string) => `${type} ${name.toLowerCase()}`;

  return {
    resolveMx: (name) => cached<MxRecord[]>(key('MX', name), fixed(() => inner.resolveMx(name))),
    resolve4: (name) =>
      cached<string[]>(key('A', name), async () => {
        if (!inner.resolve4Ttl) return { value: await inner.resolve4(name), ttlMs };
        const records = await inner.resolve4Ttl(name);
        return { value: records.map((r) => r.address), ttlMs: Math.min(...records.map((r) => r.ttl * 1000), maxTtlMs) };
      }),
    resolve6: (name) => cached<string[]>(key('AAAA', name), fixed(() => inner.resolve6(name))),
    resolveTxt: (name) => cached<string[][]>(key('TXT', name), fixed(() => inner.resolveTxt(name))),
    resolve: (name, rrtype) => cached<unknown>(key(rrtype.toUpperCase(), name), fixed(() => inner.resolve(name, rrtype))),
  };
}
