// The DNS records a hosted domain should publish (DESIGN §9, issue 18): MX pointing at this server,
// SPF allowing it, the DKIM key when there is one, DMARC, the autoconfig/autodiscover host names mail
// clients look up, and the RFC 6186/8314 SRV records for the listeners that are on. Pure (no lookups):
// the GUI's DNS drawer, `mailroom domain dns` and the DNS check all start from this list.
import type { PortName } from '../settings.js';

export type DnsRecordType = 'MX' | 'A' | 'TXT' | 'CNAME' | 'SRV';

export interface DnsRecordToPublish {
  /** Stable: mx, host, spf, dkim, dmarc, autoconfig, autodiscover, srv-imaps, … */
  id: string;
  type: DnsRecordType;
  /** The owner name, fully qualified without the final dot. */
  name: string;
  /** The record's value as a DNS provider's form takes it. */
  value: string;
  why: string;
  /** Mail works without it (client conveniences). */
  optional: boolean;
}

export interface RecordInputs {
  domain: string;
  hostname: string;
  /** The domain's DKIM record, when it has a key. */
  dkim?: { name: string; value: string };
  /** The ports mail clients reach (the running listeners'); a listener without one gets no SRV record. */
  ports: Partial<Record<PortName, number>>;
}

/** RFC 6186 (and RFC 8314 for the implicit-TLS ones): service label per listener, preferred first. */
const SRV_SERVICES: ReadonlyArray<{ listener: PortName; service: string; what: string }> = [
  { listener: 'submissions', service: '_submissions._tcp', what: 'sending with TLS' },
  { listener: 'submission', service: '_submission._tcp', what: 'sending with STARTTLS' },
  { listener: 'imaps', service: '_imaps._tcp', what: 'IMAP with TLS' },
  { listener: 'imap', service: '_imap._tcp', what: 'IMAP with STARTTLS' },
  { listener: 'pop3s', service: '_pop3s._tcp', what: 'POP3 with TLS' },
  { listener: 'pop3', service: '_pop3._tcp', what: 'POP3 with STARTTLS' },
];

export function recordsToPublish({ domain, hostname, dkim, ports }: RecordInputs): DnsRecordToPublish[] {
  const records: DnsRecordToPublish[] = [
    { id: 'mx', type: 'MX', name: domain, value: `10 ${hostname}.`, why: 'Tells other servers to deliver mail for this domain to this server.', optional: false },
    { id: 'host', type: 'A', name: hostname, value: "this server's public IPv4 address (and AAAA for IPv6)", why: 'The MX name must lead to this server.', optional: false },
    { id: 'spf', type: 'TXT', name: domain, value: 'v=spf1 mx -all', why: 'SPF: only the domain’s mail servers may send as this domain.', optional: false },
  ];
  if (dkim) records.push({ id: 'dkim', type: 'TXT', name: dkim.name, value: dkim.value, why: 'DKIM: receivers check the signature on mail from this domain with this key.', optional: false });
  records.push(
    {
      id: 'dmarc',
      type: 'TXT',
      name: `_dmarc.${domain}`,
      value: `v=DMARC1; p=quarantine; rua=mailto:postmaster@${domain}`,
      why: 'DMARC: receivers quarantine mail that fails SPF and DKIM, and send reports to postmaster.',
      optional: false,
    },
    { id: 'autoconfig', type: 'CNAME', name: `autoconfig.${domain}`, value: `${hostname}.`, why: 'Thunderbird finds its settings here from the address alone.', optional: true },
    { id: 'autodiscover', type: 'CNAME', name: `autodiscover.${domain}`, value: `${hostname}.`, why: 'Outlook finds its settings here from the address alone.', optional: true },
  );
  for (const { listener, service, what } of SRV_SERVICES) {
    const port = ports[listener];
    if (port === undefined || port <= 0) continue;
    records.push({ id: `srv-${listener}`, type: 'SRV', name: `${service}.${domain}`, value: `0 1 ${port} ${hostname}.`, why: `Mail clients find ${what} here (RFC 6186).`, optional: true });
  }
  return records;
}
