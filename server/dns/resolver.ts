// The one DNS resolver of the server (DESIGN §6): MX/A/AAAA for outbound delivery, TXT for SPF, DKIM
// and DMARC. It wraps node:dns's Resolver (c-ares, never the OS's getaddrinfo) so the admin's
// `dnsServers` setting decides where questions go, and a test points it at a fake server on loopback.
//
// Invariants:
// - The server list is read on every question; a changed list takes effect on the next question
//   without a restart (a new c-ares channel is made only when the list changes). An empty list means
//   the system's servers (/etc/resolv.conf).
// - Errors keep node's codes (ENOTFOUND = NXDOMAIN, ENODATA = no record of that type, anything else
//   is a failure to get an answer), which is what mailauth expects from a resolver; `dnsFailure`
//   is the one place that classifies them for delivery.
import { Resolver } from 'node:dns/promises';

export interface MxRecord {
  exchange: string;
  priority: number;
}

export interface DnsResolver {
  resolveMx(name: string): Promise<MxRecord[]>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  resolveTxt(name: string): Promise<string[][]>;
  /** `dns.promises.resolve(name, rrtype)`: the signature mailauth takes as its resolver. */
  resolve(name: string, rrtype: string): Promise<unknown>;
  /** A records with their TTLs in seconds (for caches that keep an answer as long as it is valid). */
  resolve4Ttl?(name: string): Promise<Array<{ address: string; ttl: number }>>;
}

export interface DnsResolverOptions {
  /** `ip` or `ip:port` (`[v6]:port`) entries; read per question. */
  servers?: () => readonly string[];
  /** Per try; c-ares doubles it on each retry. */
  timeoutMs?: number;
  tries?: number;
}

const DEFAULT_TIMEOUT_MS = 3000;
const DEFAULT_TRIES = 2;

export function createDnsResolver(options: DnsResolverOptions = {}): DnsResolver {
  const servers = options.servers ?? (() => []);
  let current: { key: string; resolver: Resolver } | null = null;

  const channel = (): Resolver => {
    const list = servers();
    const key = list.join(',');
    if (current?.key === key) return current.resolver;
    const resolver = new Resolver({ timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, tries: options.tries ?? DEFAULT_TRIES });
    // setServers throws on a malformed entry; that surfaces as a failed lookup (temporary), which
    // is what an admin's typo in the server list should cause rather than a crash.
    if (list.length > 0) resolver.setServers([...list]);
    current = { key, resolver };
    return resolver;
  };

  return {
    resolveMx: async (name) => channel().resolveMx(name),
    resolve4: async (name) => channel().resolve4(name),
    resolve6: async (name) => channel().resolve6(name),
    resolveTxt: async (name) => channel().resolveTxt(name),
    resolve: async (name, rrtype) => channel().resolve(name, rrtype),
    resolve4Ttl: async (name) => channel().resolve4(name, { ttl: true }),
  };
}

/** What a failed lookup means for mail: the name does not exist, it has no such record, or no answer was had. */
export type DnsFailure = 'nxdomain' | 'nodata' | 'temporary';

export function dnsFailure(error: unknown): DnsFailure {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOTFOUND') return 'nxdomain';
  if (code === 'ENODATA') return 'nodata';
  return 'temporary';
}
