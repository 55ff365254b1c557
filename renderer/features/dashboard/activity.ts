// Mail activity over time, counted from the structured log: which log events mean a message was
// received, delivered, bounced or rejected. One table here, so the dashboard's counters follow the
// event catalogue in one place.
import type { LogRow } from '../../../server/admin/contract.js';

export type ActivityKind = 'received' | 'delivered' | 'bounced' | 'rejected';

export const ACTIVITY_EVENTS: Record<ActivityKind, RegExp> = {
  // The SMTP session accepted a message (250 to DATA).
  received: /^smtp\.accepted$/,
  // Stored in a local mailbox, or handed to the next server by the queue runner.
  delivered: /^(delivery\.stored|queue\.delivered)$/,
  // The queue gave up and bounced it to the sender.
  bounced: /^queue\.bounced$/,
  // Refused by the SMTP session (connection, sender, recipient, content), and access rules below.
  rejected: /^smtp\.(refused|rcpt-refused|sender-refused|data-refused)$/,
};

export function classify(row: LogRow): ActivityKind | undefined {
  // An access rule's decision: only a reject counts (allow and require-auth let the session go on).
  if (row.event === 'policy.decision') return row.fields.action === 'reject' ? 'rejected' : undefined;
  for (const kind of Object.keys(ACTIVITY_EVENTS) as ActivityKind[]) if (ACTIVITY_EVENTS[kind].test(row.event)) return kind;
  return undefined;
}

export interface ActivityBucket extends Record<ActivityKind, number> {
  hour: string;
  start: number;
}

/** Hourly buckets ending with the current hour; `hours` buckets, oldest first. */
export function bucketActivity(rows: LogRow[], now: number, hours: number): ActivityBucket[] {
  const HOUR = 3_600_000;
  const last = Math.floor(now / HOUR) * HOUR;
  const buckets: ActivityBucket[] = [];
  for (let i = hours - 1; i >= 0; i--) {
    const start = last - i * HOUR;
    const d = new Date(start);
    buckets.push({ start, hour: `${String(d.getHours()).padStart(2, '0')}:00`, received: 0, delivered: 0, bounced: 0, rejected: 0 });
  }
  for (const row of rows) {
    const kind = classify(row);
    if (!kind) continue;
    const index = Math.floor((row.ts - buckets[0].start) / HOUR);
    if (index >= 0 && index < buckets.length) buckets[index][kind]++;
  }
  return buckets;
}

export function totals(buckets: ActivityBucket[]): Record<ActivityKind, number> {
  const sum = { received: 0, delivered: 0, bounced: 0, rejected: 0 };
  for (const b of buckets) for (const k of Object.keys(sum) as ActivityKind[]) sum[k] += b[k];
  return sum;
}
