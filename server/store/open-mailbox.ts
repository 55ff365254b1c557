// What SELECT/EXAMINE answer from (Store.openMailbox), read in the caller's transaction so its numbers
// describe one state; with claimRecent the \Recent claim is in the same transaction. Runs on the main
// connection or as a job on the writer worker (writer.ts), with the same repositories.
import type { MailboxSnapshot } from './use-case-types.js';
import type { MailboxRepo } from './mailboxes.js';
import type { MessageRepo } from './messages.js';

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
    uids: messages.uids(found.id),
    keywords: messages.keywordsInUse(found.id),
    firstUnseen: messages.firstUnseen(found.id),
    recent,
    vanished: since === null ? [] : messages.expungedSince(found.id, since),
    changed: since === null ? [] : messages.changedSince(found.id, since),
  };
}
