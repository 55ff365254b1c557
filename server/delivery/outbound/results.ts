// What one delivery attempt concluded for one recipient, and how replies and failures map to it.
// The classes follow RFC 5321 §4.2.1 (2xx done, 4xx try again, 5xx give up); the DSN status is the
// reply's enhanced code (RFC 3463) when it has one, else the class with ".0.0". Failures that never
// reached a remote reply carry our own code and text so the DSN and the queue listing can say why.
export type Outcome = 'sent' | 'temporary' | 'permanent';

export interface RecipientResult {
  recipient: string;
  outcome: Outcome;
  /** RFC 3463 status, e.g. `5.1.1`. */
  status: string;
  /** The remote reply (`550 5.1.1 <x>: no such user`) or our own explanation. */
  diagnostic: string;
  /** Whether `diagnostic` is a reply from the remote server (DSN `Diagnostic-Code: smtp;`). */
  fromRemote: boolean;
  /** Name of the server that answered, for the log and the DSN's Remote-MTA. */
  remoteMta: string | null;
}

const ENHANCED = /^[245]\d{2}[ -]([245]\.\d{1,3}\.\d{1,3})\b/;

/** A recipient's result from an SMTP reply line (multi-line replies are joined with spaces). */
export function fromReply(recipient: string, reply: string, remoteMta: string): RecipientResult {
  const text = reply.replace(/\r?\n/g, ' ').trim();
  const code = Number(text.slice(0, 3));
  const klass = code >= 200 && code < 300 ? 2 : code >= 500 && code < 600 ? 5 : 4;
  const enhanced = ENHANCED.exec(text)?.[1];
  const status = enhanced !== undefined && Number(enhanced[0]) === klass ? enhanced : `${klass}.0.0`;
  return {
    recipient,
    outcome: klass === 2 ? 'sent' : klass === 5 ? 'permanent' : 'temporary',
    status,
    diagnostic: text,
    fromRemote: true,
    remoteMta,
  };
}

/** A result we decide ourselves (DNS, routing, connection failures, lifetime). */
export function localResult(recipient: string, outcome: Exclude<Outcome, 'sent'>, status: string, diagnostic: string, remoteMta: string | null = null): RecipientResult {
  return { recipient, outcome, status, diagnostic, fromRemote: false, remoteMta };
}

/** Standard statuses we use for failures without a remote reply (RFC 3463 §3). */
export const Status = {
  /** No answer from host / connection refused. */
  NO_ANSWER: '4.4.1',
  /** Bad connection (dropped mid-session). */
  BAD_CONNECTION: '4.4.2',
  /** Directory server failure (DNS). */
  DNS_TEMPORARY: '4.4.3',
  /** Bad destination system address (NXDOMAIN). */
  NO_SUCH_DOMAIN: '5.1.2',
  /** Null MX: the domain accepts no mail (RFC 7505 §4.2). */
  NULL_MX: '5.1.10',
  /** Routing loop detected: the MX is this server. */
  LOOP: '5.4.6',
  /** Delivery time expired (queue lifetime). */
  EXPIRED: '4.4.7',
  /** Message too big for the remote system. */
  TOO_BIG: '5.3.4',
  /** Delivery not authorized (transport table says reject). */
  REFUSED: '5.7.1',
  /** Bad destination mailbox address. */
  NO_SUCH_USER: '5.1.1',
  /** Mailbox disabled. */
  DISABLED: '5.2.1',
  /** Mailbox full. */
  MAILBOX_FULL: '4.2.2',
} as const;
