// SMFIR_REPLYCODE text → an SMTP reply (libmilter's smfi_setreply / smfi_setmlreply).
//
// Invariants (as Postfix's milter8_valid_smtp_reply checks them):
// - Every line is `ddd-text` (more lines follow, joined by CRLF) or `ddd text` (the last line), with a
//   4xx or 5xx code; every line carries the same code.
// - An enhanced status code (RFC 3463) is recognised at the start of the first line's text only when
//   its class digit equals the reply code's; it is then stripped from every line that repeats it.
// - Sendmail uses the text as a format string, so milters double their `%`: `%%` becomes `%` and a
//   lone `%` is dropped.
// Anything else is not a reply a milter may send, and the caller treats it as a protocol error.
import { SmtpReply } from '../policy/smtp-reply.js';

export interface MilterSmtpReply {
  readonly code: number;
  /** The RFC 3463 code from the first line, or null when the milter gave none. */
  readonly enhanced: string | null;
  /** The text of each line, without code and enhanced code. */
  readonly lines: readonly string[];
}

const LINE = /^([45]\d\d)([- ])(.*)$/s;
const ENHANCED = /^([245]\.\d{1,3}\.\d{1,3})(?: |$)/;

export function parseReplyCode(text: string): MilterSmtpReply | null {
  const rawLines = text.split('\r\n');
  let code: string | null = null;
  let enhanced: string | null = null;
  const lines: string[] = [];
  for (const [i, raw] of rawLines.entries()) {
    const match = LINE.exec(raw);
    if (!match || /[\r\n\0]/.test(raw)) return null;
    const [, lineCode, separator, rest] = match;
    const last = i === rawLines.length - 1;
    if (separator !== (last ? ' ' : '-')) return null;
    if (code !== null && lineCode !== code) return null;
    code = lineCode;
    let lineText = rest;
    const lineEnhanced = ENHANCED.exec(rest)?.[1];
    if (lineEnhanced !== undefined && lineEnhanced[0] === code[0] && (i === 0 || lineEnhanced === enhanced)) {
      if (i === 0) enhanced = lineEnhanced;
      lineText = rest.slice(lineEnhanced.length).trimStart();
    } else if (i === 0 && /^\d/.test(rest) && rest[0] !== code[0] && ENHANCED.test(rest)) {
      return null;
    }
    lines.push(unescapePercent(lineText));
  }
  return code === null ? null : { code: Number(code), enhanced, lines };
}

/** The reply as the SMTP layer writes one: the enhanced code defaults to `x.7.1` like a policy refusal. */
export function toSmtpReply(reply: MilterSmtpReply): SmtpReply {
  const enhanced = reply.enhanced ?? `${String(reply.code)[0]}.7.1`;
  return new SmtpReply(reply.code, enhanced, reply.lines.join(' ').trim() || 'Command rejected');
}

function unescapePercent(text: string): string {
  return text.replace(/%(%?)/g, '$1');
}
