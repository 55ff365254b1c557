// DNSBL lookups (RFC 5782) for rules that match on a zone: the client address, reversed (IPv4 by
// octet, IPv6 by nibble), prepended to the zone; an A record in 127.0.0.0/8 means "listed". Answers in
// 127.255.255.0/24 are the lists' error codes (e.g. "queried through a public resolver"), not listings.
// A lookup that fails or times out counts as not listed: a DNS outage must not refuse all mail.
import { isIPv4, isIPv6 } from 'node:net';
import { unmapIpv4 } from './cidr.js';
import type { DnsResolver } from '../dns/resolver.js';

export type DnsblLookup = (ip: string, zone: string) => Promise<boolean>;

/** DNSBL lookups run before the greeting: each gets this long, whatever the resolver's own timeout. */
const LOOKUP_TIMEOUT_MS = 2000;

/** `192.0.2.7`, `zen.example` → `7.2.0.192.zen.example`; null for something that is not an IP. */
export function dnsblQueryName(ip: string, zone: string): string | null {
  const address = unmapIpv4(ip);
  if (isIPv4(address)) return `${address.split('.').reverse().join('.')}.${zone}`;
  if (!isIPv6(address) || address.includes('.')) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const halves = address.split('::');
  const head = groups(halves[0]);
  const tail = halves.length > 1 ? groups(halves[1]) : [];
  const words = halves.length > 1 ? [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail] : head;
  const nibbles = words.map((w) => w.padStart(4, '0')).join('');
  return `${[...nibbles].reverse().join('.')}.${zone}`;
}

export function isListingAnswer(address: string): boolean {
  return address.startsWith('127.') && !address.startsWith('127.255.255.');
}

/** Lookups through `resolver` (the server's, so they follow the dnsServers setting and tests' fakes). */
export function createDnsblLookup(resolver: Pick<DnsResolver, 'resolve4'>, timeoutMs = LOOKUP_TIMEOUT_MS): DnsblLookup {
  return async (ip, zone) => {
    const name = dnsblQueryName(ip, zone);
    if (name === null) return false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`DNSBL lookup of ${name} timed out`)), timeoutMs);
    });
    try {
      return (await Promise.race([resolver.resolve4(name), deadline])).some(isListingAnswer);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  };
}

/** The zones among `zones` that list `ip`, looked up in parallel. */
export async function dnsblListings(ip: string, zones: readonly string[], lookup: DnsblLookup): Promise<Set<string>> {
  const results = await Promise.all(zones.map(async (zone) => ((await lookup(ip, zone)) ? zone : null)));
  return new Set(results.filter((z): z is string => z !== null));
}
