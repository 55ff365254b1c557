// The DNS records a domain needs (DESIGN §9): MX pointing at this server, an SPF policy allowing it,
// and a DMARC policy. Pure, so it is easy to check against what a DNS provider expects.
export interface DnsRecord {
  type: 'MX' | 'TXT' | 'A';
  name: string;
  value: string;
  why: string;
}

export function dnsRecords(domain: string, hostname: string): DnsRecord[] {
  return [
    { type: 'MX', name: `${domain}.`, value: `10 ${hostname}.`, why: 'Tells other servers to deliver mail for this domain to this server.' },
    { type: 'TXT', name: `${domain}.`, value: 'v=spf1 mx -all', why: 'SPF: only the domain’s mail servers may send as this domain.' },
    {
      type: 'TXT',
      name: `_dmarc.${domain}.`,
      value: `v=DMARC1; p=quarantine; rua=mailto:postmaster@${domain}`,
      why: 'DMARC: receivers quarantine mail that fails SPF and DKIM, and send reports to postmaster.',
    },
  ];
}
