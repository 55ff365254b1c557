// `checkDns` (issue 18 §2): for one hosted domain, each record it should publish (server/dns/records.ts)
// and what the configured resolver answers for it — the same resolver outbound delivery and the
// SPF/DKIM/DMARC checks use, so the GUI sees what other servers would see through it. Read-only.
//
// Invariants: NXDOMAIN and NODATA are answers (the record is missing: fail, or warn for optional
// ones); any other error means no answer was had and is a warning naming it, never a thrown error.
// PTR is asked for every address the host name has; SRV records are listed, not asked.
import type { Clock } from '../../clock.js';
import type { DnsResolver } from '../../dns/resolver.js';
import { dnsFailure } from '../../dns/resolver.js';
import { recordsToPublish, type DnsRecordToPublish } from '../../dns/records.js';
import { dkimRecord } from '../../delivery/outbound/dkim.js';
import type { Settings } from '../../settings.js';
import type { Store } from '../../store/index.js';
import { AdminSchemas, type AdminApi, type DnsCheckReport, type DnsRecordCheck, type DnsRecordStatus } from '../contract.js';
import { domainOf } from './lookups.js';

export interface DnsCheckDeps {
  store: Store;
  clock: Clock;
  settings: () => Settings;
  resolver?: DnsResolver;
  /** The ports of the running listeners (empty when not serving: the settings' ports are used). */
  listeners: () => Record<string, number>;
}

type Answer = { found: string[] } | { missing: string } | { error: string };

async function ask(lookup: () => Promise<string[]>): Promise<Answer> {
  try {
    return { found: await lookup() };
  } catch (error) {
    const kind = dnsFailure(error);
    if (kind === 'nxdomain') return { missing: 'the name does not exist' };
    if (kind === 'nodata') return { missing: 'the name has no record of this type' };
    return { error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

const bare = (name: string) => name.toLowerCase().replace(/\.$/, '');
const txt = (resolver: DnsResolver, name: string) => async () => (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));

/** The reverse-lookup name of an IPv4 or IPv6 address. */
export function reverseName(address: string): string {
  if (address.includes(':')) {
    const [head, tail = ''] = address.split('::');
    const h = head === '' ? [] : head.split(':');
    const t = tail === '' ? [] : tail.split(':');
    const words = address.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
    return [...words.map((w) => w.padStart(4, '0')).join('')].reverse().join('.') + '.ip6.arpa';
  }
  return address.split('.').reverse().join('.') + '.in-addr.arpa';
}

export function createDnsCheckAdmin(deps: DnsCheckDeps): Pick<AdminApi, 'checkDns'> {
  return {
    async checkDns(input) {
      const { domain: name } = AdminSchemas.checkDns.parse(input);
      const { store, resolver } = deps;
      const domain = await domainOf(store, name);
      const settings = deps.settings();
      const hostname = bare(settings.hostname);
      const key = await store.domains.dkimKey(domain.name);
      const running = deps.listeners();
      const records = recordsToPublish({ domain: domain.name, hostname, dkim: key ? dkimRecord(key) : undefined, ports: Object.keys(running).length > 0 ? running : settings.ports });
      const resolverName = settings.dnsServers.length > 0 ? settings.dnsServers.join(', ') : "the system's resolvers";

      const unchecked = (record: DnsRecordToPublish): DnsRecordCheck => ({
        ...record,
        status: 'unchecked',
        found: [],
        detail: resolver ? 'Listed for clients that look for it; not checked.' : 'This admin service has no resolver to ask.',
      });
      // The questions go out together: a slow resolver costs one timeout, not one per record.
      const checked = await Promise.all(records.map((record) => (!resolver || record.type === 'SRV' ? unchecked(record) : checkRecord(resolver, record, hostname))));
      const hostAddresses = checked.find((r) => r.id === 'host')?.found ?? [];
      if (resolver) checked.push(...(await Promise.all(hostAddresses.map((address) => checkPtr(resolver, address, hostname)))));

      const required = checked.filter((r) => !r.optional && r.status !== 'unchecked').map((r) => r.status);
      const status: DnsCheckReport['status'] = required.includes('fail') ? 'fail' : required.includes('warn') ? 'warn' : 'ok';
      return { domain: domain.name, hostname, resolver: resolverName, status, records: checked, checkedAt: deps.clock.now() };
    },
  };
}

function finding(record: DnsRecordToPublish, status: DnsRecordStatus, found: string[], detail: string): DnsRecordCheck {
  return { ...record, status: record.optional && status === 'fail' ? 'warn' : status, found, detail };
}

async function checkRecord(resolver: DnsResolver, record: DnsRecordToPublish, hostname: string): Promise<DnsRecordCheck> {
  const unanswered = (a: Answer) => ('error' in a ? finding(record, 'warn', [], `No answer for ${record.name} (${a.error}); check again later or check the DNS servers.`) : undefined);
  /** A lookup without records: no answer was had (warn), or the record is not published (fail). */
  const absent = (a: Exclude<Answer, { found: string[] }>) =>
    'error' in a ? unanswered(a)! : finding(record, 'fail', [], `Not published: ${a.missing}. Publish ${record.type} ${record.name} → ${record.value}.`);
  switch (record.id) {
    case 'mx': {
      const a = await ask(async () => (await resolver.resolveMx(record.name)).sort((x, y) => x.priority - y.priority).map((m) => `${m.priority} ${bare(m.exchange)}`));
      if ('found' in a) {
        const ours = a.found.some((m) => m.split(' ')[1] === hostname);
        return finding(record, ours ? 'ok' : 'fail', a.found, ours ? `Mail for ${record.name} comes to ${hostname}.` : `The MX points elsewhere; mail for ${record.name} does not come here. Publish MX ${record.value}`);
      }
      return absent(a);
    }
    case 'host': {
      const [v4, v6] = await Promise.all([ask(() => resolver.resolve4(record.name)), ask(() => resolver.resolve6(record.name))]);
      const found = [...('found' in v4 ? v4.found : []), ...('found' in v6 ? v6.found : [])];
      if (found.length > 0) return finding(record, 'ok', found, `${hostname} has the address${found.length > 1 ? 'es' : ''} ${found.join(', ')}.`);
      return unanswered(v4) ?? unanswered(v6) ?? finding(record, 'fail', [], `${hostname} has no A or AAAA record: other servers cannot reach the MX. Publish A ${hostname} → this server's public address.`);
    }
    case 'spf': {
      const a = await ask(txt(resolver, record.name));
      if (!('found' in a)) return absent(a);
      const spf = a.found.filter((t) => /^v=spf1(\s|$)/i.test(t));
      if (spf.length === 0) return finding(record, 'fail', a.found, `No SPF record among the TXT records of ${record.name}. Publish TXT ${record.value}`);
      if (spf.length > 1) return finding(record, 'fail', spf, 'More than one SPF record: receivers treat that as an error (RFC 7208 §4.5). Merge them into one.');
      const allows = /\s(\+?mx|\+?a)(\s|$)/i.test(spf[0]) || spf[0].toLowerCase().includes(hostname);
      return finding(record, allows ? 'ok' : 'warn', spf, allows ? 'One SPF record that allows the domain’s mail servers.' : `The SPF record does not mention mx or ${hostname}: make sure it allows this server (for example add mx).`);
    }
    case 'dkim': {
      const a = await ask(txt(resolver, record.name));
      if (!('found' in a)) return absent(a);
      const key = (text: string) => /(?:^|;)\s*p=([^;]*)/.exec(text)?.[1].replace(/\s+/g, '');
      const same = a.found.some((t) => key(t) === key(record.value));
      return finding(record, same ? 'ok' : 'fail', a.found, same ? 'The published key matches the one Mailroom signs with.' : `The published key is not the one Mailroom signs with: receivers will fail the signatures. Publish TXT ${record.value}`);
    }
    case 'dmarc': {
      const a = await ask(txt(resolver, record.name));
      if (!('found' in a)) return absent(a);
      const dmarc = a.found.filter((t) => /^v=DMARC1(\s*;|$)/i.test(t));
      if (dmarc.length !== 1) return finding(record, 'fail', a.found, dmarc.length === 0 ? `No DMARC record. Publish TXT ${record.value}` : 'More than one DMARC record: receivers ignore both. Keep one.');
      const policy = /;\s*p=(\w+)/i.exec(dmarc[0])?.[1]?.toLowerCase();
      return finding(record, policy === 'none' ? 'warn' : 'ok', dmarc, policy === 'none' ? 'DMARC with p=none only reports; forged mail is still delivered.' : `DMARC policy ${policy ?? 'unknown'}.`);
    }
    default: {
      // autoconfig/autodiscover: the name should lead to this server's addresses.
      const a = await ask(() => resolver.resolve4(record.name));
      if (!('found' in a)) return absent(a);
      return finding(record, 'ok', a.found, `${record.name} resolves (${a.found.join(', ')}).`);
    }
  }
}

async function checkPtr(resolver: DnsResolver, address: string, hostname: string): Promise<DnsRecordCheck> {
  const record = { id: 'ptr', type: 'PTR' as const, name: reverseName(address), value: `${hostname}.`, why: `Receivers check that ${address} names this server back.`, optional: false };
  const a = await ask(async () => ((await resolver.resolve(record.name, 'PTR')) as string[]).map(bare));
  if (!('found' in a)) {
    if ('error' in a) return { ...record, status: 'warn', found: [], detail: `No answer for the reverse name of ${address} (${a.error}).` };
    return { ...record, status: 'warn', found: [], detail: `${address} has no reverse name: many receivers reject mail from it. Ask whoever gives you the address (the ISP) to set its PTR to ${hostname}.` };
  }
  const ours = a.found.includes(hostname);
  return {
    ...record,
    status: ours ? 'ok' : 'warn',
    found: a.found,
    detail: ours ? `${address} names ${hostname} back.` : `${address} names ${a.found.join(', ')}, not ${hostname}: ask the ISP to set its PTR to ${hostname}, or use that name as the hostname.`,
  };
}
