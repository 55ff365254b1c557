// Messages in mailboxes. Invariants: UIDs are strictly ascending per mailbox (taken from uidnext in
// the same statement that bumps it); every change gets the mailbox's next MODSEQ — one per operation,
// shared by every message it changed, and none when it changed nothing; the account's used_bytes and
// the blob's refcount change in the same transaction as the row. A message's bytes are
// `prefix || blob` (see migrations/0001), read only through these modules. Keywords compare
// case-insensitively (RFC 3501 §2.3.2) and keep the spelling they were first stored with.
// `envelope_wire` (migrations/0003; with the other cached MIME columns in message_mime since 0021) is the ENVELOPE in IMAP wire form or NULL; it is copied with the
// row and filled by setEnvelopeWire() only where it is still NULL.
// The implementation is split by concern: message-write.ts (append, expunge), message-flags.ts,
// message-read.ts, message-search.ts, message-transfer.ts (copy, move), over message-rows.ts; the
// full-text index of SEARCH BODY/TEXT is message-text.ts.
import type { Clock } from '../clock.js';
import type { Db } from './db.js';
import type { BlobRepo } from './blobs.js';
import type { AccountRepo } from './accounts.js';
import { createRowAccess } from './message-rows.js';
import { createMessageWrites } from './message-write.js';
import { createFlagUpdates } from './message-flags.js';
import { createMessageReads } from './message-read.js';
import { createMessageSearch } from './message-search.js';
import { createMessageTransfers } from './message-transfer.js';
import { createTextIndex } from './message-text.js';
import type { MessageRepo } from './message-types.js';

export * from './message-types.js';

/** `clock` gives new rows their save date (RFC 8514). */
export function createMessageRepo(db: Db, blobs: BlobRepo, accounts: AccountRepo, clock: Clock): MessageRepo {
  const access = createRowAccess(db);
  const writes = createMessageWrites(db, access, blobs, accounts, createTextIndex(db, blobs), clock);
  return {
    ...writes,
    ...createFlagUpdates(db, access),
    ...createMessageReads(db, access),
    ...createMessageSearch(db),
    ...createMessageTransfers(db, access, blobs, accounts, writes.expunge, clock),
  };
}
