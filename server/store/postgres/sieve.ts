// Sieve scripts on PostgreSQL, with the contract and invariants of ../sieve.ts: `put` counts the
// account's scripts under a lock on the account row, so two uploads on two nodes cannot both pass the
// limit; `forDelivery` reads in the caller's one transaction.
import type { Clock } from '../../clock.js';
import type { Async } from '../index.js';
import type { GlobalPhase, NamedScript, SieveRepo } from '../sieve.js';
import type { Sql } from './sql.js';

export function createSieveRepo(sql: Sql, clock: Clock): Async<SieveRepo> {
  const get = (accountId: number, name: string) => sql.value<string>('SELECT content FROM sieve_scripts WHERE account_id = ? AND name = ?', [accountId, name]);
  const phase = async (which: GlobalPhase) => (await sql.one<NamedScript>('SELECT name, content FROM sieve_global_scripts WHERE phase = ?', [which])) ?? null;
  return {
    list: async (accountId) =>
      (await sql.all<{ name: string; content: string; active: number }>('SELECT name, content, active FROM sieve_scripts WHERE account_id = ? ORDER BY name COLLATE "C"', [accountId])).map(
        (r) => ({ name: r.name, active: r.active === 1, size: Buffer.byteLength(r.content, 'utf8') }),
      ),
    get: async (accountId, name) => (await get(accountId, name)) ?? null,
    async put(accountId, name, content, maxScripts) {
      await sql.run('SELECT 1 FROM accounts WHERE id = ? FOR UPDATE', [accountId]);
      const count = (await sql.value<number>('SELECT count(*) FROM sieve_scripts WHERE account_id = ?', [accountId]))!;
      if ((await get(accountId, name)) === undefined && count >= maxScripts) return 'too-many';
      await sql.run(
        'INSERT INTO sieve_scripts (account_id, name, content, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (account_id, name) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at',
        [accountId, name, content, clock.now()],
      );
      return 'ok';
    },
    async remove(accountId, name) {
      const flag = await sql.value<number>('SELECT active FROM sieve_scripts WHERE account_id = ? AND name = ?', [accountId, name]);
      if (flag === undefined) return 'missing';
      if (flag === 1) return 'active';
      await sql.run('DELETE FROM sieve_scripts WHERE account_id = ? AND name = ?', [accountId, name]);
      return 'ok';
    },
    async rename(accountId, from, to) {
      if ((await get(accountId, from)) === undefined) return 'missing';
      if (from === to) return 'ok';
      if ((await get(accountId, to)) !== undefined) return 'exists';
      await sql.run('UPDATE sieve_scripts SET name = ?, updated_at = ? WHERE account_id = ? AND name = ?', [to, clock.now(), accountId, from]);
      return 'ok';
    },
    async setActive(accountId, name) {
      if (name !== null && (await get(accountId, name)) === undefined) return 'missing';
      await sql.run('UPDATE sieve_scripts SET active = 0 WHERE account_id = ? AND active = 1', [accountId]);
      if (name !== null) await sql.run('UPDATE sieve_scripts SET active = 1 WHERE account_id = ? AND name = ?', [accountId, name]);
      return 'ok';
    },
    async managed(accountId) {
      const row = await sql.one<{ settings: string; content: string; updated_at: number }>('SELECT settings, content, updated_at FROM sieve_managed WHERE account_id = ?', [accountId]);
      return row === undefined ? null : { settings: row.settings, content: row.content, updatedAt: row.updated_at };
    },
    async setManaged(accountId, value) {
      if (value === null) await sql.run('DELETE FROM sieve_managed WHERE account_id = ?', [accountId]);
      else {
        await sql.run(
          'INSERT INTO sieve_managed (account_id, settings, content, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET settings = excluded.settings, content = excluded.content, updated_at = excluded.updated_at',
          [accountId, value.settings, value.content, clock.now()],
        );
      }
    },
    globals: async () =>
      (await sql.all<{ name: string; content: string; phase: GlobalPhase | null; updated_at: number }>('SELECT name, content, phase, updated_at FROM sieve_global_scripts ORDER BY name COLLATE "C"')).map(
        (r) => ({ name: r.name, content: r.content, phase: r.phase, updatedAt: r.updated_at }),
      ),
    getGlobal: async (name) => (await sql.value<string>('SELECT content FROM sieve_global_scripts WHERE name = ?', [name])) ?? null,
    async putGlobal(name, content, to) {
      if (to !== null) await sql.run('UPDATE sieve_global_scripts SET phase = NULL WHERE phase = ? AND name <> ?', [to, name]);
      await sql.run(
        'INSERT INTO sieve_global_scripts (name, content, phase, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET content = excluded.content, phase = excluded.phase, updated_at = excluded.updated_at',
        [name, content, to, clock.now()],
      );
    },
    removeGlobal: async (name) => (await sql.run('DELETE FROM sieve_global_scripts WHERE name = ?', [name])) > 0,
    async forDelivery(accountId) {
      const own = await sql.one<{ content: string }>('SELECT content FROM sieve_managed WHERE account_id = ?', [accountId]);
      return {
        before: await phase('before'),
        managed: own === undefined ? null : { name: 'managed', content: own.content },
        active: (await sql.one<NamedScript>('SELECT name, content FROM sieve_scripts WHERE account_id = ? AND active = 1', [accountId])) ?? null,
        after: await phase('after'),
      };
    },
    generation: async () => (await sql.value<number>('SELECT n FROM sieve_generation'))!,
    repliedSince: async (accountId, sender, handle, since) =>
      (await sql.value<number>('SELECT count(*) FROM sieve_vacation_log WHERE account_id = ? AND sender = ? AND handle = ? AND sent_at >= ?', [accountId, sender, handle, since]))! > 0,
    async recordReply(accountId, sender, handle, at) {
      await sql.run(
        'INSERT INTO sieve_vacation_log (account_id, sender, handle, sent_at) VALUES (?, ?, ?, ?) ON CONFLICT (account_id, sender, handle) DO UPDATE SET sent_at = excluded.sent_at',
        [accountId, sender, handle, at],
      );
    },
    pruneReplies: (before) => sql.run('DELETE FROM sieve_vacation_log WHERE sent_at < ?', [before]),
  };
}
