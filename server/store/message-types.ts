// The message repository's types (messages.ts composes the implementation; the message-*.ts modules
// implement its parts against these, so none of them imports messages.ts back).
import type { WithChanges } from './changes.js';

/** System flags as bits; keywords are kept as a space-separated string. */
export const FLAG_BITS = { '\\Seen': 1, '\\Answered': 2, '\\Flagged': 4, '\\Deleted': 8, '\\Draft': 16 } as const;
export type SystemFlag = keyof typeof FLAG_BITS;

export interface NewMessage {
  blobId: number;
  prefix: Buffer;
  size: number;
  flags: number;
  keywords: string[];
  internalDate: number;
  sentDate: number | null;
  envelope: string;
  /** `envelope` in IMAP wire form (migrations/0003); absent or null: FETCH computes it on first use. */
  envelopeWire?: string | null;
  bodystructure: string;
  parts: string;
}

export interface MessageMeta {
  id: number;
  uid: number;
  modseq: number;
  flags: number;
  keywords: string[];
  internalDate: number;
  size: number;
}

/** A message's flags: system flags as FLAG_BITS, keywords as stored. */
export interface FlagState {
  uid: number;
  modseq: number;
  flags: number;
  keywords: string[];
}

export interface FlagChange {
  /** replace: set exactly these; add / remove: these in addition / no longer. */
  action: 'replace' | 'add' | 'remove';
  flags: number;
  keywords: readonly string[];
}

export interface FlagUpdate {
  /** Every requested message that exists, after the update, ascending by UID. */
  messages: Array<FlagState & { changed: boolean }>;
  /** UIDs left alone because their mod-sequence was above `unchangedSince` (RFC 7162 §3.1.3). */
  modified: number[];
}

/**
 * The cached MIME data of a message row: JSON of the ENVELOPE / BODYSTRUCTURE values and the part
 * tree, and the ENVELOPE in IMAP wire form (migrations/0003).
 */
export type CachedColumn = 'envelope' | 'envelopeWire' | 'bodystructure' | 'parts';

/** One message of a readMany: its id, and `length` to read only its first bytes. */
export interface ReadRequest {
  id: number;
  length?: number;
}

/** A message row with the cached columns asked for (null: not read). */
export interface MessageRow extends MessageMeta {
  envelope: string | null;
  /** Null also when read but not computed yet (migrations/0003). */
  envelopeWire: string | null;
  bodystructure: string | null;
  parts: string | null;
}

/** What SEARCH reads of every message; `searchHeaders`/`parts` only when asked for. */
export interface SearchRow extends MessageMeta {
  sentDate: number | null;
  /** migrations/0002: decoded, lower-cased "name: value" lines, or null when not computed yet. */
  searchHeaders: string | null;
  parts: string | null;
}

export interface Transfer {
  sourceUids: number[];
  destinationUids: number[];
}

export interface MailboxCounts {
  messages: number;
  unseen: number;
  recent: number;
  /** Sum of RFC822.SIZE (STATUS SIZE, RFC 8438). */
  size: number;
  /** Messages with \Deleted (STATUS DELETED, RFC 9051 §6.3.11). */
  deleted: number;
}

export interface MessageRepo {
  /**
   * Appends to a mailbox; must run inside the caller's transaction when combined with other writes.
   * `atUid` (an import keeping the old server's UIDs) must be above every UID the mailbox has used.
   */
  append(mailboxId: number, message: NewMessage, atUid?: number): WithChanges<{ uid: number; modseq: number }>;
  list(mailboxId: number): MessageMeta[];
  count(mailboxId: number): number;
  /** Removes the given UIDs (absent ones are ignored); returns the UIDs actually removed. */
  expunge(mailboxId: number, uids: number[]): WithChanges<number[]>;
  /** The full bytes of a message (prefix + blob); null when the message is gone (expunged meanwhile). */
  read(messageId: number): Buffer | null;
  /** Bytes [start, start+length) of the message, across the prefix/blob seam; null when it is gone. */
  readRange(messageId: number, start: number, length: number): Buffer | null;
  /**
   * Several messages' bytes in one read, in the order asked: the whole message, or its first `length`
   * bytes when given (a header); null for one that is gone. A scan (SEARCH BODY) reads in batches so
   * that PostgreSQL pays one round trip per batch, not per message.
   */
  readMany(entries: readonly ReadRequest[]): Array<Buffer | null>;
  /** The mailbox's UIDs above `aboveUid` (default: all), ascending. */
  uids(mailboxId: number, aboveUid?: number): number[];
  /** Metadata of the given UIDs (ascending, duplicate-free) that exist, ascending. */
  meta(mailboxId: number, uids: readonly number[]): MessageMeta[];
  /** The same with the cached columns asked for (FETCH reads only what it sends). */
  rows(mailboxId: number, uids: readonly number[], columns: readonly CachedColumn[]): MessageRow[];
  /** One message's row and its full bytes (prefix + blob) in one statement, or null if it does not exist. */
  rowWithBytes(mailboxId: number, uid: number, columns: readonly CachedColumn[]): { row: MessageRow; bytes: Buffer } | null;
  /**
   * The mailbox's messages for SEARCH, ascending by UID. With `headerNeedle`, only those whose
   * search_headers contain it, contain a backslash (a quoted pair the address parser undoes), or
   * are not computed yet: the evaluator's prefilter. With `afterUid` / `limit`, one page: the first
   * `limit` such rows above `afterUid`. With `textNeedle` (lower-cased), only those whose text
   * (mime decodedBodyText with attached messages' headers) may contain it, or with `headers` also those
   * whose search_headers may: a superset the caller confirms (SQLite's full-text index, message-text.ts;
   * a backend without one, or a needle the index cannot answer, filters nothing).
   */
  searchRows(
    mailboxId: number,
    columns: { headers: boolean; parts: boolean; headerNeedle?: string; textNeedle?: { value: string; headers: boolean }; afterUid?: number; limit?: number },
  ): SearchRow[];
  /** Fills the search_headers cache (migrations/0002). */
  setSearchHeaders(entries: ReadonlyArray<{ id: number; text: string }>): void;
  /** Fills the envelope_wire cache (migrations/0003) of rows where it is still NULL. */
  setEnvelopeWire(entries: ReadonlyArray<{ id: number; wire: string }>): void;
  /** Messages whose mod-sequence is above `modseq`, ascending by UID (CONDSTORE/QRESYNC). */
  changedSince(mailboxId: number, modseq: number): MessageMeta[];
  /** UIDs expunged with a mod-sequence above `modseq`, ascending (QRESYNC VANISHED). */
  expungedSince(mailboxId: number, modseq: number): number[];
  /** Message, unseen and recent (uid >= firstRecentUid) counts, for STATUS. */
  counts(mailboxId: number, firstRecentUid: number): MailboxCounts;
  /** The lowest UID without \Seen, or null (SELECT's UNSEEN). */
  firstUnseen(mailboxId: number): number | null;
  /** Distinct keywords set on the mailbox's messages (for the FLAGS response). */
  keywordsInUse(mailboxId: number): string[];
  /**
   * Changes the flags of the given UIDs (ascending, duplicate-free) with one new mod-sequence; with
   * `unchangedSince`, messages whose mod-sequence is above it are left alone and reported.
   */
  updateFlags(mailboxId: number, uids: readonly number[], change: FlagChange, unchangedSince: number | null): WithChanges<FlagUpdate>;
  /**
   * Copies the given UIDs (ascending) to another mailbox: same bytes (blob shared), flags and date.
   * UIDs that do not exist are skipped, or with `requireAll` nothing is copied (ExpungedError).
   */
  copy(fromMailboxId: number, uids: readonly number[], toMailboxId: number, requireAll?: boolean): WithChanges<Transfer>;
  /** copy, then expunge the originals, in one transaction (RFC 6851). */
  move(fromMailboxId: number, uids: readonly number[], toMailboxId: number, requireAll?: boolean): WithChanges<Transfer>;
}
