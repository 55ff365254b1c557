// What a milter (or the chain) decided about one SMTP event, as the SMTP layer consumes it, and the
// fixed replies Postfix uses where the milter gave no text. Reply texts follow Postfix's milter8.c so
// people searching logs find them.
import { SmtpReply } from '../policy/smtp-reply.js';
import { toSmtpReply, type MilterSmtpReply } from './reply-code.js';

export type MilterVerdict =
  /** Go on (the milter continued, accepted, or is out of the way). */
  | { readonly action: 'continue' }
  /** Accept the message and throw it away (from MAIL on; the client gets 250). */
  | { readonly action: 'discard'; readonly milter: string }
  /** Refuse this event with `reply` (4xx → tempfail, 5xx → reject). At connect/HELO the refusal holds
   *  for every later command of the connection. `disconnect`: send the reply and close (421). */
  | {
      readonly action: 'reject' | 'tempfail';
      readonly reply: SmtpReply;
      /** Every line of a multi-line milter reply (same code and enhanced code); `[reply.text]` otherwise. */
      readonly lines: readonly string[];
      readonly disconnect: boolean;
      readonly milter: string;
    };

export const CONTINUE: MilterVerdict = { action: 'continue' };

export function refusal(milter: string, reply: SmtpReply, lines: readonly string[] = [reply.text]): MilterVerdict {
  return { action: reply.permanent ? 'reject' : 'tempfail', reply, lines, disconnect: reply.code === 421, milter };
}

export function fromReplyCode(milter: string, parsed: MilterSmtpReply): MilterVerdict {
  return refusal(milter, toSmtpReply(parsed), parsed.lines);
}

export const MilterReplies = {
  rejected: () => new SmtpReply(550, '5.7.1', 'Command rejected'),
  tempfailed: () => new SmtpReply(451, '4.7.1', 'Service unavailable - try again later'),
  shutdown: () => new SmtpReply(421, '4.7.0', 'Service unavailable'),
  /** Default action `reject` for a milter that is down. */
  unavailable: () => new SmtpReply(550, '5.5.0', 'Service unavailable'),
} as const;
