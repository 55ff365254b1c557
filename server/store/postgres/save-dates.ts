// SAVEDATE rows on PostgreSQL, with the contract of ../save-dates.ts.
import { NO_END, NO_START, SAVED_AT_SQL, type SaveDateRepo } from '../save-dates.js';
import type { Async } from '../use-case-types.js';
import type { Sql } from './sql.js';

export function createSaveDateRepo(sql: Sql): Async<SaveDateRepo> {
  return {
    async of(mailboxId, uids) {
      if (uids.length === 0) return [];
      const rows = await sql.all<{ uid: number; save_date: number | null }>('SELECT uid, save_date FROM messages WHERE mailbox_id = ? AND uid = ANY(?::bigint[]) ORDER BY uid', [mailboxId, uids]);
      return rows.map((r) => ({ uid: r.uid, saveDate: r.save_date }));
    },
    async uidsBetween(mailboxId, from, to) {
      const rows = await sql.all<{ uid: number }>(`SELECT uid FROM messages WHERE mailbox_id = ? AND ${SAVED_AT_SQL} >= ? AND ${SAVED_AT_SQL} < ? ORDER BY uid`, [mailboxId, from ?? NO_START, to ?? NO_END]);
      return rows.map((r) => r.uid);
    },
  };
}
