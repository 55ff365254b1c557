// Mailboxes (folders) of an account. Names are stored decoded (UTF-8) with `/` as the hierarchy
// delimiter; INBOX is always spelled `INBOX`. UIDVALIDITY is unique across the whole database and
// grows from a high-water mark that survives deletes (the `counters` table), so a mailbox deleted and
// re-created under the same name never reuses one (RFC 3501 §2.3.1.1).
// Hierarchy: createPath and rename create every missing superior, so each mailbox's parent exists
// (`a/b` implies `a`) for mailboxes made through them, until a parent with inferiors is deleted (RFC
// 3501 §6.3.4): its name then lives on only as their superior. Subscriptions are names, kept apart
// (subscriptions.ts). \Recent (RFC 3501 §2.3.2) is first_recent_uid:
// messages at or above it have not been seen by any session yet; claimRecent hands them to one.
import type { Clock } from '../clock.js';
import type { StoreChange, WithChanges } from './changes.js';
import type { Db } from './db.js';
import { ConflictError, NotFoundError, isUniqueViolation } from './errors.js';
import type { SubscriptionRepo } from './subscriptions.js';
import { INBOX, canonicalMailboxName } from './mailbox-names.js';

export { INBOX, canonicalMailboxName };
export const SPECIAL_USES = ['\\Sent', '\\Drafts', '\\Trash', '\\Junk', '\\Archive', '\\All', '\\Flagged'] as const;
export type SpecialUse = (typeof SPECIAL_USES)[number];

/** What every new account gets (DESIGN §7). */
export const DEFAULT_MAILBOXES: ReadonlyArray<{ name: string; specialUse: SpecialUse | null }> = [
  { name: INBOX, specialUse: null },
  { name: 'Sent', specialUse: '\\Sent' },
  { name: 'Drafts', specialUse: '\\Drafts' },
  { name: 'Trash', specialUse: '\\Trash' },
  { name: 'Junk', specialUse: '\\Junk' },
  { name: 'Archive', specialUse: '\\Archive' },
];

export interface Mailbox {
  id: number;
  accountId: number;
  name: string;
  specialUse: SpecialUse | null;
  uidValidity: number;
  uidNext: number;
  highestModseq: number;
  firstRecentUid: number;
  createdAt: number;
}

export interface MailboxRow {
  id: number;
  account_id: number;
  name: string;
  special_use: SpecialUse | null;
  uidvalidity: number;
  uidnext: number;
  highest_modseq: number;
  first_recent_uid: number;
  created_at: number;
}

export const toMailbox = (r: MailboxRow): Mailbox => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  specialUse: r.special_use,
  uidValidity: r.uidvalidity,
  uidNext: r.uidnext,
  highestModseq: r.highest_modseq,
  firstRecentUid: r.first_recent_uid,
  createdAt: r.created_at,
});

export interface MailboxRepo {
  create(accountId: number, name: string, specialUse: SpecialUse | null): Mailbox;
  createDefaults(accountId: number): Mailbox[];
  get(accountId: number, name: string): Mailbox | undefined;
  require(accountId: number, name: string): Mailbox;
  byId(id: number): Mailbox | undefined;
  list(accountId: number): Mailbox[];
  /** Ids of the account's mailboxes (for cascading deletes). */
  idsOf(accountId: number): number[];
  /** Deletes the row; the caller has expunged its messages in the same transaction. */
  deleteRow(id: number): void;
  /** Creates `name` and every missing superior (RFC 3501 §6.3.3); ConflictError when `name` exists. */
  createPath(accountId: number, name: string): WithChanges<Mailbox>;
  /**
   * Renames a mailbox and its inferiors, creating missing superiors of the new name (RFC 3501
   * §6.3.5). Renaming INBOX moves its messages to a new mailbox and leaves INBOX empty (inferiors of
   * INBOX stay). NotFoundError / ConflictError for a missing source or an existing target.
   */
  rename(accountId: number, from: string, to: string): WithChanges<Mailbox>;
  /**
   * Makes every message not yet seen by a session recent for the caller: returns the UID range
   * [first, next) of those messages and moves first_recent_uid to uidnext, so no other session gets them.
   */
  claimRecent(id: number): { first: number; next: number };
}

export const DELIMITER = '/';

/** `a/b/c` → [`a`, `a/b`]. */
export function superiors(name: string): string[] {
  const parts = name.split(DELIMITER);
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join(DELIMITER));
}

export function createMailboxRepo(db: Db, clock: Clock, subscriptions: SubscriptionRepo): MailboxRepo {
  // The high-water mark survives deletes (migrations/0006): a re-created name never gets an old value.
  const nextValidity = db
    .prepare<[number], number>("UPDATE counters SET value = max(?, value + 1) WHERE name = 'uidvalidity' RETURNING value")
    .pluck();
  const insert = db.prepare<[number, string, string | null, number, number]>(
    'INSERT INTO mailboxes (account_id, name, special_use, uidvalidity, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const byName = db.prepare<[number, string], MailboxRow>('SELECT * FROM mailboxes WHERE account_id = ? AND name = ?');
  const byId = db.prepare<[number], MailboxRow>('SELECT * FROM mailboxes WHERE id = ?');
  const list = db.prepare<[number], MailboxRow>('SELECT * FROM mailboxes WHERE account_id = ? ORDER BY name');
  const ids = db.prepare<[number], { id: number }>('SELECT id FROM mailboxes WHERE account_id = ?');
  const remove = db.prepare<[number]>('DELETE FROM mailboxes WHERE id = ?');
  const setName = db.prepare<[string, number]>('UPDATE mailboxes SET name = ? WHERE id = ?');
  const inferiors = db.prepare<[number, string, string], MailboxRow>(
    'SELECT * FROM mailboxes WHERE account_id = ? AND substr(name, 1, length(?)) = ? ORDER BY name',
  );
  const recent = db.prepare<[number], { first: number; next: number }>('SELECT first_recent_uid AS first, uidnext AS next FROM mailboxes WHERE id = ?');
  const setRecent = db.prepare<[number, number]>('UPDATE mailboxes SET first_recent_uid = ? WHERE id = ?');
  const takeOver = db.prepare<[number, number, number, number]>(
    'UPDATE mailboxes SET uidnext = ?, highest_modseq = ?, first_recent_uid = ? WHERE id = ?',
  );
  const inboxUids = db.prepare<[number], number>('SELECT uid FROM messages WHERE mailbox_id = ? ORDER BY uid').pluck();
  const moveMessages = db.prepare<[number, number]>('UPDATE messages SET mailbox_id = ? WHERE mailbox_id = ?');
  const bumpModseq = db.prepare<[number], number>(
    'UPDATE mailboxes SET highest_modseq = highest_modseq + 1 WHERE id = ? RETURNING highest_modseq',
  ).pluck();
  const tombstone = db.prepare<[number, number, number]>('INSERT OR REPLACE INTO expunged (mailbox_id, uid, modseq) VALUES (?, ?, ?)');

  /** Creates the missing superiors of `name` (not `name` itself). */
  const createSuperiors = (accountId: number, name: string, changes: StoreChange[]) => {
    for (const superior of superiors(name)) {
      if (repo.get(accountId, superior)) continue;
      const created = repo.create(accountId, superior, null);
      changes.push({ kind: 'mailbox-created', accountId, mailboxId: created.id, name: created.name });
    }
  };

  const renameInbox = (inbox: Mailbox, to: string, changes: StoreChange[]): Mailbox => {
    const target = repo.create(inbox.accountId, to, null);
    changes.push({ kind: 'mailbox-created', accountId: inbox.accountId, mailboxId: target.id, name: target.name });
    const uids = inboxUids.all(inbox.id);
    moveMessages.run(target.id, inbox.id);
    takeOver.run(inbox.uidNext, inbox.highestModseq, inbox.firstRecentUid, target.id);
    if (uids.length > 0) {
      const modseq = bumpModseq.get(inbox.id)!;
      for (const uid of uids) tombstone.run(inbox.id, uid, modseq);
      changes.push({ kind: 'messages-expunged', accountId: inbox.accountId, mailboxId: inbox.id, uids, modseq });
    }
    return repo.byId(target.id)!;
  };

  const repo: MailboxRepo = {
    create(accountId, name, specialUse) {
      const canonical = canonicalMailboxName(name);
      return db.transaction(() => {
        const now = clock.now();
        const validity = nextValidity.get(Math.floor(now / 1000))!;
        try {
          const id = Number(insert.run(accountId, canonical, specialUse, validity, now).lastInsertRowid);
          return toMailbox(byId.get(id)!);
        } catch (error) {
          if (isUniqueViolation(error)) throw new ConflictError(`The mailbox ${canonical} already exists.`);
          throw error;
        }
      })();
    },
    createDefaults(accountId) {
      // A new account's folders start subscribed, so clients that show only subscribed ones see them.
      return db.transaction(() =>
        DEFAULT_MAILBOXES.map((m) => {
          subscriptions.add(accountId, m.name);
          return repo.create(accountId, m.name, m.specialUse);
        }),
      )();
    },
    get(accountId, name) {
      const row = byName.get(accountId, canonicalMailboxName(name));
      return row && toMailbox(row);
    },
    require(accountId, name) {
      const mailbox = repo.get(accountId, name);
      if (!mailbox) throw new NotFoundError(`There is no mailbox ${name}.`);
      return mailbox;
    },
    byId(id) {
      const row = byId.get(id);
      return row && toMailbox(row);
    },
    list(accountId) {
      return list.all(accountId).map(toMailbox);
    },
    idsOf(accountId) {
      return ids.all(accountId).map((r) => r.id);
    },
    deleteRow(id) {
      remove.run(id);
    },
    createPath(accountId, name) {
      return db.transaction((): WithChanges<Mailbox> => {
        const changes: StoreChange[] = [];
        createSuperiors(accountId, canonicalMailboxName(name), changes);
        const created = repo.create(accountId, name, null);
        changes.push({ kind: 'mailbox-created', accountId, mailboxId: created.id, name: created.name });
        return { result: created, changes };
      })();
    },
    rename(accountId, from, to) {
      return db.transaction((): WithChanges<Mailbox> => {
        const source = repo.require(accountId, from);
        const target = canonicalMailboxName(to);
        if (repo.get(accountId, target)) throw new ConflictError(`The mailbox ${target} already exists.`);
        if (target.startsWith(source.name + DELIMITER)) throw new ConflictError(`${source.name} cannot be moved inside itself.`);
        const changes: StoreChange[] = [];
        createSuperiors(accountId, target, changes);
        if (source.name === INBOX) return { result: renameInbox(source, target, changes), changes };
        const prefix = source.name + DELIMITER;
        const moving = [source, ...inferiors.all(accountId, prefix, prefix).map(toMailbox)];
        for (const mailbox of moving) {
          const name = target + mailbox.name.slice(source.name.length);
          if (mailbox !== source && repo.get(accountId, name)) throw new ConflictError(`The mailbox ${name} already exists.`);
          setName.run(name, mailbox.id);
          changes.push({ kind: 'mailbox-renamed', accountId, mailboxId: mailbox.id, name });
        }
        return { result: repo.byId(source.id)!, changes };
      })();
    },
    claimRecent(id) {
      return db.transaction(() => {
        const row = recent.get(id);
        if (!row) throw new NotFoundError(`Mailbox ${id} no longer exists.`);
        if (row.next > row.first) setRecent.run(row.next, id);
        return row;
      })();
    },
  };
  return repo;
}
