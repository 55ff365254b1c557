// What a committed store operation changed, returned by the repository functions and broadcast by
// the caller on the event bus *after* commit (IMAP IDLE, other sessions, the GUI).
export type StoreChange =
  | { kind: 'message-added'; accountId: number; mailboxId: number; uid: number; modseq: number }
  | { kind: 'messages-expunged'; accountId: number; mailboxId: number; uids: number[]; modseq: number }
  | { kind: 'flags-changed'; accountId: number; mailboxId: number; uids: number[]; modseq: number }
  | { kind: 'mailbox-created' | 'mailbox-deleted' | 'mailbox-renamed'; accountId: number; mailboxId: number; name: string };

export interface WithChanges<T> {
  result: T;
  changes: StoreChange[];
}
