// The DNS check per domain (issue 18 §2): the records a hosted domain should publish, each with what
// the configured resolver answers for it. The admin contract's DNS area.
import { z } from 'zod';
import type { DnsRecordToPublish } from '../../dns/records.js';
import { text, type InputOf } from './fields.js';

export const DnsCheckSchemas = {
  checkDns: z.object({ domain: text('A domain') }),
} as const;

type In<M extends keyof typeof DnsCheckSchemas> = InputOf<typeof DnsCheckSchemas, M>;

/** ok: published as it should be; warn: works but worth a look, or no answer; fail: missing or wrong; unchecked: listed only. */
export type DnsRecordStatus = 'ok' | 'warn' | 'fail' | 'unchecked';

/** One record to publish and how the resolver sees it (a PTR check carries id `ptr`, type A's addresses reversed). */
export interface DnsRecordCheck extends Omit<DnsRecordToPublish, 'type'> {
  type: DnsRecordToPublish['type'] | 'PTR';
  status: DnsRecordStatus;
  /** What the resolver answered for the name and type (empty when nothing). */
  found: string[];
  /** The finding in a sentence, with what to change when not ok. */
  detail: string;
}

export interface DnsCheckReport {
  domain: string;
  hostname: string;
  /** Who was asked: the dnsServers setting, or the system's resolvers. */
  resolver: string;
  /** The worst status among the records that are not optional. */
  status: Exclude<DnsRecordStatus, 'unchecked'>;
  records: DnsRecordCheck[];
  checkedAt: number;
}

export interface DnsCheckApi {
  /** Asks the configured resolver for each record the domain should publish (MX, A/AAAA, SPF, DKIM, DMARC, PTR, client lookups). */
  checkDns(input: In<'checkDns'>): Promise<DnsCheckReport>;
}
