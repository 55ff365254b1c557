// Inbound sender authentication at DATA (DESIGN §6, issue 6): the glue between the SMTP session and
// server/auth-checks. For a message that arrived on the MX listener from the outside world it strips
// forged Authentication-Results fields naming our hostname, runs SPF/DKIM/DMARC through the
// configurable resolver, and either refuses the message (DMARC p=reject failure where every recipient
// domain chose 'reject') or returns the bytes to store and the Received-SPF and Authentication-Results
// fields to prepend, so every local copy and the queued copy carry them.
//
// Invariants:
// - Only the MX listener, only unauthenticated clients, only clients outside a trusted relay network:
//   submission mail and mail our own relays hand us are not the sender-authentication's business.
// - SPF may have started before DATA (session.ts, at the first accepted RCPT); the rest runs here,
//   once per message, before anything is stored; a refusal stores nothing and is logged with
//   its reason.
// - Never loses mail over DNS: temperror results are tagged by auth-checks, and an unexpected error
//   in the checks is logged and the message accepted with an `Authentication-Results: <host>; none`
//   header (after the forged fields are stripped), rather than answered with a 4xx forever.
import type { DnsResolver } from '../dns/resolver.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import type { TrustedNetwork } from '../policy/networks.js';
import { SmtpReply } from '../policy/smtp-reply.js';
import { checkInboundAuth, dmarcActionFor, stripForgedResults, type SpfOutcome } from '../auth-checks/index.js';
import { toCrlf } from '../mime/crlf.js';
import type { SmtpListenerName } from '../context.js';

export interface InboundAuthScope {
  listener: SmtpListenerName;
  authenticated: boolean;
  network: TrustedNetwork | null;
}

/** Whether a message from this session gets the SPF/DKIM/DMARC checks. */
export function inboundAuthApplies(scope: InboundAuthScope): boolean {
  return scope.listener === 'smtp' && !scope.authenticated && !(scope.network?.relay ?? false);
}

export interface InboundMessage {
  raw: Buffer;
  ip: string;
  helo: string;
  /** Envelope sender; '' for the null sender. */
  sender: string;
  /** Our hostname (the authserv-id). */
  hostname: string;
  /** The hosted domains of the accepted recipients (their DMARC settings decide reject vs tag). */
  recipientDomains: string[];
  /** SPF as the session started it at the first accepted RCPT (startSpf with these ip, helo, sender). */
  spf?: Promise<SpfOutcome>;
}

export interface InboundAuthGlueDeps {
  resolver: DnsResolver;
  domains: Pick<Store['domains'], 'get'>;
  log: Logger;
}

/**
 * The message to store: `fields` (our results, CRLF-terminated lines) go in front of `message` (CRLF,
 * forged results stripped). They stay apart so the one copy delivery makes of the bytes (prepare.ts)
 * is the only one. Throws the SmtpReply on a DMARC reject.
 */
export interface CheckedMessage {
  fields: string;
  message: Buffer;
}

export async function authenticateInbound(message: InboundMessage, deps: InboundAuthGlueDeps): Promise<CheckedMessage> {
  const crlf = toCrlf(message.raw);
  const stripped = stripForgedResults(crlf, message.hostname);
  const forgedRemoved = stripped.length !== crlf.length;
  let result;
  try {
    result = await checkInboundAuth(
      { message: stripped, ip: message.ip, helo: message.helo, sender: message.sender, hostname: message.hostname },
      { resolver: deps.resolver, dmarcRejectAction: await dmarcActionFor(deps.domains, message.recipientDomains), spf: message.spf },
    );
  } catch (error) {
    deps.log.error('smtp.inbound-auth-failed', { error, forgedRemoved });
    return { fields: `Authentication-Results: ${message.hostname}; none\r\n`, message: stripped };
  }
  deps.log.info('smtp.inbound-auth', {
    spf: result.spf.result,
    spfDomain: result.spf.domain,
    dkim: result.dkim.map((d) => `${d.result}:${d.domain}`),
    dmarc: result.dmarc?.result ?? null,
    dmarcDomain: result.dmarc?.domain ?? null,
    action: result.action,
    forgedRemoved,
  });
  if (result.action === 'reject' && result.reply) {
    deps.log.warn('smtp.data-refused', { reason: 'dmarc-reject', from: message.sender, detail: result.reply.text });
    throw new SmtpReply(result.reply.code, result.reply.enhanced, result.reply.text);
  }
  return { fields: result.headers, message: stripped };
}
