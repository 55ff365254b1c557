// OBJECTID rows on PostgreSQL, with the contract of ../object-ids.ts.
import { OBJECT_ID_COLUMNS, toObjectIdRow, type ObjectIdRepo, type RawObjectIdRow } from '../object-ids.js';
import type { Async } from '../use-case-types.js';
import type { Sql } from './sql.js';

export function createObjectIdRepo(sql: Sql): Async<ObjectIdRepo> {
  return {
    async rows(mailboxId, uids) {
      if (uids.length === 0) return [];
      const rows = await sql.all<RawObjectIdRow>(`SELECT ${OBJECT_ID_COLUMNS} WHERE m.mailbox_id = ? AND m.uid = ANY(?::bigint[]) ORDER BY m.uid`, [mailboxId, uids]);
      return rows.map(toObjectIdRow);
    },
  };
}
