// What SAVEDATE (RFC 8514) needs of message rows: `save_date` (SQLite 0023, PostgreSQL 0010), the moment the row was
// made in its mailbox, in milliseconds since the epoch. Delivery, APPEND, import, COPY and MOVE write it
// with the row (message-write.ts, message-transfer.ts); flag changes keep it. Rows made before the
// column existed hold NULL: their save date is not known.
import type { Db } from './db.js';

export interface SaveDateRow {
  uid: number;
  /** Null: not known (the row predates the column). */
  saveDate: number | null;
}

export interface SaveDateRepo {
  /** The rows of the given UIDs that exist, ascending by UID. */
  of(mailboxId: number, uids: readonly number[]): SaveDateRow[];
  /**
   * The UIDs, ascending, of the mailbox's messages saved at or after `from` and before `to` (either
   * null: unbounded); a message without a save date counts by its internal date (RFC 8514 §4.3).
   */
  uidsBetween(mailboxId: number, from: number | null, to: number | null): number[];
}

/** The save date SEARCH compares: the internal date stands in for an unknown one. */
export const SAVED_AT_SQL = 'coalesce(save_date, internal_date)';
/** Bounds for uidsBetween's unbounded sides. */
export const NO_START = Number.MIN_SAFE_INTEGER;
export const NO_END = Number.MAX_SAFE_INTEGER;

export function createSaveDateRepo(db: Db): SaveDateRepo {
  const one = db.prepare<[number, number], { save_date: number | null }>('SELECT save_date FROM messages WHERE mailbox_id = ? AND uid = ?');
  const between = db
    .prepare<[number, number, number], number>(`SELECT uid FROM messages WHERE mailbox_id = ? AND ${SAVED_AT_SQL} >= ? AND ${SAVED_AT_SQL} < ? ORDER BY uid`)
    .pluck();
  return {
    of(mailboxId, uids) {
      const rows: SaveDateRow[] = [];
      for (const uid of [...uids].sort((a, b) => a - b)) {
        const r = one.get(mailboxId, uid);
        if (r !== undefined) rows.push({ uid, saveDate: r.save_date });
      }
      return rows;
    },
    uidsBetween(mailboxId, from, to) {
      return between.all(mailboxId, from ?? NO_START, to ?? NO_END);
    },
  };
}
