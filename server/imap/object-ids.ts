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
import type { MailboxView } from './selected-mailbox.js';
import { ids } from './thread.js';
import type { SearchKey } from './wire/index.js';

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

/**
 * `key` with its EMAILID/THREADID keys replaced by the UIDs of the view's messages that have that id
 * (the evaluator, on a read worker, has no object ids). A CONTEXT=SEARCH update keeps the UIDs found
 * now: a message copied in later with the same EMAILID is not added to that context.
 */
export async function resolveObjectIdKeys(store: Store, view: MailboxView, key: SearchKey): Promise<SearchKey> {
  let ids: Map<number, MessageObjectIds> | undefined;
  const resolve = async (k: SearchKey): Promise<SearchKey> => {
    switch (k.type) {
      case 'and':
        return { type: 'and', keys: await Promise.all(k.keys.map(resolve)) };
      case 'or':
        return { type: 'or', left: await resolve(k.left), right: await resolve(k.right) };
      case 'not':
        return { type: 'not', key: await resolve(k.key) };
      case 'objectid': {
        ids ??= await messageObjectIds(store, view.mailboxId, Array.from(view.allUids));
        const field = k.field === 'EMAILID' ? 'emailId' : 'threadId';
        const uids = [...ids].filter(([, o]) => o[field] === k.id).map(([uid]) => uid);
        return uids.length === 0 ? NOTHING : { type: 'uid', set: uids.map((uid) => ({ from: uid, to: uid })) };
      }
      default:
        return k;
    }
  };
  return resolve(key);
}

const NOTHING: SearchKey = { type: 'not', key: { type: 'all' } };
