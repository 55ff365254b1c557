// The maildrop of one POP3 session (RFC 1939 §5-6): a snapshot of the account's INBOX taken at login,
// numbered 1..n, with the session's deletion marks; and the per-account lock that keeps two POP3
// sessions off the same maildrop.
//
// Invariants:
// - Message numbers never change during a session: mail that arrives later is not shown (it is there at
//   the next login), and a deleted-marked message keeps its number but cannot be read or listed.
// - Marks live only here, in memory: nothing is written until the session commits in the UPDATE state,
//   so a dropped connection deletes nothing (§6). At QUIT the session expunges markedUids() in one
//   store transaction and broadcasts the changes it returns.
// - UIDL is `<uidvalidity>.<uid>` of the IMAP INBOX: unique per message and stable across sessions (the
//   store never reuses a UID within a UIDVALIDITY), and what IMAP shows for the same message. Both
//   numbers are decimal, so the value stays within RFC 1939 §7's 1-70 characters of 0x21-0x7E.
// - Messages expunged elsewhere during the session (IMAP, an admin deleting the account) are learnt
//   from the event bus and become unreadable. The bus is watched before the snapshot is read, so an
//   expunge committed while it is read is not missed; and messages are read by UID, never by a row id
//   that later mail may reuse, so one expunged between the check and the read is found gone.
// - One lock per account per process: the lock set belongs to one createPop3Listeners call and is
//   shared by its plain and TLS listeners. IMAP does not take it: IMAP sessions see POP3's deletions as
//   expunges after the commit, as with any other IMAP client's.
import { Pop3Error } from './errors.js';
import type { EventBus } from '../events.js';
import type { Store, StoreChange } from '../store/index.js';
import { INBOX } from '../store/mailboxes.js';
import type { MessageMeta } from '../store/messages.js';

export interface MaildropMessage {
  /** The POP3 message number, 1-based. */
  readonly number: number;
  /** The store's row id (for reading bytes). */
  readonly id: number;
  readonly uid: number;
  readonly size: number;
  /** The UIDL value. */
  readonly uniqueId: string;
}

export class Maildrop {
  private readonly messages: readonly MaildropMessage[];
  private readonly marked = new Set<number>();
  /** UIDs expunged by someone else since the snapshot. */
  private readonly gone = new Set<number>();

  constructor(
    readonly mailboxId: number,
    uidValidity: number,
    messages: readonly Pick<MessageMeta, 'id' | 'uid' | 'size'>[],
  ) {
    this.messages = messages.map((m, i) => ({ number: i + 1, id: m.id, uid: m.uid, size: m.size, uniqueId: `${uidValidity}.${m.uid}` }));
  }

  /** Messages not marked as deleted, in number order. */
  listing(): MaildropMessage[] {
    return this.messages.filter((m) => !this.marked.has(m.number) && !this.gone.has(m.uid));
  }

  /** Count and total octets of the messages not marked as deleted (STAT, RSET). */
  stat(): { count: number; octets: number } {
    const live = this.listing();
    return { count: live.length, octets: live.reduce((sum, m) => sum + m.size, 0) };
  }

  /** The message with this number; refuses numbers out of range and marked messages (§5). */
  get(number: number): MaildropMessage {
    const message = this.messages[number - 1];
    if (!message) throw new Pop3Error(`There is no message ${number}`);
    if (this.marked.has(number)) throw new Pop3Error(`Message ${number} is already deleted`);
    if (this.gone.has(message.uid)) throw new Pop3Error(`Message ${number} was deleted by another session`);
    return message;
  }

  /** Records messages expunged outside this session. */
  forget(uids: readonly number[]): void {
    for (const uid of uids) this.gone.add(uid);
  }

  /** Everything is gone (the mailbox was deleted). */
  forgetAll(): void {
    this.forget(this.messages.map((m) => m.uid));
  }

  markDeleted(number: number): MaildropMessage {
    const message = this.get(number);
    this.marked.add(number);
    return message;
  }

  /** Unmarks everything (RSET). */
  reset(): void {
    this.marked.clear();
  }

  /** UIDs marked for deletion, for the UPDATE state. */
  markedUids(): number[] {
    return this.messages.filter((m) => this.marked.has(m.number)).map((m) => m.uid);
  }
}

/**
 * Locks the account's maildrop and snapshots its INBOX, watching the bus for expunges from elsewhere.
 * Returns null when another POP3 session holds the lock. The returned hold's release() unlocks and
 * stops watching.
 */
export async function openMaildrop(
  deps: { store: Store; bus: EventBus; locks: MaildropLocks },
  accountId: number,
): Promise<{ maildrop: Maildrop; hold: MaildropLock } | null> {
  const lock = deps.locks.acquire(accountId);
  if (!lock) return null;
  // Changes to the account's mailboxes until the snapshot exists, then applied to it.
  const early: StoreChange[] = [];
  let maildrop: Maildrop | null = null;
  const apply = (m: Maildrop, change: StoreChange) => {
    if (change.mailboxId !== m.mailboxId) return;
    if (change.kind === 'messages-expunged') m.forget(change.uids);
    else if (change.kind === 'mailbox-deleted') m.forgetAll();
  };
  const unwatch = deps.bus.on('change', (change) => {
    if (maildrop) apply(maildrop, change);
    else if (change.accountId === accountId) early.push(change);
  });
  try {
    const mailbox = await deps.store.mailboxes.get(accountId, INBOX);
    if (!mailbox) throw new Pop3Error('This account has no INBOX', 'SYS/PERM');
    maildrop = new Maildrop(mailbox.id, mailbox.uidValidity, await deps.store.messages.list(mailbox.id));
  } catch (error) {
    unwatch();
    lock.release();
    throw error;
  }
  for (const change of early) apply(maildrop, change);
  return {
    maildrop,
    hold: {
      release() {
        unwatch();
        lock.release();
      },
    },
  };
}

/** A held lock; release() is idempotent. */
export interface MaildropLock {
  release(): void;
}

export class MaildropLocks {
  private readonly held = new Set<number>();

  /** The lock on an account's maildrop, or null while another POP3 session holds it. */
  acquire(accountId: number): MaildropLock | null {
    if (this.held.has(accountId)) return null;
    this.held.add(accountId);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.held.delete(accountId);
      },
    };
  }
}
