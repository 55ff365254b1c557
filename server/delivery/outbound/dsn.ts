// Non-delivery reports (RFC 3464 over RFC 6522 multipart/report): one message per bounced queued
// message and delivery pass, listing every recipient that failed in it, with the original header
// (text/rfc822-headers) or, when the sender asked for RET=FULL, the whole original message.
//
// Invariants:
// - Built for the envelope sender only; the caller never builds one for the null sender (a bounce
//   is never bounced, RFC 5321 §4.5.5), so reports cannot loop. The report itself goes out with the
//   null sender and `Auto-Submitted: auto-replied` (RFC 3834).
// - Every header and delivery-status line is ASCII-safe and under the RFC 5322 line limit: remote
//   replies are stripped of control characters and cut.
// - The SMTP extension's per-message/per-recipient DSN parameters (RFC 3461) come from the queue
//   row's `dsn` JSON, read leniently: an unknown shape means "defaults".
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { rfc5322Date } from '../prepare.js';
import type { RecipientResult } from './results.js';
import { headerEnd } from './dkim.js';

/** What the SMTP listener stores in a queue row's `dsn` column (RFC 3461 parameters). */
export const DsnParamsSchema = z.object({
  /** MAIL FROM RET=: return the full message or the headers only. */
  ret: z.enum(['FULL', 'HDRS']).optional(),
  /** MAIL FROM ENVID=, decoded from xtext. */
  envid: z.string().optional(),
  /** RCPT TO NOTIFY=: `NEVER`, or any of `SUCCESS`, `FAILURE`, `DELAY`. */
  notify: z.array(z.enum(['NEVER', 'SUCCESS', 'FAILURE', 'DELAY'])).optional(),
  /** RCPT TO ORCPT=, as `rfc822;addr`. */
  orcpt: z.string().optional(),
});

export type DsnParams = z.infer<typeof DsnParamsSchema>;

export function readDsnParams(value: unknown): DsnParams {
  const parsed = DsnParamsSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : {};
}

/** Whether the sender wants to hear about a failure (no NOTIFY = the default, which is yes). */
export function wantsFailureNotice(params: DsnParams): boolean {
  return params.notify === undefined || params.notify.includes('FAILURE');
}

export interface BounceReport {
  /** Our hostname: Reporting-MTA and the From address's domain. */
  hostname: string;
  /** The queue row's id; null for a notice made at delivery time (Sieve ereject), which has none. */
  queueId: string | null;
  /** The envelope sender the report goes to. */
  sender: string;
  arrivalDate: number;
  now: number;
  failed: Array<{ result: RecipientResult; orcpt?: string; lastAttemptAt: number }>;
  original: Buffer;
  returnFull: boolean;
  envid?: string;
}

const LINE_LIMIT = 900;

export function buildDsn(report: BounceReport): { bytes: Buffer; messageId: string } {
  const tag = report.queueId ?? 'dsn';
  const boundary = `${tag}.${randomBytes(6).toString('hex')}/${report.hostname}`;
  const messageId = `<${tag}.${randomBytes(8).toString('hex')}@${report.hostname}>`;
  const date = rfc5322Date(report.now);
  const expired = report.failed.some((f) => f.result.status === '4.4.7');

  const header = [
    `From: Mail Delivery System <MAILER-DAEMON@${report.hostname}>`,
    `To: <${report.sender}>`,
    `Subject: ${expired ? 'Undelivered Mail Returned to Sender (delivery time expired)' : 'Undelivered Mail Returned to Sender'}`,
    `Date: ${date}`,
    `Message-ID: ${messageId}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary="${boundary}"`,
    'Content-Description: Undelivered Mail Returned to Sender',
  ];

  const human = [
    `This is the mail system at host ${report.hostname}.`,
    '',
    "I'm sorry to have to inform you that your message could not",
    'be delivered to one or more recipients. It is attached below.',
    '',
    'The mail system',
    '',
    ...report.failed.map((f) => clean(`<${f.result.recipient}>: ${f.result.remoteMta && f.result.fromRemote ? `host ${f.result.remoteMta} said: ` : ''}${f.result.diagnostic}`)),
  ];

  const perMessage = [
    `Reporting-MTA: dns; ${report.hostname}`,
    ...(report.queueId === null ? [] : [`X-Mailroom-Queue-ID: ${report.queueId}`]),
    ...(report.envid ? [`Original-Envelope-Id: ${clean(report.envid)}`] : []),
    `Arrival-Date: ${rfc5322Date(report.arrivalDate)}`,
  ];
  const perRecipient = report.failed.map((f) =>
    [
      ...(f.orcpt ? [`Original-Recipient: ${clean(f.orcpt.includes(';') ? f.orcpt : `rfc822; ${f.orcpt}`)}`] : []),
      `Final-Recipient: rfc822; ${clean(f.result.recipient)}`,
      'Action: failed',
      `Status: ${f.result.status}`,
      ...(f.result.remoteMta ? [`Remote-MTA: dns; ${clean(f.result.remoteMta)}`] : []),
      `Diagnostic-Code: ${f.result.fromRemote ? 'smtp' : 'X-Mailroom'}; ${clean(f.result.diagnostic)}`,
      `Last-Attempt-Date: ${rfc5322Date(f.lastAttemptAt)}`,
    ].join('\r\n'),
  );

  const originalPart = report.returnFull ? report.original : report.original.subarray(0, headerEnd(report.original));
  const eightBit = originalPart.some((b) => b >= 0x80);
  const parts = [
    Buffer.from(
      [
        `--${boundary}`,
        'Content-Description: Notification',
        'Content-Type: text/plain; charset=us-ascii',
        '',
        ...human,
        '',
        `--${boundary}`,
        'Content-Description: Delivery report',
        'Content-Type: message/delivery-status',
        '',
        [perMessage.join('\r\n'), ...perRecipient].join('\r\n\r\n'),
        '',
        `--${boundary}`,
        `Content-Description: ${report.returnFull ? 'Undelivered Message' : 'Undelivered Message Headers'}`,
        `Content-Type: ${report.returnFull ? 'message/rfc822' : 'text/rfc822-headers'}`,
        ...(eightBit ? ['Content-Transfer-Encoding: 8bit'] : []),
        '',
        '',
      ].join('\r\n'),
      'utf8',
    ),
    originalPart,
    Buffer.from(`${originalPart.subarray(-2).toString('latin1') === '\r\n' ? '' : '\r\n'}\r\n--${boundary}--\r\n`, 'latin1'),
  ];
  return { bytes: Buffer.concat([Buffer.from(header.join('\r\n') + '\r\n\r\n', 'utf8'), ...parts]), messageId };
}

/** Printable ASCII on one line, cut to fit a header line. */
function clean(text: string): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e]/g, '?').trim();
  return flat.length > LINE_LIMIT ? `${flat.slice(0, LINE_LIMIT)}...` : flat;
}
