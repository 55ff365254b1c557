// Log rows for people: a title for the events an admin meets among warnings, and field values as
// text (times as dates, not epoch ms; nested values as compact JSON). Pure.
import { formatTime } from './format.js';

const TITLES: Record<string, string> = {
  'auth.fail': 'Failed login',
  'auth.block': 'Address banned after failed logins',
  'auth.blocked': 'Login refused from a banned address',
  'admin.login.failed': 'Failed admin login',
  'admin.login.block': 'Address banned from the admin page',
  'admin.login.blocked': 'Admin login refused from a banned address',
  'smtp.refused': 'Connection refused',
  'smtp.rcpt-refused': 'Recipient refused',
  'smtp.sender-refused': 'Sender refused',
  'smtp.data-refused': 'Message refused',
  'policy.decision': 'Access rule decision',
  'policy.rule-unusable': 'An access rule cannot be used',
  'queue.deferred': 'Delivery postponed',
  'queue.bounced': 'Message bounced to the sender',
  'queue.bounce-undeliverable': 'A bounce could not be delivered',
  'queue.bounce-discarded': 'A bounce was discarded',
  'queue.dkim-failed': 'DKIM signing failed',
  'delivery.batch-failed': 'Local delivery failed',
  'sieve.failed': 'A Sieve script failed (the message was kept)',
  'milter.failed': 'A milter did not answer',
  'server.setting-invalid': 'A stored setting is invalid',
  'server.listen-failed': 'A listener could not start',
  'server.permissions-fixed': 'Data folder permissions were corrected',
  'server.admin-fallback': 'The admin page moved to another port',
};

/** `auth.fail` → "Failed login"; an event without a title reads as its words. */
export function eventTitle(event: string): string {
  return TITLES[event] ?? event.replace(/[.-]/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

/** Field names whose numbers are points in time (epoch ms). */
const TIME_FIELD = /(At|until|since|Until|Since|^ts|time|Time)$/;
/** Epoch ms after 2001: a number this large in such a field is a date. */
const EPOCH_MS_MIN = 1e12;

export function formatFieldValue(key: string, value: unknown): string {
  if (typeof value === 'number' && TIME_FIELD.test(key) && value > EPOCH_MS_MIN) return formatTime(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The fields as `[name, text]` pairs, in their order. */
export function formatFields(fields: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(fields).map(([k, v]) => [k, formatFieldValue(k, v)]);
}
