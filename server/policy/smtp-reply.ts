// SMTP replies as values (STYLE "Errors"): a reply code, its RFC 3463 enhanced status code and a text
// for people. Policy verdicts and delivery refusals become an SmtpReply; server/smtp writes them to
// the wire in one place. Invariants: the enhanced code's class digit equals the reply code's first
// digit (2/4/5), and the text is one line without control characters (it is sent verbatim).
import { AUTHZID_REFUSED_TEXT } from '../auth/authenticator.js';

export class SmtpReply extends Error {
  override name = 'SmtpReply';
  constructor(
    readonly code: number,
    readonly enhanced: string,
    readonly text: string,
  ) {
    super(`${code} ${enhanced} ${text}`);
    if (!/^[245]\.\d{1,3}\.\d{1,3}$/.test(enhanced) || enhanced[0] !== String(code)[0]) {
      throw new Error(`SmtpReply ${code} has a mismatched enhanced code ${enhanced}`);
    }
  }

  /** `550 5.1.1 text` without the code: what goes after the reply code on the wire. */
  get line(): string {
    return `${this.enhanced} ${this.text.replace(/\p{Cc}+/gu, ' ')}`;
  }

  get permanent(): boolean {
    return this.code >= 500;
  }
}

/** Named replies (mox smtp/codes.go style); texts follow Postfix where people will search for them. */
export const Replies = {
  authRequired: () => new SmtpReply(530, '5.7.0', 'Authentication required'),
  tlsRequired: () => new SmtpReply(530, '5.7.0', 'Must issue a STARTTLS command first'),
  unknownUser: (rcpt: string) => new SmtpReply(550, '5.1.1', `<${rcpt}>: Recipient address rejected: User unknown`),
  disabledMailbox: (rcpt: string) => new SmtpReply(550, '5.2.1', `<${rcpt}>: Recipient address rejected: Mailbox disabled`),
  overQuotaTemporary: (rcpt: string) => new SmtpReply(452, '4.2.2', `<${rcpt}>: Recipient address rejected: Mailbox full`),
  overQuotaPermanent: (rcpt: string) => new SmtpReply(552, '5.2.2', `<${rcpt}>: Recipient address rejected: Mailbox full`),
  srsInvalid: (rcpt: string) => new SmtpReply(550, '5.7.1', `<${rcpt}>: Recipient address rejected: forged or expired forwarding (SRS) address`),
  senderBlocked: (rcpt: string) => new SmtpReply(550, '5.7.1', `<${rcpt}>: Recipient address rejected: the sender is on a block list`),
  greylisted: (rcpt: string, seconds: number) => new SmtpReply(450, '4.2.0', `<${rcpt}>: Recipient address rejected: Greylisted, try again in ${seconds} seconds`),
  domainRejected: (rcpt: string) => new SmtpReply(550, '5.7.1', `<${rcpt}>: Recipient address rejected: mail for this domain is not accepted here`),
  relaySyntax: (rcpt: string) => new SmtpReply(550, '5.7.1', `<${rcpt}>: Recipient address rejected: relay syntax (%, !, @, source route) is not accepted`),
  badRecipient: (rcpt: string, why: string) => new SmtpReply(501, '5.1.3', `<${rcpt}>: Bad recipient address syntax: ${why}`),
  badSender: (sender: string, why: string) => new SmtpReply(501, '5.1.7', `<${sender}>: Bad sender address syntax: ${why}`),
  senderNotOwned: (sender: string) => new SmtpReply(553, '5.7.1', `<${sender}>: Sender address rejected: not owned by user`),
  nullSenderRefused: () => new SmtpReply(553, '5.7.1', '<>: Sender address rejected: the null sender is for bounces; authenticated users send from their own address'),
  fromNotOwned: (address: string) => new SmtpReply(553, '5.7.1', `<${address}>: From: header address rejected: not owned by user`),
  fromUnreadable: () => new SmtpReply(553, '5.7.1', 'From: header rejected: it holds an address that cannot be read'),
  authzidRefused: () => new SmtpReply(535, '5.7.8', AUTHZID_REFUSED_TEXT),
  tooManyRecipients: () => new SmtpReply(452, '4.5.3', 'Too many recipients'),
  messageTooBig: (limit: number) => new SmtpReply(552, '5.3.4', `Message size exceeds fixed limit of ${limit} bytes`),
  rateLimited: () => new SmtpReply(450, '4.7.1', 'Too many messages sent in the last hour, try again later'),
  tooManyConnections: () => new SmtpReply(421, '4.7.0', 'Too many connections from your address, try again later'),
  tooManyErrors: () => new SmtpReply(421, '4.7.0', 'Too many errors, closing connection'),
  sessionTooLong: () => new SmtpReply(421, '4.4.2', 'Session time limit reached, closing connection'),
  dataTooSlow: () => new SmtpReply(421, '4.4.2', 'Message data too slow, closing connection'),
  protocolNotAllowed: () => new SmtpReply(554, '5.7.1', 'SMTP is not allowed from your network'),
  authFailed: () => new SmtpReply(535, '5.7.8', 'Authentication credentials invalid'),
  authBlocked: () => new SmtpReply(454, '4.7.0', 'Too many failed logins, try again later'),
  authDisabled: () => new SmtpReply(535, '5.7.8', 'Account disabled, contact your administrator'),
  localError: () => new SmtpReply(451, '4.3.0', 'Local error in processing, try again later'),
  /** RFC 5429 §2.1.1: a Sieve ereject refused the message for every recipient; the reason is the script's, on one line. */
  sieveRejected: (reason: string) => new SmtpReply(550, '5.7.1', `Message rejected by the recipient's mail rules: ${reason.replace(/\s+/g, ' ').trim().slice(0, 400) || 'no reason given'}`),
} as const;
