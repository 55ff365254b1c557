// SAVEDATE (RFC 8514): the moment a message was saved in its current mailbox. The store keeps it per
// message row (`save_date`), set by delivery, APPEND, COPY and MOVE (a copy is a new save) and kept by
// flag changes; rows stored before the column existed have none.
//
// - FETCH SAVEDATE gives NIL for a message without one (§4.1 allows NIL when it is not known).
// - SAVEDBEFORE/SAVEDON/SAVEDSINCE compare the save date's calendar day in UTC, as BEFORE/ON/SINCE do
//   for INTERNALDATE; a message without a save date is compared by its INTERNALDATE instead (§4.3).
//   They are answered by the store (one range query) and become a UID set before the search runs
//   (search-keys.ts), since the evaluator's rows do not carry save dates.
// - SAVEDATESUPPORTED matches every message: every mailbox keeps save dates (the grammar makes it ALL).
import type { Store } from '../store/index.js';
import type { MailboxView } from './selected-mailbox.js';
import type { DateComparison } from './wire/index.js';

const DAY_MS = 86_400_000;

/** The save dates of the given UIDs that exist (null: not known), by UID. */
export async function messageSaveDates(store: Store, mailboxId: number, uids: readonly number[]): Promise<Map<number, number | null>> {
  const rows = await store.saveDates.of(mailboxId, uids);
  return new Map(rows.map((r) => [r.uid, r.saveDate]));
}

/** The view's messages whose save date's UTC day is before, on or since `date` (YYYY-MM-DD), ascending. */
export async function savedUids(store: Store, view: MailboxView, comparison: DateComparison, date: string): Promise<number[]> {
  const start = Date.parse(`${date}T00:00:00Z`);
  const [from, to] = comparison === 'before' ? [null, start] : comparison === 'on' ? [start, start + DAY_MS] : [start, null];
  const uids = await store.saveDates.uidsBetween(view.mailboxId, from, to);
  return uids.filter((uid) => view.seqOf(uid) !== 0);
}
