// The catalogue of log events that count as mail activity (issue 18): which event adds to which
// counter. Shared by the store (which keeps hourly counters in the same transaction as the log rows),
// the admin contract and the GUI (which adds live rows to its chart) — browser-safe: no imports.
// Event names are the log's stable names (DESIGN "Logging"); a new counted event is one line here.

export const ACTIVITY_KINDS = ['received', 'delivered', 'deferred', 'bounced', 'rejected', 'authFailures'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** Each counted log event and the counter it adds one to. */
export const COUNTED_EVENTS = {
  // The SMTP session accepted a message (250 to DATA).
  'smtp.accepted': 'received',
  // Stored in a local mailbox, or handed to the next server by the queue runner.
  'delivery.stored': 'delivered',
  'queue.delivered': 'delivered',
  // A delivery attempt failed for now; the queue tries again later.
  'queue.deferred': 'deferred',
  // The queue gave up and bounced it to the sender.
  'queue.bounced': 'bounced',
  // Refused by the SMTP session: connection, sender, recipient, content.
  'smtp.refused': 'rejected',
  'smtp.rcpt-refused': 'rejected',
  'smtp.sender-refused': 'rejected',
  'smtp.data-refused': 'rejected',
  // A wrong password on any protocol (one authenticator), or at the admin page.
  'auth.fail': 'authFailures',
  'admin.login.failed': 'authFailures',
} as const satisfies Record<string, ActivityKind>;

export type CountedEvent = keyof typeof COUNTED_EVENTS;

/** The counter a log row adds to, if any. An access rule's decision counts only when it rejects. */
export function activityKindOf(row: { event: string; fields: Record<string, unknown> }): ActivityKind | undefined {
  if (row.event === 'policy.decision') return row.fields.action === 'reject' ? 'rejected' : undefined;
  return Object.hasOwn(COUNTED_EVENTS, row.event) ? COUNTED_EVENTS[row.event as CountedEvent] : undefined;
}

export const HOUR_MS = 3_600_000;

/** The start of the (UTC) hour holding `ts`: the key of an hourly counter. */
export function hourOf(ts: number): number {
  return Math.floor(ts / HOUR_MS) * HOUR_MS;
}

export type ActivityCounts = Record<ActivityKind, number>;

export function emptyCounts(): ActivityCounts {
  return { received: 0, delivered: 0, deferred: 0, bounced: 0, rejected: 0, authFailures: 0 };
}
