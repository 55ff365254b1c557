// Inbound sender authentication for the MX listener (DESIGN §6): SPF (RFC 7208), DKIM (RFC 6376) and
// DMARC (RFC 7489) with mailauth, every DNS question through the configurable resolver. The SMTP
// listener calls `checkInboundAuth` once per message at DATA, prepends `result.headers` to the
// message, and refuses it with `result.reply` when `result.action` is 'reject'.
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
import { authenticate, type DNSResolver } from 'mailauth';
import type { DnsResolver } from '../dns/resolver.js';
import type { Domain } from '../store/domains.js';
import { headerFields, sameName, fieldValue } from '../mime/index.js';

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

export async function checkInboundAuth(input: InboundAuthInput, deps: InboundAuthDeps): Promise<InboundAuthResult> {
  const ip = input.ip.replace(/^::ffff:/i, '');
  const helo = input.helo.trim();
  const sender = input.sender !== '' ? input.sender : `postmaster@${helo.replace(/^\[|\]$/g, '')}`;
  const resolver: DNSResolver = (name, rrtype) => deps.resolver.resolve(name, rrtype) as Promise<string[][] | string[]>;
  const result = await authenticate(input.message, {
    ip,
    helo,
    sender,
    mta: input.hostname,
    resolver,
    disableArc: false,
    disableBimi: true,
    trustReceived: false,
  });

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
