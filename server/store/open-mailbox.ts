// What SELECT/EXAMINE answer from (Store.openMailbox) and what STATUS answers from
// (Store.mailboxStatus), read in the caller's transaction so their numbers describe one state; with
// claimRecent the \Recent claim is in the same transaction. Runs on the main connection, as a job on
// the writer worker (SELECT: it claims \Recent) or on a read worker (EXAMINE, STATUS), with the same
// repositories. The snapshot's UIDs are a Uint32Array: compact, and copied across threads in one piece.
import type { MailboxSnapshot } from './use-case-types.js';
import type { Mailbox, MailboxRepo } from './mailboxes.js';
import type { MailboxCounts, MessageRepo } from './messages.js';

export interface OpenOptions {
  claimRecent: boolean;
  changedSince: number | null;
}

export function openMailboxIn(repos: { mailboxes: MailboxRepo; messages: MessageRepo }, accountId: number, name: string, options: OpenOptions): MailboxSnapshot | null {
  const { mailboxes, messages } = repos;
  const found = mailboxes.get(accountId, name);
  if (!found) return null;
  const recent = options.claimRecent ? mailboxes.claimRecent(found.id) : null;
  const since = options.changedSince;
  return {
    mailbox: recent ? mailboxes.byId(found.id)! : found,
    uids: Uint32Array.from(messages.uids(found.id)),
    keywords: messages.keywordsInUse(found.id),
    firstUnseen: messages.firstUnseen(found.id),
    recent,
    vanished: since === null ? [] : messages.expungedSince(found.id, since),
    changed: since === null ? [] : messages.changedSince(found.id, since),
  };
}

/** A mailbox's row and (when asked) message counts (STATUS); null when it does not exist. */
export function mailboxStatusIn(
  repos: { mailboxes: Pick<MailboxRepo, 'byId'>; messages: Pick<MessageRepo, 'counts'> },
  mailboxId: number,
  withCounts: boolean,
): { mailbox: Mailbox; counts: MailboxCounts } | null {
  const mailbox = repos.mailboxes.byId(mailboxId);
  if (!mailbox) return null;
  return { mailbox, counts: withCounts ? repos.messages.counts(mailbox.id, mailbox.firstRecentUid) : { messages: 0, unseen: 0, recent: 0, size: 0, deleted: 0 } };
}
