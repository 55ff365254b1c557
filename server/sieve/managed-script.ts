// The Sieve script Mailroom writes for an account from the out-of-office and forwarding settings
// the admin GUI and `mailroom user vacation|forward` keep (issue 15). It runs as the account's
// "managed" stage, before the user's own active script, so a hand-written script is never touched.
//
// Invariants: the text always compiles (strings are escaped; the tests compile every shape); an
// out-of-office with start/end dates answers only between them (currentdate, both days included, in
// UTC); forwarding without a local copy is plain `redirect` (which cancels the implicit keep), with
// one `redirect :copy` per address otherwise; at most MAX_REDIRECTS addresses.

import { MAX_REDIRECTS, VACATION_MAX_PERIOD } from './limits.js';

export const MAX_FORWARD_ADDRESSES = MAX_REDIRECTS;
export const MAX_VACATION_DAYS = VACATION_MAX_PERIOD / 86_400;

export interface ManagedVacation {
  subject: string;
  text: string;
  /** An HTML version sent beside the text one (multipart/alternative). */
  html: string | null;
  /** First and last day (YYYY-MM-DD, UTC) of the absence; null: from now on / until turned off. */
  start: string | null;
  end: string | null;
  /** Answer one sender at most once in this many days. */
  days: number;
  /** Other addresses of the user that count as "addressed to me" (aliases). */
  addresses: string[];
}

export interface ManagedForward {
  to: string[];
  keepCopy: boolean;
}

export interface ManagedRules {
  vacation: ManagedVacation | null;
  forward: ManagedForward | null;
}

export const NO_RULES: ManagedRules = { vacation: null, forward: null };

/** A Sieve quoted string (RFC 5228 §2.4.2: only " and \ are escaped). */
export function sieveString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const list = (values: readonly string[]) => `[${values.map(sieveString).join(', ')}]`;

function base64Lines(text: string): string {
  return Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
}

/** The :mime reason for a text and HTML answer. */
function mimeReason(v: ManagedVacation & { html: string }): string {
  const boundary = 'mailroom-vacation-alternative';
  return [
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(v.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(v.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

function vacationCommand(v: ManagedVacation): string {
  const tags = [`:days ${v.days}`, `:subject ${sieveString(v.subject)}`];
  if (v.addresses.length > 0) tags.push(`:addresses ${list(v.addresses)}`);
  if (v.html !== null) tags.push(':mime');
  const reason = v.html !== null ? mimeReason({ ...v, html: v.html }) : v.text;
  return `vacation ${tags.join(' ')}\n  ${sieveString(reason)};`;
}

/** The script for `rules`, or null when there is nothing to do. */
export function managedScript(rules: ManagedRules): string | null {
  const { vacation, forward } = rules;
  if (vacation === null && forward === null) return null;
  const requires = new Set<string>();
  const body: string[] = [];
  if (vacation !== null) {
    requires.add('vacation');
    const when: string[] = [];
    if (vacation.start !== null) when.push(`currentdate :zone "+0000" :value "ge" "date" ${sieveString(vacation.start)}`);
    if (vacation.end !== null) when.push(`currentdate :zone "+0000" :value "le" "date" ${sieveString(vacation.end)}`);
    if (when.length > 0) {
      requires.add('date');
      requires.add('relational');
      body.push('# Out of office', `if allof (${when.join(', ')}) {`, `  ${vacationCommand(vacation).replace(/\n/g, '\n  ')}`, '}');
    } else body.push('# Out of office', vacationCommand(vacation));
  }
  if (forward !== null && forward.to.length > 0) {
    if (forward.keepCopy) requires.add('copy');
    body.push(`# Forwarding${forward.keepCopy ? ', keeping a copy here' : ''}`, ...forward.to.map((to) => `redirect${forward.keepCopy ? ' :copy' : ''} ${sieveString(to)};`));
  }
  return [
    '# Managed by Mailroom (out-of-office and forwarding): change it in the admin GUI or with',
    '# `mailroom user vacation|forward`; it runs before your own active script, which is kept.',
    ...(requires.size > 0 ? [`require ${list([...requires])};`] : []),
    ...body,
    '',
  ].join('\n');
}
