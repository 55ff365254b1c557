// Whether a vacation action answers (RFC 5230 §4.5-4.6, RFC 3834 §2): a pure decision over the
// message, the envelope and an injected log of earlier replies, and what the answer is made of.
//
// Invariants (checked in this order, the first failing one is the reason given):
// - never to the null sender, to the user's own addresses, or to system senders
//   (MAILER-DAEMON, LISTSERV, majordomo, owner-*, *-request, noreply-type local parts);
// - never to auto-submitted mail (Auto-Submitted other than "no"), mailing list or bulk mail
//   (List-* headers, Precedence bulk/list/junk), or mail asking for no out-of-office replies
//   (X-Auto-Response-Suppress: OOF or All);
// - only when one of the user's addresses is in To/Cc/Bcc/Resent-To/Resent-Cc/Resent-Bcc;
// - at most once per sender and handle within the period (skipped for :seconds 0); the caller
//   records a reply it sends, the decision itself writes nothing.

import type { VacationAction } from './actions.js';
import { headerText, parseAddresses } from './match-test.js';
import type { SieveEnvelope, SieveMessage } from './message.js';

export interface VacationReplyLog {
  /** Whether a reply with `handle` went to `sender` at or after `since`. */
  repliedSince(sender: string, handle: string, since: Date): Promise<boolean>;
}

export interface VacationRequest {
  action: VacationAction;
  message: SieveMessage;
  envelope: SieveEnvelope;
  /** The recipient account's addresses (its own address and aliases). */
  ownAddresses: readonly string[];
  now: Date;
}

export type VacationDecision =
  | {
      reply: true;
      /** The envelope recipient and To: of the answer: the original return path. */
      to: string;
      from: string;
      subject: string;
      inReplyTo: string | null;
      references: string | null;
      body: string;
      mime: boolean;
    }
  | { reply: false; reason: string };

const LIST_HEADERS = ['list-id', 'list-help', 'list-subscribe', 'list-unsubscribe', 'list-post', 'list-owner', 'list-archive'];
const RECIPIENT_HEADERS = ['to', 'cc', 'bcc', 'resent-to', 'resent-cc', 'resent-bcc'];
const SYSTEM_LOCAL = /^(?:mailer-daemon|listserv|majordomo|postmaster|owner-.*|.*-request|.*-bounces?|no-?reply|do-?not-?reply|noreply-.*|bounce[s]?)$/i;

function norm(address: string): string {
  return address.trim().replace(/^<|>$/g, '').toLowerCase();
}

function first(message: SieveMessage, name: string): string | null {
  const [value] = message.headerValues(name);
  return value === undefined ? null : headerText(value).trim();
}

function refusal(req: VacationRequest, sender: string): string | null {
  const { message } = req;
  const own = new Set([...req.ownAddresses, ...req.action.addresses, req.envelope.to].map(norm));
  if (sender === '') return 'the sender is empty (<>).';
  if (own.has(sender)) return 'the sender is the user.';
  const local = sender.slice(0, sender.lastIndexOf('@') === -1 ? sender.length : sender.lastIndexOf('@'));
  if (SYSTEM_LOCAL.test(local)) return `the sender ${sender} is a system address.`;
  const auto = first(message, 'auto-submitted');
  if (auto !== null && auto.split(';')[0].trim().toLowerCase() !== 'no') return `the message is Auto-Submitted: ${auto}.`;
  const list = LIST_HEADERS.find((h) => message.headerValues(h).length > 0);
  if (list !== undefined) return `the message comes from a mailing list (${list}).`;
  const precedence = first(message, 'precedence')?.toLowerCase();
  if (precedence === 'bulk' || precedence === 'list' || precedence === 'junk') return `the message has Precedence: ${precedence}.`;
  const suppress = first(message, 'x-auto-response-suppress')?.toLowerCase() ?? '';
  if (/\b(?:oof|all)\b/.test(suppress)) return 'the message asks for no automatic replies (X-Auto-Response-Suppress).';
  const addressed = RECIPIENT_HEADERS.some((h) =>
    message.headerValues(h).some((v) => parseAddresses(v).some((a) => own.has(`${a.local}@${a.domain}`.toLowerCase()))),
  );
  if (!addressed) return 'none of the user\'s addresses is in To, Cc or Bcc.';
  return null;
}

/** Decides whether `req.action` answers the message; consults `log` only when all else allows. */
export async function decideVacationReply(req: VacationRequest, log: VacationReplyLog): Promise<VacationDecision> {
  const sender = norm(req.envelope.from);
  const reason = refusal(req, sender);
  if (reason !== null) return { reply: false, reason };
  const { action } = req;
  if (action.periodSeconds > 0) {
    const since = new Date(req.now.getTime() - action.periodSeconds * 1000);
    if (await log.repliedSince(sender, action.handle, since)) return { reply: false, reason: `already answered ${sender} within the period.` };
  }
  const messageId = first(req.message, 'message-id');
  const references = first(req.message, 'references');
  return {
    reply: true,
    to: sender,
    from: action.from ?? req.envelope.to,
    subject: action.subject ?? `Auto: ${first(req.message, 'subject') ?? ''}`.trimEnd(),
    inReplyTo: messageId,
    references: messageId === null ? references : [references, messageId].filter((x) => x !== null).join(' '),
    body: action.reason,
    mime: action.mime,
  };
}
