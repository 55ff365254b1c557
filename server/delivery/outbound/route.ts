// Where a queued recipient goes (DESIGN §6), decided in two steps:
//  1. `planRoute` (synchronous, from the store): the transport table entry for the recipient's domain
//     wins (`local`, `reject`, `smtp:[host]:port` fixed next hop, `smtp:host:port` via host's MX);
//     else a hosted domain is local; else the relay host (smarthost) when one is set; else the
//     domain's MX. This mirrors the recipient resolver at RCPT time, so a route can only differ when
//     the admin changed the tables while the row waited.
//  2. `resolveHops` (asynchronous, DNS): the ordered list of addresses to try (RFC 5321 §5.1): MX
//     records by preference, A/AAAA of each exchange, the implicit MX (the domain itself) when there
//     is no MX record, a null MX (RFC 7505) refused for good.
//
// Invariants:
// - MX lookups and MX hosts' addresses go through the configurable resolver; a fixed next hop (the
//   relay host, a `[host]` transport) is dialled by name, so /etc/hosts and LAN names work for it.
// - An MX set that names this server is cut at our own preference (only better MXs are tried); when
//   we are the best MX, the mail would loop and is bounced (Postfix "mail loops back to myself").
// - MX hosts get opportunistic, unverified STARTTLS (Postfix `may`); a relay host gets the TLS mode
//   of its setting, with a verified certificate, because it is handed our credentials.
import { domainToASCII } from 'node:url';
import { isIP } from 'node:net';
import type { Store } from '../../store/index.js';
import type { Settings } from '../../settings.js';
import { dnsFailure, type DnsResolver, type MxRecord } from '../../dns/resolver.js';
import type { HopTls, SmtpHop } from './smtp-client.js';
import { Status } from './results.js';

export type RoutePlan =
  | { kind: 'local' }
  | { kind: 'reject' }
  | { kind: 'smtp'; key: string; target: SmtpTarget };

export type SmtpTarget =
  | { via: 'fixed'; host: string; port: number; tls: HopTls; verify: boolean; auth?: { user: string; pass: string } }
  | { via: 'mx'; domain: string; port: number };

export type HopPlan =
  | { ok: true; hops: SmtpHop[] }
  | { ok: false; outcome: 'temporary' | 'permanent'; status: string; diagnostic: string };

/** At most this many addresses are tried per message (Postfix smtp_mx_address_limit is 5). */
export const MAX_HOPS = 10;

export const SMTP_PORT = 25;

/** The A-label domain of an address, or the IP of an address literal (`user@[192.0.2.1]`, RFC 5321 §4.1.3). */
export function recipientDomain(recipient: string): string {
  const raw = recipient.slice(recipient.lastIndexOf('@') + 1).trim().toLowerCase();
  const literal = /^\[(?:ipv6:)?([^\]]+)\]$/.exec(raw);
  if (literal) return literal[1];
  return domainToASCII(raw) || raw;
}

export async function planRoute(domain: string, store: Pick<Store, 'transports' | 'domains'>, settings: Settings): Promise<RoutePlan> {
  const transport = await store.transports.get(domain);
  if (transport) {
    const r = transport.route;
    if (r.kind !== 'smtp') return { kind: r.kind };
    if (r.mxLookup) return { kind: 'smtp', key: `mx:${r.host}:${r.port}`, target: { via: 'mx', domain: r.host, port: r.port } };
    return { kind: 'smtp', key: `fixed:${r.host}:${r.port}`, target: { via: 'fixed', host: r.host, port: r.port, tls: 'opportunistic', verify: false } };
  }
  if (await store.domains.get(domain)) return { kind: 'local' };
  const relay = settings.relayHost;
  if (relay) {
    const tls: HopTls = relay.tls === 'implicit' ? 'implicit' : relay.tls === 'none' ? 'none' : 'starttls';
    const auth = relay.username ? { user: relay.username, pass: relay.password ?? '' } : undefined;
    return { kind: 'smtp', key: `relay:${relay.host}:${relay.port}`, target: { via: 'fixed', host: relay.host, port: relay.port, tls, verify: tls !== 'none', auth } };
  }
  return { kind: 'smtp', key: `mx:${domain}:${SMTP_PORT}`, target: { via: 'mx', domain, port: SMTP_PORT } };
}

export async function resolveHops(target: SmtpTarget, resolver: DnsResolver, ourHostname: string): Promise<HopPlan> {
  if (target.via === 'fixed') {
    return { ok: true, hops: [{ host: target.host, address: target.host, port: target.port, tls: target.tls, verify: target.verify, auth: target.auth }] };
  }
  if (isIP(target.domain)) {
    return { ok: true, hops: [{ host: target.domain, address: target.domain, port: target.port, tls: 'opportunistic', verify: false }] };
  }

  let records: MxRecord[];
  let implicit = false;
  try {
    records = await resolver.resolveMx(target.domain);
  } catch (error) {
    const failure = dnsFailure(error);
    if (failure === 'nxdomain') return fail('permanent', Status.NO_SUCH_DOMAIN, `Host or domain name not found: ${target.domain} (MX lookup: NXDOMAIN)`);
    if (failure === 'temporary') return fail('temporary', Status.DNS_TEMPORARY, `MX lookup for ${target.domain} failed: ${(error as Error).message}`);
    records = [{ exchange: target.domain, priority: 0 }];
    implicit = true;
  }
  if (records.length === 0) {
    records = [{ exchange: target.domain, priority: 0 }];
    implicit = true;
  }
  if (records.length === 1 && (records[0].exchange === '' || records[0].exchange === '.')) {
    return fail('permanent', Status.NULL_MX, `${target.domain} does not accept mail (null MX, RFC 7505)`);
  }

  const ours = ourHostname.toLowerCase();
  const sorted = [...records].sort((a, b) => a.priority - b.priority).map((r) => ({ ...r, exchange: r.exchange.replace(/\.$/, '').toLowerCase() }));
  const self = sorted.find((r) => r.exchange === ours);
  const candidates = self ? sorted.filter((r) => r.priority < self.priority) : sorted;
  if (candidates.length === 0) return fail('permanent', Status.LOOP, `mail for ${target.domain} loops back to myself (${ours} is its best MX)`);

  const hops: SmtpHop[] = [];
  let temporary: string | null = null;
  for (const mx of candidates) {
    if (hops.length >= MAX_HOPS) break;
    if (isIP(mx.exchange)) {
      hops.push(mxHop(mx.exchange, mx.exchange, target.port));
      continue;
    }
    const [v4, v6] = await Promise.all([addresses(resolver.resolve4(mx.exchange)), addresses(resolver.resolve6(mx.exchange))]);
    if (v4.temporary ?? v6.temporary) temporary ??= `${mx.exchange}: ${v4.temporary ?? v6.temporary}`;
    // IPv4 first: many small-office networks have no working IPv6 route out.
    for (const ip of [...v4.list, ...v6.list]) if (hops.length < MAX_HOPS) hops.push(mxHop(mx.exchange, ip, target.port));
  }
  if (hops.length > 0) return { ok: true, hops };
  if (temporary !== null) return fail('temporary', Status.DNS_TEMPORARY, `address lookup failed: ${temporary}`);
  if (implicit) return fail('permanent', Status.NO_SUCH_DOMAIN, `Host or domain name not found: ${target.domain} has no MX, A or AAAA record`);
  return fail('temporary', Status.DNS_TEMPORARY, `no MX host of ${target.domain} has an address (${candidates.map((c) => c.exchange).join(', ')})`);
}

function mxHop(host: string, address: string, port: number): SmtpHop {
  return { host, address, port, tls: 'opportunistic', verify: false };
}

async function addresses(lookup: Promise<string[]>): Promise<{ list: string[]; temporary?: string }> {
  try {
    return { list: await lookup };
  } catch (error) {
    return dnsFailure(error) === 'temporary' ? { list: [], temporary: (error as Error).message } : { list: [] };
  }
}

function fail(outcome: 'temporary' | 'permanent', status: string, diagnostic: string): HopPlan {
  return { ok: false, outcome, status, diagnostic };
}
