// Mailboxes and subscriptions on PostgreSQL, with the contracts of ../mailboxes.ts and
// ../subscriptions.ts. UIDVALIDITY comes from the `counters` row, updated in place: concurrent creates
// on two nodes queue on that row lock and never get the same value.
import type { Clock } from '../../clock.js';
import type { Async } from '../index.js';
import type { StoreChange, WithChanges } from '../changes.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { DEFAULT_MAILBOXES, DELIMITER, INBOX, canonicalMailboxName, superiors, toMailbox, type Mailbox, type MailboxRepo, type MailboxRow } from '../mailboxes.js';
import type { SubscriptionRepo } from '../subscriptions.js';
import type { Sql } from './sql.js';

export function createSubscriptionRepo(sql: Sql): Async<SubscriptionRepo> {
  return {
    list: async (accountId) => (await sql.all<{ name: string }>('SELECT name FROM subscriptions WHERE account_id = ? ORDER BY name COLLATE "C"', [accountId])).map((r) => r.name),
    async add(accountId, name) {
      await sql.run('INSERT INTO subscriptions (account_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING', [accountId, canonicalMailboxName(name)]);
    },
    async remove(accountId, name) {
      await sql.run('DELETE FROM subscriptions WHERE account_id = ? AND name = ?', [accountId, canonicalMailboxName(name)]);
    },
  };
}

export function createMailboxRepo(sql: Sql, clock: Clock, subscriptions: Async<SubscriptionRepo>): Async<MailboxRepo> {
  const byId = (id: number) => sql.one<MailboxRow>('SELECT * FROM mailboxes WHERE id = ?', [id]);

  /** Creates the missing superiors of `name` (not `name` itself). */
  const createSuperiors = async (accountId: number, name: string, changes: StoreChange[]) => {
    for (const superior of superiors(name)) {
      if (await repo.get(accountId, superior)) continue;
      const created = await repo.create(accountId, superior, null);
      changes.push({ kind: 'mailbox-created', accountId, mailboxId: created.id, name: created.name });
    }
  };

  const renameInbox = async (inbox: Mailbox, to: string, changes: StoreChange[]): Promise<Mailbox> => {
    const target = await repo.create(inbox.accountId, to, null);
    changes.push({ kind: 'mailbox-created', accountId: inbox.accountId, mailboxId: target.id, name: target.name });
    const uids = (await sql.all<{ uid: number }>('SELECT uid FROM messages WHERE mailbox_id = ? ORDER BY uid', [inbox.id])).map((r) => r.uid);
    await sql.run('UPDATE messages SET mailbox_id = ? WHERE mailbox_id = ?', [target.id, inbox.id]);
    await sql.run('UPDATE mailboxes SET uidnext = ?, highest_modseq = ?, first_recent_uid = ? WHERE id = ?', [
      inbox.uidNext,
      inbox.highestModseq,
      inbox.firstRecentUid,
      target.id,
    ]);
    if (uids.length > 0) {
      const modseq = (await sql.value<number>('UPDATE mailboxes SET highest_modseq = highest_modseq + 1 WHERE id = ? RETURNING highest_modseq', [inbox.id]))!;
      await sql.run(
        `INSERT INTO expunged (mailbox_id, uid, modseq) SELECT ?, uid, ? FROM unnest(?::bigint[]) AS uid
         ON CONFLICT (mailbox_id, uid) DO UPDATE SET modseq = excluded.modseq`,
        [inbox.id, modseq, uids],
      );
      changes.push({ kind: 'messages-expunged', accountId: inbox.accountId, mailboxId: inbox.id, uids, modseq });
    }
    return (await repo.byId(target.id))!;
  };

  const repo: Async<MailboxRepo> = {
    async create(accountId, name, specialUse) {
      const canonical = canonicalMailboxName(name);
      const now = clock.now();
      const validity = await sql.value<number>("UPDATE counters SET value = greatest(?, value + 1) WHERE name = 'uidvalidity' RETURNING value", [
        Math.floor(now / 1000),
      ]);
      const row = await sql.one<MailboxRow>(
        'INSERT INTO mailboxes (account_id, name, special_use, uidvalidity, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *',
        [accountId, canonical, specialUse, validity, now],
      );
      if (!row) throw new ConflictError(`The mailbox ${canonical} already exists.`);
      return toMailbox(row);
    },
    async createDefaults(accountId) {
      // A new account's folders start subscribed, so clients that show only subscribed ones see them.
      const created: Mailbox[] = [];
      for (const m of DEFAULT_MAILBOXES) {
        await subscriptions.add(accountId, m.name);
        created.push(await repo.create(accountId, m.name, m.specialUse));
      }
      return created;
    },
    async get(accountId, name) {
      const row = await sql.one<MailboxRow>('SELECT * FROM mailboxes WHERE account_id = ? AND name = ?', [accountId, canonicalMailboxName(name)]);
      return row && toMailbox(row);
    },
    async require(accountId, name) {
      const mailbox = await repo.get(accountId, name);
      if (!mailbox) throw new NotFoundError(`There is no mailbox ${name}.`);
      return mailbox;
    },
    async byId(id) {
      const row = await byId(id);
      return row && toMailbox(row);
    },
    list: async (accountId) => (await sql.all<MailboxRow>('SELECT * FROM mailboxes WHERE account_id = ? ORDER BY name COLLATE "C"', [accountId])).map(toMailbox),
    idsOf: async (accountId) => (await sql.all<{ id: number }>('SELECT id FROM mailboxes WHERE account_id = ? ORDER BY id', [accountId])).map((r) => r.id),
    async deleteRow(id) {
      await sql.run('DELETE FROM mailboxes WHERE id = ?', [id]);
    },
    async createPath(accountId, name): Promise<WithChanges<Mailbox>> {
      const changes: StoreChange[] = [];
      await createSuperiors(accountId, canonicalMailboxName(name), changes);
      const created = await repo.create(accountId, name, null);
      changes.push({ kind: 'mailbox-created', accountId, mailboxId: created.id, name: created.name });
      return { result: created, changes };
    },
    async rename(accountId, from, to): Promise<WithChanges<Mailbox>> {
      const source = await repo.require(accountId, from);
      const target = canonicalMailboxName(to);
      if (await repo.get(accountId, target)) throw new ConflictError(`The mailbox ${target} already exists.`);
      if (target.startsWith(source.name + DELIMITER)) throw new ConflictError(`${source.name} cannot be moved inside itself.`);
      const changes: StoreChange[] = [];
      await createSuperiors(accountId, target, changes);
      if (source.name === INBOX) return { result: await renameInbox(source, target, changes), changes };
      const prefix = source.name + DELIMITER;
      const inferiors = await sql.all<MailboxRow>('SELECT * FROM mailboxes WHERE account_id = ? AND left(name, length(?)) = ? ORDER BY name COLLATE "C"', [
        accountId,
        prefix,
        prefix,
      ]);
      for (const mailbox of [source, ...inferiors.map(toMailbox)]) {
        const name = target + mailbox.name.slice(source.name.length);
        if (mailbox !== source && (await repo.get(accountId, name))) throw new ConflictError(`The mailbox ${name} already exists.`);
        await sql.run('UPDATE mailboxes SET name = ? WHERE id = ?', [name, mailbox.id]);
        changes.push({ kind: 'mailbox-renamed', accountId, mailboxId: mailbox.id, name });
      }
      return { result: (await repo.byId(source.id))!, changes };
    },
    async claimRecent(id) {
      // FOR UPDATE: two sessions (on any node) opening the mailbox together never both get a message as \Recent.
      const row = await sql.one<{ first: number; next: number }>('SELECT first_recent_uid AS first, uidnext AS next FROM mailboxes WHERE id = ? FOR UPDATE', [id]);
      if (!row) throw new NotFoundError(`Mailbox ${id} no longer exists.`);
      if (row.next > row.first) await sql.run('UPDATE mailboxes SET first_recent_uid = ? WHERE id = ?', [row.next, id]);
      return row;
    },
  };
  return repo;
}
