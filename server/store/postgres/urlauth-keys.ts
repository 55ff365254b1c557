// URLAUTH access keys on PostgreSQL, with the contract of ../urlauth-keys.ts.
import { randomBytes } from 'node:crypto';
import { URLAUTH_KEY_BYTES, type UrlauthKeyRepo } from '../urlauth-keys.js';
import type { Async } from '../use-case-types.js';
import type { Sql } from './sql.js';

export function createUrlauthKeyRepo(sql: Sql): Async<UrlauthKeyRepo> {
  return {
    get: (mailboxId) => sql.value<Buffer>('SELECT key FROM urlauth_keys WHERE mailbox_id = ?', [mailboxId]),
    async key(mailboxId) {
      await sql.run('INSERT INTO urlauth_keys (mailbox_id, key) VALUES (?, ?) ON CONFLICT DO NOTHING', [mailboxId, randomBytes(URLAUTH_KEY_BYTES)]);
      return (await sql.value<Buffer>('SELECT key FROM urlauth_keys WHERE mailbox_id = ?', [mailboxId]))!;
    },
    async reset(mailboxIds) {
      if (mailboxIds.length > 0) await sql.run('DELETE FROM urlauth_keys WHERE mailbox_id = ANY(?::bigint[])', [mailboxIds]);
    },
  };
}
