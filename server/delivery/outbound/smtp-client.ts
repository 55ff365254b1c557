// One SMTP transaction to one next-hop address with nodemailer's SMTP client (DESIGN §6): dial
// through the injected dialer, EHLO, STARTTLS (opportunistic to MX hosts, required or implicit to a
// relay host as configured), AUTH when the hop has credentials, then MAIL/RCPT/DATA (pipelined when
// the server offers PIPELINING). Returns each recipient's result, or `unreachable` when the session
// failed before the server answered the envelope, so the caller tries the next hop (RFC 5321 §5.1).
//
// Invariants:
// - Nothing here touches the store; the caller turns results into queue changes.
// - A failure without a server reply after the envelope started (timeout, dropped connection) is
//   `unreachable` too: the message may or may not have arrived, and retrying is the at-least-once
//   choice (a duplicate beats a loss).
// - Aborting (the runner stopping) closes the connection at once; the caller leaves the rows for
//   the next start.
import { connect as netConnect, type Socket } from 'node:net';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { fromReply, localResult, Status, type RecipientResult } from './results.js';

/** Opens a TCP connection; tests inject one that maps port 25 to a fake server's port. */
export type Dialer = (target: { host: string; port: number }) => Promise<Socket>;

export type HopTls = 'opportunistic' | 'starttls' | 'implicit' | 'none';

export interface SmtpHop {
  /** Host name: the TLS identity checked when `verify`, and what logs and DSNs name. */
  host: string;
  /** What to dial: an IP address (or the host name itself for the system's resolution). */
  address: string;
  port: number;
  tls: HopTls;
  /** Verify the server certificate against the trusted CAs (relay hosts); MX hosts are not verified. */
  verify: boolean;
  auth?: { user: string; pass: string };
}

export interface SmtpTransaction {
  /** '' for the null sender (bounces). */
  sender: string;
  recipients: string[];
  bytes: Buffer;
}

export type HopOutcome = { kind: 'unreachable'; error: string } | { kind: 'done'; results: RecipientResult[] };

export interface SmtpClientOptions {
  dialer: Dialer;
  /** Our name in EHLO. */
  heloName: string;
  /** Extra trusted CAs for verified hops (tests pass a fake server's certificate). */
  ca?: string | string[];
  timeouts?: Partial<SmtpTimeouts>;
  signal?: AbortSignal;
}

export interface SmtpTimeouts {
  connectMs: number;
  greetingMs: number;
  socketMs: number;
}

// Postfix's smtp_connect_timeout / smtp_helo_timeout are 30 s and 300 s; a small office's queue is
// better served by giving up on a silent host sooner and retrying later.
export const DEFAULT_TIMEOUTS: SmtpTimeouts = { connectMs: 30_000, greetingMs: 60_000, socketMs: 5 * 60_000 };

export const netDialer: Dialer = ({ host, port }) =>
  new Promise((resolve, reject) => {
    const socket = netConnect({ host, port });
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });

interface SmtpError extends Error {
  code?: string;
  response?: string;
  responseCode?: number;
  command?: string;
  recipient?: string;
  rejectedErrors?: SmtpError[];
}

export async function sendOverSmtp(hop: SmtpHop, tx: SmtpTransaction, options: SmtpClientOptions): Promise<HopOutcome> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  if (options.signal?.aborted) return { kind: 'unreachable', error: 'delivery stopped' };
  let socket: Socket;
  const dialing = options.dialer({ host: hop.address, port: hop.port });
  try {
    socket = await withTimeout(dialing, timeouts.connectMs, 'timed out');
  } catch (error) {
    dialing.then((late) => late.destroy(), () => {});
    return { kind: 'unreachable', error: `connect to ${hop.host}[${hop.address}]:${hop.port}: ${(error as Error).message}` };
  }

  const conn = new SMTPConnection({
    connection: socket,
    host: hop.host,
    port: hop.port,
    secure: hop.tls === 'implicit',
    requireTLS: hop.tls === 'starttls',
    ignoreTLS: hop.tls === 'none',
    opportunisticTLS: hop.tls === 'opportunistic',
    name: options.heloName,
    tls: { rejectUnauthorized: hop.verify, ...(options.ca !== undefined ? { ca: options.ca } : {}) },
    connectionTimeout: timeouts.connectMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
    logger: false,
  });
  // Every later step races this: nodemailer reports session failures as an 'error' event (and a
  // server that just hangs up as 'end'), not always through the pending callback.
  // The listeners stay for the connection's life: a late second 'error' must not go unhandled.
  const failed = new Promise<never>((_, reject) => {
    conn.on('error', reject);
    conn.on('end', () => reject(new Error('connection closed by the server')));
  });
  failed.catch(() => {});
  const onAbort = () => conn.close();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const where = `${hop.host}[${hop.address}]:${hop.port}`;
  let envelopeStarted = false;
  try {
    await Promise.race([new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve()))), failed]);
    if (hop.auth) {
      const auth = hop.auth;
      await Promise.race([new Promise<void>((resolve, reject) => conn.login({ user: auth.user, pass: auth.pass }, (err) => (err ? reject(err) : resolve()))), failed]);
    }
    envelopeStarted = true;
    const info = await Promise.race([
      new Promise<SMTPConnection.SentMessageInfo>((resolve, reject) =>
        conn.send(
          { from: tx.sender, to: tx.recipients, size: tx.bytes.length, use8BitMime: has8bit(tx.bytes) },
          tx.bytes,
          (err, result) => (err ? reject(err) : resolve(result!)),
        ),
      ),
      failed,
    ]);
    conn.quit();
    return { kind: 'done', results: resultsFromInfo(tx.recipients, info, hop.host) };
  } catch (error) {
    // A failed handshake surfaces as a socket error while `upgrading` is still set.
    const tlsFailed = (error as SmtpError).code === 'ETLS' || conn.upgrading === true;
    conn.close();
    const e = error as SmtpError;
    if (options.signal?.aborted) return { kind: 'unreachable', error: 'delivery stopped' };
    if (envelopeStarted && e.responseCode) return { kind: 'done', results: resultsFromError(tx.recipients, e, hop.host) };
    // Opportunistic TLS that cannot be negotiated (an old or broken server) falls back to a plain
    // session, as Postfix's `may` level does; a required one never does.
    if (!envelopeStarted && tlsFailed && hop.tls === 'opportunistic') return sendOverSmtp({ ...hop, tls: 'none' }, tx, options);
    if (envelopeStarted && e.code === 'EMESSAGE' && !e.responseCode) {
      return { kind: 'done', results: tx.recipients.map((r) => localResult(r, 'permanent', Status.TOO_BIG, `${where}: ${e.message}`, hop.host)) };
    }
    const stage = envelopeStarted ? 'lost connection during the transaction' : e.command === 'AUTH PLAIN' || e.command === 'AUTH LOGIN' ? 'authentication failed' : 'session failed';
    return { kind: 'unreachable', error: `${where}: ${stage}: ${(e.response ?? e.message).trim()}` };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function resultsFromInfo(recipients: string[], info: SMTPConnection.SentMessageInfo, mta: string): RecipientResult[] {
  const rejected = new Map<string, SmtpError>();
  for (const e of (info.rejectedErrors ?? []) as SmtpError[]) if (e.recipient) rejected.set(e.recipient, e);
  return recipients.map((r) => {
    const e = rejected.get(r);
    if (e?.response) return fromReply(r, e.response, mta);
    return fromReply(r, info.response, mta);
  });
}

/** MAIL refused → everyone gets that reply; all RCPTs refused → each its own; DATA refused → everyone. */
function resultsFromError(recipients: string[], error: SmtpError, mta: string): RecipientResult[] {
  const rejected = new Map<string, SmtpError>();
  for (const e of error.rejectedErrors ?? []) if (e.recipient) rejected.set(e.recipient, e);
  return recipients.map((r) => fromReply(r, rejected.get(r)?.response ?? error.response ?? `${error.responseCode} ${error.message}`, mta));
}

function has8bit(bytes: Buffer): boolean {
  for (const b of bytes) if (b >= 0x80) return true;
  return false;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
