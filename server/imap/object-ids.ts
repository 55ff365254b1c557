// OBJECTID (RFC 8474): MAILBOXID, EMAILID and THREADID.
//
// - MAILBOXID is the mailbox row's id with its UIDVALIDITY: RENAME keeps both (§4), and a row id that
//   SQLite hands out again after a DELETE comes with a new UIDVALIDITY, so no id names two mailboxes.
// - EMAILID is the store's (store/object-ids.ts): the same for a message's COPY/MOVE copies.
// - THREADID names the thread's root: the first Message-ID of References, else In-Reply-To, else the
//   message's own Message-ID, so a reply and the message it answers (and theirs) share it; a message
//   with none of these is a thread of its own (its EMAILID's). This is not REFERENCES threading (no
//   subject merging), but it is stable: a message's THREADID never changes (§5.2).
import { createHash } from 'node:crypto';
import type { Store } from '../store/index.js';
import { headerValues } from './header-text.js';
import { fillSearchHeaders } from './search.js';
import { ids } from './thread.js';

export interface MessageObjectIds {
  emailId: string;
  threadId: string;
}

export function mailboxObjectId(mailbox: { id: number; uidValidity: number }): string {
  return `F${mailbox.id}-${mailbox.uidValidity}`;
}

/** Hex digits of a THREADID after its letter (as EMAILID's). */
const THREADID_HEX = 24;

/** The THREADID of a message with this cached header text (lower-cased, so ids compare case-insensitively). */
export function threadIdOf(headers: string, emailId: string): string {
  const root = ids(headerValues(headers, 'references').join(' '))[0] ?? ids(headerValues(headers, 'in-reply-to')[0])[0] ?? ids(headerValues(headers, 'message-id')[0])[0];
  return `T${createHash('sha256').update(root ?? emailId).digest('hex').slice(0, THREADID_HEX)}`;
}

/** The object ids of the given UIDs that exist, by UID. */
export async function messageObjectIds(store: Store, mailboxId: number, uids: readonly number[]): Promise<Map<number, MessageObjectIds>> {
  const rows = await store.objectIds.rows(mailboxId, uids);
  await fillSearchHeaders(store, mailboxId, rows);
  return new Map(rows.map((r) => [r.uid, { emailId: r.emailId, threadId: threadIdOf(r.searchHeaders ?? '', r.emailId) }]));
}

/** The UIDs among `ids` whose EMAILID or THREADID is `id`, ascending. */
export function objectIdUids(ids: ReadonlyMap<number, MessageObjectIds>, field: 'EMAILID' | 'THREADID', id: string): number[] {
  const name = field === 'EMAILID' ? 'emailId' : 'threadId';
  return [...ids].filter(([, o]) => o[name] === id).map(([uid]) => uid);
}
