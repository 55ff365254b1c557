// The messages Sieve makes (RFC 3834 automatic responses): the rejection notice of reject/ereject
// (RFC 5429 §2.1: an MDN, RFC 8098, with disposition "deleted") and the vacation reply (RFC 5230
// §5). Both carry Auto-Submitted: auto-replied, so other responders leave them alone, and go out
// with the null envelope sender (RFC 5429 §2.1.1, RFC 5230 §5.1 recommends it for vacation too:
// a bounce of an out-of-office reply must not come back to the user).
//
// Invariants: headers are ASCII (non-ASCII text as RFC 2047 encoded words, bodies as base64
// UTF-8), lines stay under the RFC 5322 limit, and a Message-ID is always set.
import { randomBytes } from 'node:crypto';
import { rfc5322Date } from '../prepare.js';
import { headerEnd } from '../outbound/dkim.js';

export interface BuiltMessage {
  bytes: Buffer;
  messageId: string;
}

const ASCII = /^[\x20-\x7e]*$/;

/** A header value as encoded words where it is not printable ASCII. */
export function headerText(text: string): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  if (ASCII.test(flat)) return flat;
  const words: string[] = [];
  let chunk = '';
  for (const ch of flat) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk !== '') words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

function textBody(text: string): string[] {
  const crlf = text.replace(/\r?\n/g, '\r\n');
  if (ASCII.test(crlf.replace(/\r\n/g, '')) && crlf.split('\r\n').every((l) => l.length <= 998)) {
    return ['Content-Type: text/plain; charset=us-ascii', 'Content-Transfer-Encoding: 7bit', '', crlf];
  }
  const b64 = Buffer.from(crlf, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
  return ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', b64];
}

const newMessageId = (hostname: string) => `<${Date.now().toString(36)}.${randomBytes(8).toString('hex')}@${hostname}>`;

export interface RejectNotice {
  hostname: string;
  /** The envelope sender the notice goes to. */
  to: string;
  /** The recipient whose script rejected the message. */
  recipient: string;
  reason: string;
  original: Buffer;
  originalMessageId: string | null;
  now: number;
}

export function buildRejectNotice(n: RejectNotice): BuiltMessage {
  const messageId = newMessageId(n.hostname);
  const boundary = `reject.${randomBytes(8).toString('hex')}`;
  const headers = n.original.subarray(0, headerEnd(n.original));
  const head = [
    `From: Mail Delivery System <MAILER-DAEMON@${n.hostname}>`,
    `To: <${n.to}>`,
    'Subject: Automatically rejected mail',
    `Date: ${rfc5322Date(n.now)}`,
    `Message-ID: ${messageId}`,
    'Auto-Submitted: auto-replied (rejected)',
    'Precedence: bulk',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=disposition-notification;\r\n\tboundary="${boundary}"`,
  ];
  const mdn = [
    `Reporting-UA: ${n.hostname}; Mailroom`,
    `Final-Recipient: rfc822; ${n.recipient}`,
    ...(n.originalMessageId !== null ? [`Original-Message-ID: ${n.originalMessageId}`] : []),
    'Disposition: automatic-action/MDN-sent-automatically; deleted',
  ];
  const text = `Your message to <${n.recipient}> was automatically rejected:\r\n\r\n${n.reason}\r\n`;
  const parts = Buffer.from(
    [
      ...head,
      '',
      'This is a MIME-encapsulated message.',
      '',
      `--${boundary}`,
      ...textBody(text),
      `--${boundary}`,
      'Content-Type: message/disposition-notification',
      '',
      ...mdn,
      '',
      `--${boundary}`,
      'Content-Type: text/rfc822-headers',
      ...(headers.some((b) => b >= 0x80) ? ['Content-Transfer-Encoding: 8bit'] : []),
      '',
      '',
    ].join('\r\n'),
    'utf8',
  );
  return { bytes: Buffer.concat([parts, headers, Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1')]), messageId };
}

export interface VacationReply {
  hostname: string;
  from: string;
  to: string;
  subject: string;
  inReplyTo: string | null;
  references: string | null;
  /** Plain text, or with `mime` a MIME entity (headers and body) as the script gave it. */
  body: string;
  mime: boolean;
  now: number;
}

export function buildVacationReply(r: VacationReply): BuiltMessage {
  const messageId = newMessageId(r.hostname);
  const head = [
    `From: ${r.from.includes('<') ? r.from : `<${r.from}>`}`,
    `To: <${r.to}>`,
    `Subject: ${headerText(r.subject)}`,
    `Date: ${rfc5322Date(r.now)}`,
    `Message-ID: ${messageId}`,
    ...(r.inReplyTo !== null ? [`In-Reply-To: ${r.inReplyTo}`] : []),
    ...(r.references !== null ? [`References: ${r.references}`] : []),
    'Auto-Submitted: auto-replied',
    'Precedence: bulk',
    'MIME-Version: 1.0',
  ];
  const body = r.mime ? [r.body.replace(/\r?\n/g, '\r\n')] : textBody(r.body);
  return { bytes: Buffer.from([...head, ...body].join('\r\n').replace(/(?<!\r\n)$/, '\r\n'), 'utf8'), messageId };
}
