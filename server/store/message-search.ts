// What SEARCH reads: every message of a mailbox with the columns its keys need, optionally prefiltered
// on the decoded header cache (migrations/0002), which this module also fills; in pages by UID, so a
// search over a big mailbox never holds all its rows at once.
import type { Db } from './db.js';
import type { MessageRepo, SearchRow } from './message-types.js';
import { META_COLUMNS, MIME_JOIN, toMeta, type MetaRow } from './message-rows.js';

interface SearchDbRow extends MetaRow {
  sent_date: number | null;
  search_headers?: string | null;
  parts?: string;
}

export function createMessageSearch(db: Db): Pick<MessageRepo, 'searchRows' | 'setSearchHeaders'> {
  const searchStatements = new Map<string, { all(...params: Array<number | string>): SearchDbRow[] }>();
  const searchStatement = (headers: boolean, parts: boolean, needle: boolean) => {
    const key = `${headers}/${parts}/${needle}`;
    let statement = searchStatements.get(key);
    if (statement === undefined) {
      const extra = `${headers ? ', search_headers' : ''}${parts ? ', parts' : ''}`;
      const filter = needle ? ' AND (search_headers IS NULL OR instr(search_headers, ?) > 0 OR instr(search_headers, char(92)) > 0)' : '';
      // A negative LIMIT is none.
      const from = headers || parts || needle ? MIME_JOIN : 'messages';
      statement = db.prepare<Array<number | string>, SearchDbRow>(`SELECT ${META_COLUMNS}, sent_date${extra} FROM ${from} WHERE mailbox_id = ? AND uid > ?${filter} ORDER BY uid LIMIT ?`);
      searchStatements.set(key, statement);
    }
    return statement;
  };
  const setSearchHeaders = db.prepare<[string, number]>('UPDATE message_mime SET search_headers = ? WHERE id = ?');

  return {
    searchRows(mailboxId, columns) {
      const needle = columns.headerNeedle;
      const statement = searchStatement(columns.headers, columns.parts, needle !== undefined);
      const page = [columns.limit ?? -1];
      return (needle === undefined ? statement.all(mailboxId, columns.afterUid ?? 0, ...page) : statement.all(mailboxId, columns.afterUid ?? 0, needle, ...page)).map((r) => {
        const row = toMeta(r) as SearchRow;
        row.sentDate = r.sent_date;
        row.searchHeaders = r.search_headers ?? null;
        row.parts = r.parts ?? null;
        return row;
      });
    },
    setSearchHeaders(entries) {
      db.transaction(() => {
        for (const { id, text } of entries) setSearchHeaders.run(text, id);
      })();
    },
  };
}
