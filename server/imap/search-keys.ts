// Search keys the evaluator cannot answer from the rows it reads (on a read worker): EMAILID/THREADID
// (RFC 8474, object-ids.ts) and SAVEDBEFORE/SAVEDON/SAVEDSINCE (RFC 8514, save-date.ts). Before a
// SEARCH, SORT or THREAD runs, each is replaced by the UIDs of the view's messages that match it, read
// from the store once per command.
//
// A CONTEXT=SEARCH update keeps the UIDs found then: a message arriving later is not added by such a
// key (a new message's save date is today, so SAVEDSINCE today would have matched it).
import type { Store } from '../store/index.js';
import { messageObjectIds, objectIdUids, type MessageObjectIds } from './object-ids.js';
import { savedUids } from './save-date.js';
import type { MailboxView } from './selected-mailbox.js';
import type { SearchKey } from './wire/index.js';

const NOTHING: SearchKey = { type: 'not', key: { type: 'all' } };

function uidKey(uids: readonly number[]): SearchKey {
  return uids.length === 0 ? NOTHING : { type: 'uid', set: uids.map((uid) => ({ from: uid, to: uid })) };
}

/** `key` with its object-id and save-date keys replaced by UID sets. */
export async function resolveStoreKeys(store: Store, view: MailboxView, key: SearchKey): Promise<SearchKey> {
  let ids: Map<number, MessageObjectIds> | undefined;
  const resolve = async (k: SearchKey): Promise<SearchKey> => {
    switch (k.type) {
      case 'and':
        return { type: 'and', keys: await Promise.all(k.keys.map(resolve)) };
      case 'or':
        return { type: 'or', left: await resolve(k.left), right: await resolve(k.right) };
      case 'not':
        return { type: 'not', key: await resolve(k.key) };
      case 'objectid':
        ids ??= await messageObjectIds(store, view.mailboxId, Array.from(view.allUids));
        return uidKey(objectIdUids(ids, k.field, k.id));
      case 'date':
        return k.field === 'saved' ? uidKey(await savedUids(store, view, k.comparison, k.date)) : k;
      default:
        return k;
    }
  };
  return resolve(key);
}
