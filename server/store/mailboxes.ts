// Mailboxes (folders) of an account. Names are stored decoded (UTF-8) with `/` as the hierarchy
// delimiter; INBOX is always spelled `INBOX`. UIDVALIDITY is unique across the whole database and
// grows, so a mailbox deleted and re-created under the same name never reuses one (RFC 3501 §2.3.1.1).
import type { Clock } from '../clock.js';
import type { Db } from './db.js';
import { ConflictError, NotFoundError, isUniqueViolation } from './errors.js';

export const INBOX = 'INBOX';
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
  subscribed: boolean;
  createdAt: number;
}

interface MailboxRow {
  id: number;
  account_id: number;
  name: string;
  special_use: SpecialUse | null;
  uidvalidity: number;
  uidnext: number;
  highest_modseq: number;
  first_recent_uid: number;
  subscribed: number;
  created_at: number;
}

const toMailbox = (r: MailboxRow): Mailbox => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  specialUse: r.special_use,
  uidValidity: r.uidvalidity,
  uidNext: r.uidnext,
  highestModseq: r.highest_modseq,
  firstRecentUid: r.first_recent_uid,
  subscribed: r.subscribed === 1,
  createdAt: r.created_at,
});

export interface MailboxRepo {
  create(accountId: number, name: string, specialUse: SpecialUse | null): Mailbox;
  createDefaults(accountId: number): Mailbox[];
  get(accountId: number, name: string): Mailbox | undefined;
  require(accountId: number, name: string): Mailbox;
  byId(id: number): Mailbox | undefined;
  list(accountId: number): Mailbox[];
  setSubscribed(id: number, subscribed: boolean): void;
  /** Ids of the account's mailboxes (for cascading deletes). */
  idsOf(accountId: number): number[];
  /** Deletes the row; the caller has expunged its messages in the same transaction. */
  deleteRow(id: number): void;
}

/** `inbox`, `Inbox/Sub` → `INBOX`, `INBOX/Sub`: INBOX is case-insensitive (RFC 3501 §5.1). */
export function canonicalMailboxName(name: string): string {
  const head = name.split('/', 1)[0];
  return head.toUpperCase() === INBOX ? INBOX + name.slice(head.length) : name;
}

export function createMailboxRepo(db: Db, clock: Clock): MailboxRepo {
  const nextValidity = db.prepare<[number], { v: number }>('SELECT max(?, coalesce(max(uidvalidity), 0) + 1) AS v FROM mailboxes');
  const insert = db.prepare<[number, string, string | null, number, number]>(
    'INSERT INTO mailboxes (account_id, name, special_use, uidvalidity, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const byName = db.prepare<[number, string], MailboxRow>('SELECT * FROM mailboxes WHERE account_id = ? AND name = ?');
  const byId = db.prepare<[number], MailboxRow>('SELECT * FROM mailboxes WHERE id = ?');
  const list = db.prepare<[number], MailboxRow>('SELECT * FROM mailboxes WHERE account_id = ? ORDER BY name');
  const ids = db.prepare<[number], { id: number }>('SELECT id FROM mailboxes WHERE account_id = ?');
  const subscribe = db.prepare<[number, number]>('UPDATE mailboxes SET subscribed = ? WHERE id = ?');
  const remove = db.prepare<[number]>('DELETE FROM mailboxes WHERE id = ?');

  const repo: MailboxRepo = {
    create(accountId, name, specialUse) {
      const canonical = canonicalMailboxName(name);
      return db.transaction(() => {
        const now = clock.now();
        const validity = nextValidity.get(Math.floor(now / 1000))!.v;
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
      return db.transaction(() => DEFAULT_MAILBOXES.map((m) => repo.create(accountId, m.name, m.specialUse)))();
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
    setSubscribed(id, subscribed) {
      subscribe.run(subscribed ? 1 : 0, id);
    },
    idsOf(accountId) {
      return ids.all(accountId).map((r) => r.id);
    },
    deleteRow(id) {
      remove.run(id);
    },
  };
  return repo;
}
