// Turns an accepted SMTP transaction into a store Delivery (DESIGN §3, §6): the shared bytes are our
// Received header followed by the message as received (CRLF-normalised); each local copy gets a
// prefix of `Return-Path` and `Delivered-To` (RFC 5321 §4.4; Postfix's local delivery order), so the
// bytes after the prefix are stored once for every local recipient. The queued copy for remote
// recipients shares the same bytes and carries no Return-Path (the final hop adds it).
//
// The Received header follows Postfix's layout, including TLS and authentication details, so tools
// that read Postfix headers read ours; it names the software without a version. `for <rcpt>` is only
// written for a single recipient, so Bcc recipients are not disclosed to each other.
import type { Delivery, LocalCopy } from '../store/index.js';
import { toCrlf } from '../mime/crlf.js';
import { describeMessage, type DescribedMessage } from './describe.js';
import type { LocalTarget, Route } from './recipients.js';

export interface TransactionInfo {
  /** The Received header's `id` (session id and transaction number). */
  id: string;
  /** Our hostname. */
  hostname: string;
  /** HELO/EHLO name as the client gave it. */
  helo: string;
  /** Reverse-DNS name of the client, or `[ip]`. */
  clientHostname: string;
  ip: string;
  /** SMTP, ESMTP, ESMTPS, ESMTPSA (RFC 3848). */
  protocol: string;
  tls: { version: string; cipher: string } | null;
  authenticatedAs: string | null;
  /** Envelope sender; '' for the null sender. */
  sender: string;
}

export interface AcceptedRecipient {
  address: string;
  route: Route;
}

export interface PreparedDelivery {
  delivery: Delivery;
  messageId: string | null;
  /** Local account addresses (after dedup) and remote recipients, for the log. */
  localAddresses: string[];
  /** The local accounts, one per copy in `delivery.local` (in order), for per-recipient Sieve. */
  targets: LocalTarget[];
  described: DescribedMessage;
  remote: string[];
}

export function receivedHeader(t: TransactionInfo, recipients: string[], date: number): string {
  const ip = t.ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
  const literal = ip.includes(':') ? `IPv6:${ip}` : ip;
  const lines = [`Received: from ${t.helo} (${t.clientHostname} [${literal}])`];
  if (t.tls) lines.push(`\t(using ${t.tls.version} with cipher ${t.tls.cipher})`);
  if (t.authenticatedAs) lines.push(`\t(Authenticated sender: ${t.authenticatedAs})`);
  const by = `\tby ${t.hostname} (Mailroom) with ${t.protocol} id ${t.id}`;
  if (recipients.length === 1) lines.push(by, `\tfor <${recipients[0]}>; ${rfc5322Date(date)}`);
  else lines.push(`${by};`, `\t${rfc5322Date(date)}`);
  return lines.join('\r\n') + '\r\n';
}

/** `Thu, 1 Jan 2026 00:00:00 +0000` (RFC 5322 §3.3), in UTC. */
export function rfc5322Date(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** `fields`: header lines (CRLF-terminated: the inbound checks' results) that go after Received, in front of `raw`. */
export function prepareDelivery(input: { raw: Buffer; fields?: string; info: TransactionInfo; recipients: AcceptedRecipient[]; now: number }): PreparedDelivery {
  const { info, now } = input;
  // The one copy of the message delivery makes: what the session kept apart is joined here.
  const head = receivedHeader(info, input.recipients.map((r) => r.address), now) + (input.fields ?? '');
  const shared = Buffer.concat([Buffer.from(head, 'utf8'), toCrlf(input.raw)]);
  const described = describeMessage(shared);

  const byAccount = new Map<number, Route['local'][number]>();
  const remote = new Map<string, string>();
  for (const r of input.recipients) {
    for (const target of r.route.local) if (!byAccount.has(target.accountId)) byAccount.set(target.accountId, target);
    for (const address of r.route.remote) if (!remote.has(address.toLowerCase())) remote.set(address.toLowerCase(), address);
  }

  const targets = [...byAccount.values()];
  const local: LocalCopy[] = targets.map((target) => described.copyFor(target, info.sender, now));

  const delivery: Delivery = { bytes: shared, local };
  if (remote.size > 0) delivery.remote = { sender: info.sender, recipients: [...remote.values()], messageId: described.messageId };
  return { delivery, messageId: described.messageId, localAddresses: targets.map((t) => t.address), remote: [...remote.values()], targets, described };
}
