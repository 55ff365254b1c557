// Inbound sender authentication for the MX listener (DESIGN §6): SPF (RFC 7208), DKIM (RFC 6376) and
// DMARC (RFC 7489) with mailauth, every DNS question through the configurable resolver. The SMTP
// session starts SPF as soon as the transaction has an accepted recipient (`startSpf`: it needs only
// the client's IP, HELO and MAIL FROM), so its DNS lookups run while DATA is still arriving; at DATA
// it calls `checkInboundAuth` with that SPF result, prepends `result.headers` to the message, and
// refuses it with `result.reply` when `result.action` is 'reject'.
//
// Invariants:
// - Pure apart from DNS: no store, no clock; what to do with a DMARC p=reject failure is an input
//   (`dmarcRejectAction`, from the recipients' domains via `dmarcActionFor`).
// - Only a DMARC `fail` under an effective policy of `reject` applied to all mail (pct=100) can
//   produce 'reject'; anything else (none, temperror, quarantine, pct<100) is tagged and accepted:
//   a DNS outage or a partial rollout must not lose mail.
// - The null sender is checked as `postmaster@<helo>` (RFC 7208 §2.4).
// - `stripForgedResults` removes Authentication-Results fields that claim to be ours (RFC 8601 §5),
//   so a sender cannot pre-write a "pass" that a mail client would trust.
// - The checks are mailauth's own `authenticate` (4.13.3, pinned) composed from its parts — SPF,
//   DKIM, ARC, DMARC, with BIMI off as before — in the same order and with the same inputs, so the
//   headers and the DMARC verdict are those `authenticate` gives (test/server/outbound/auth-checks
//   compares the two); composing lets SPF start early and leaves BIMI's modules (an HTTP client, SVG
//   and certificate validation) unloaded.
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { spf as spfCheck } from 'mailauth/lib/spf/index.js';
import { verifyDkim } from './dkim.js';
import { dmarc as dmarcCheck } from 'mailauth/lib/dmarc/index.js';
import { arc as arcCheck } from 'mailauth/lib/arc/index.js';
import type { ARCData, DNSResolver, SPFResult } from 'mailauth';
import type { DnsResolver } from '../dns/resolver.js';
import type { Domain } from '../store/domains.js';
import { headerFields, sameName, fieldValue } from '../mime/index.js';

/** The libmime mailauth itself folds its header lines with (its dependency, not ours). */
const libmime = createRequire(createRequire(import.meta.url).resolve('mailauth'))('libmime') as { foldLines(text: string, lineLength: number): string };

export type DmarcFailureAction = 'reject' | 'tag';

export interface InboundAuthInput {
  /** The message as received (CRLF line ends). */
  message: Buffer;
  /** The client's IP address (IPv4-mapped IPv6 is fine). */
  ip: string;
  /** HELO/EHLO name the client gave. */
  helo: string;
  /** MAIL FROM address; '' for the null sender. */
  sender: string;
  /** Our hostname: the authserv-id of the Authentication-Results header. */
  hostname: string;
}

export interface InboundAuthDeps {
  resolver: DnsResolver;
  /** What a DMARC failure under p=reject does for this message's recipients. */
  dmarcRejectAction: DmarcFailureAction;
}

export type AuthResultCode = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy';

export interface InboundAuthResult {
  /** `Received-SPF` and `Authentication-Results` fields, folded, each line CRLF-terminated. */
  headers: string;
  spf: { result: AuthResultCode; domain: string | null };
  dkim: Array<{ result: AuthResultCode; domain: string; selector: string | null; aligned: boolean }>;
  dmarc: { result: AuthResultCode; domain: string; policy: string | null } | null;
  action: 'accept' | 'reject';
  /** The SMTP refusal when `action` is 'reject' (550 5.7.1). */
  reply?: { code: 550; enhanced: '5.7.1'; text: string };
}

/** Who is sending: what SPF needs, known once MAIL FROM is accepted. */
export interface SpfInput {
  /** The client's IP address (IPv4-mapped IPv6 is fine). */
  ip: string;
  /** HELO/EHLO name the client gave. */
  helo: string;
  /** MAIL FROM address; '' for the null sender. */
  sender: string;
  /** Our hostname (the authserv-id). */
  hostname: string;
}

/** The options mailauth's `authenticate` hands to each check, as it derives them from ours. */
function checkOptions(input: SpfInput, resolver: DnsResolver) {
  const ip = input.ip.replace(/^::ffff:/i, '');
  let helo = input.helo.trim();
  const sender = input.sender !== '' ? input.sender : `postmaster@${helo.replace(/^\[|\]$/g, '')}`;
  const resolve: DNSResolver = (name, rrtype) => resolver.resolve(name, rrtype) as Promise<string[][] | string[]>;
  if (!helo && ip) helo = ip;
  if (helo && isIP(helo)) helo = `[${helo}]`;
  return { ip, helo, sender, mta: input.hostname, resolver: resolve, disableArc: false, disableBimi: true, trustReceived: false };
}

/** mailauth's SPF result, as startSpf gives it. */
export type SpfOutcome = SPFResult;

/** SPF for this client and sender; its DNS lookups start now. */
export function startSpf(input: SpfInput, resolver: DnsResolver): Promise<SpfOutcome> {
  return spfCheck(checkOptions(input, resolver));
}

export async function checkInboundAuth(input: InboundAuthInput, deps: InboundAuthDeps & { spf?: Promise<SpfOutcome> }): Promise<InboundAuthResult> {
  const result = await authenticateComposed(input, deps.resolver, deps.spf);
  const spf = result.spf ? { result: result.spf.status.result as AuthResultCode, domain: result.spf.domain ?? null } : { result: 'none' as const, domain: null };
  // An unsigned message comes back as one `none` entry without a domain; it is no signature.
  const dkim = result.dkim.results.filter((r) => Boolean(r.signingDomain)).map((r) => ({
    result: r.status.result as AuthResultCode,
    domain: r.signingDomain,
    selector: r.selector ?? null,
    aligned: Boolean(r.status.aligned),
  }));
  const dmarc = result.dmarc ? { result: result.dmarc.status.result as AuthResultCode, domain: result.dmarc.domain, policy: result.dmarc.policy ?? null } : null;

  const enforced = result.dmarc !== false && result.dmarc.status.result === 'fail' && result.dmarc.policy === 'reject' && (result.dmarc.pct ?? 100) >= 100;
  const headers = result.headers.replace(/\r?\n/g, '\r\n');
  if (enforced && deps.dmarcRejectAction === 'reject') {
    return {
      headers,
      spf,
      dkim,
      dmarc,
      action: 'reject',
      reply: { code: 550, enhanced: '5.7.1', text: `Message rejected: it fails the DMARC policy of ${dmarc!.domain} (p=reject)` },
    };
  }
  return { headers, spf, dkim, dmarc, action: 'accept' };
}

/**
 * mailauth's `authenticate` (lib/mailauth.js, 4.13.3) without trustReceived, ARC sealing or BIMI,
 * which we never asked for, with SPF's result possibly started before the message arrived.
 */
async function authenticateComposed(input: InboundAuthInput, resolver: DnsResolver, spfStarted?: Promise<SPFResult>) {
  const opts = checkOptions(input, resolver);
  const dkimResult = await verifyDkim(input.message, { resolver: opts.resolver, sender: opts.sender });
  const spfResult = await (spfStarted ?? spfCheck(opts));
  // authenticate passes the chain as dkimVerify found it, none included.
  const arcResult = await arcCheck(dkimResult.arc as ARCData, { resolver: opts.resolver });
  const headers: string[] = [];
  const arHeader: string[] = [];
  for (const row of dkimResult.results ?? []) arHeader.push(libmime.foldLines(row.info, 160));
  if (spfResult) {
    arHeader.push(libmime.foldLines(spfResult.info, 160));
    headers.push(spfResult.header);
  }
  if (arcResult?.info) arHeader.push(libmime.foldLines(arcResult.info, 160));
  let dmarcResult: Awaited<ReturnType<typeof dmarcCheck>> | undefined;
  if (dkimResult?.headerFrom) {
    dmarcResult = await dmarcCheck({
      headerFrom: dkimResult.headerFrom,
      spfDomains: ([] as string[]).concat((spfResult && spfResult.status.result === 'pass' && spfResult.domain) || []),
      dkimDomains: (dkimResult.results ?? [])
        .filter((r) => r.status.result === 'pass')
        .map((r) => ({ id: r.id, domain: r.signingDomain, aligned: r.status.aligned, underSized: r.status.underSized })),
      arcResult,
      resolver: opts.resolver,
    });
    if (dmarcResult && dmarcResult.info) arHeader.push(libmime.foldLines(dmarcResult.info, 160));
  }
  headers.push(`Authentication-Results: ${opts.mta};\r\n ` + arHeader.join(';\r\n '));
  return { dkim: dkimResult, spf: spfResult, dmarc: dmarcResult || (false as const), headers: headers.join('\r\n') + '\r\n' };
}

/** The default when a hosted domain has no setting: do what the sending domain's owner asked for. */
export const DEFAULT_DMARC_ACTION: DmarcFailureAction = 'reject';

/**
 * The action for a message to `recipientDomains` (hosted domains): 'reject' only when every one of
 * them rejects, since one SMTP reply answers for all recipients and a domain that chose 'tag' must
 * still get its copy.
 */
export async function dmarcActionFor(domains: { get(name: string): Promise<Pick<Domain, 'dmarcOnReject'> | undefined> }, recipientDomains: readonly string[]): Promise<DmarcFailureAction> {
  if (recipientDomains.length === 0) return 'tag';
  for (const d of recipientDomains) {
    const choice = (await domains.get(d.toLowerCase()))?.dmarcOnReject ?? DEFAULT_DMARC_ACTION;
    if (choice !== 'reject') return 'tag';
  }
  return 'reject';
}

/** `message` without Authentication-Results fields whose authserv-id is `hostname`. */
export function stripForgedResults(message: Buffer, hostname: string): Buffer {
  const end = message.indexOf('\r\n\r\n');
  const fields = headerFields(message, 0, end === -1 ? message.length : end + 2);
  const ours = hostname.toLowerCase();
  const forged = fields.filter((f) => sameName(f.name, 'Authentication-Results') && authservId(fieldValue(message, f)) === ours);
  if (forged.length === 0) return message;
  const pieces: Buffer[] = [];
  let at = 0;
  for (const f of forged) {
    pieces.push(message.subarray(at, f.start));
    at = f.end;
  }
  pieces.push(message.subarray(at));
  return Buffer.concat(pieces);
}

function authservId(value: string): string {
  return value.replace(/\([^)]*\)/g, ' ').trim().split(/[\s;]/)[0].toLowerCase();
}
