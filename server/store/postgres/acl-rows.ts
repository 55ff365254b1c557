// Access control entries and shared-mailbox accounts on PostgreSQL, with the contract of ../acl-rows.ts.
import type { AclEntry } from '../acl-rules.js';
import type { AclRowRepo, SharedMailboxRow } from '../acl-rows.js';
import type { Async } from '../use-case-types.js';
import type { Sql } from './sql.js';

export function createAclRowRepo(sql: Sql): Async<AclRowRepo> {
  return {
    entries: (mailboxId) => sql.all<AclEntry>('SELECT identifier, rights FROM acl WHERE mailbox_id = ? ORDER BY identifier COLLATE "C"', [mailboxId]),
    async put(mailboxId, identifier, rights) {
      if (rights === '') await sql.run('DELETE FROM acl WHERE mailbox_id = ? AND identifier = ?', [mailboxId, identifier]);
      else
        await sql.run('INSERT INTO acl (mailbox_id, identifier, rights) VALUES (?, ?, ?) ON CONFLICT (mailbox_id, identifier) DO UPDATE SET rights = excluded.rights', [
          mailboxId,
          identifier,
          rights,
        ]);
    },
    grantedTo: async (identifiers) =>
      (await sql.all<{ id: number }>('SELECT DISTINCT mailbox_id AS id FROM acl WHERE identifier = ANY(?::text[]) ORDER BY mailbox_id', [identifiers])).map((r) => r.id),
    async forget(identifier) {
      await sql.run('DELETE FROM acl WHERE identifier = ? OR identifier = ?', [identifier, `-${identifier}`]);
    },
    sharedAccount: (name) => sql.value<number>('SELECT account_id FROM shared_mailboxes WHERE name = ?', [name]),
    sharedName: (accountId) => sql.value<string>('SELECT name FROM shared_mailboxes WHERE account_id = ?', [accountId]),
    sharedList: () => sql.all<SharedMailboxRow>('SELECT name, account_id AS "accountId" FROM shared_mailboxes ORDER BY name COLLATE "C"'),
    async addShared(name, accountId) {
      await sql.run('INSERT INTO shared_mailboxes (name, account_id) VALUES (?, ?)', [name, accountId]);
    },
  };
}
