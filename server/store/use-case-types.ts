// Types the Store interface (index.ts) shares with the modules that implement it (deliveries.ts,
// read-store.ts, bulk-calls.ts), apart so none of them imports index.ts back.
import type { Mailbox } from './mailboxes.js';
import type { MessageMeta, NewMessage } from './message-types.js';

/** The methods of a synchronous repository, each returning a Promise of its result. */
export type Async<R> = { [K in keyof R]: R[K] extends (...args: infer A) => infer T ? (...args: A) => Promise<T> : never };

/** One local copy: a message row without its blob (shared) and size (prefix + shared bytes). */
export interface LocalCopy extends Omit<NewMessage, 'blobId' | 'size'> {
  mailboxId: number;
}

export interface Delivery {
  /** The bytes shared by every copy and queue row. */
  bytes: Buffer;
  local: LocalCopy[];
  remote?: { sender: string; recipients: string[]; messageId: string | null; dsn?: unknown };
}

export interface DeliveryResult {
  uids: Array<{ mailboxId: number; uid: number }>;
  queueId: string | null;
}

/** What SELECT/EXAMINE answers from, read in one transaction so its numbers describe one state. */
export interface MailboxSnapshot {
  mailbox: Mailbox;
  /** Ascending (a Uint32Array from the SQLite store: compact, one copy across threads). */
  uids: ArrayLike<number>;
  keywords: string[];
  firstUnseen: number | null;
  /** The UIDs made \Recent for this session, [first, next); null when not claimed (read-only). */
  recent: { first: number; next: number } | null;
  /** With `changedSince` (QRESYNC): UIDs expunged and messages changed since that mod-sequence. */
  vanished: number[];
  changed: MessageMeta[];
}
