// Storage of access control entries and shared-mailbox accounts (migration 0020). No rule lives
// here: acl.ts decides who may do what, over these rows (and their PostgreSQL twin).
import type { Db } from './db.js';
import type { AclEntry } from './acl-rules.js';

export interface SharedMailboxRow {
  name: string;
  accountId: number;
}

export interface AclRowRepo {
  entries(mailboxId: number): AclEntry[];
  /** Sets an identifier's rights; empty rights delete the entry. */
  put(mailboxId: number, identifier: string, rights: string): void;
  /** Ids of the mailboxes with an entry for any of `identifiers`. */
  grantedTo(identifiers: readonly string[]): number[];
  /** Drops every entry naming `identifier` (its account is gone). */
  forget(identifier: string): void;
  sharedAccount(name: string): number | undefined;
  sharedName(accountId: number): string | undefined;
  sharedList(): SharedMailboxRow[];
  addShared(name: string, accountId: number): void;
}

export function createAclRowRepo(db: Db): AclRowRepo {
  const entries = db.prepare<[number], AclEntry>('SELECT identifier, rights FROM acl WHERE mailbox_id = ? ORDER BY identifier');
  const upsert = db.prepare<[number, string, string]>(
    'INSERT INTO acl (mailbox_id, identifier, rights) VALUES (?, ?, ?) ON CONFLICT (mailbox_id, identifier) DO UPDATE SET rights = excluded.rights',
  );
  const remove = db.prepare<[number, string]>('DELETE FROM acl WHERE mailbox_id = ? AND identifier = ?');
  const granted = db.prepare<[string], number>('SELECT DISTINCT mailbox_id FROM acl WHERE identifier IN (SELECT value FROM json_each(?)) ORDER BY mailbox_id').pluck();
  const forget = db.prepare<[string, string]>('DELETE FROM acl WHERE identifier = ? OR identifier = ?');
  const sharedAccount = db.prepare<[string], number>('SELECT account_id FROM shared_mailboxes WHERE name = ?').pluck();
  const sharedName = db.prepare<[number], string>('SELECT name FROM shared_mailboxes WHERE account_id = ?').pluck();
  const sharedList = db.prepare<[], SharedMailboxRow>('SELECT name, account_id AS accountId FROM shared_mailboxes ORDER BY name');
  const addShared = db.prepare<[string, number]>('INSERT INTO shared_mailboxes (name, account_id) VALUES (?, ?)');
  return {
    entries: (mailboxId) => entries.all(mailboxId),
    put(mailboxId, identifier, rights) {
      if (rights === '') remove.run(mailboxId, identifier);
      else upsert.run(mailboxId, identifier, rights);
    },
    grantedTo: (identifiers) => granted.all(JSON.stringify(identifiers)),
    forget(identifier) {
      forget.run(identifier, `-${identifier}`);
    },
    sharedAccount: (name) => sharedAccount.get(name),
    sharedName: (accountId) => sharedName.get(accountId),
    sharedList: () => sharedList.all(),
    addShared(name, accountId) {
      addShared.run(name, accountId);
    },
  };
}
