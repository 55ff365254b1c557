// What SEARCH reads: every message of a mailbox with the columns its keys need, optionally prefiltered
// on the decoded header cache (migrations/0002), which this module also fills, and on the full-text
// index (message-text.ts); in pages by UID, so a search over a big mailbox never holds all its rows at once.
import type { Db } from './db.js';
import type { MessageRepo, SearchRow } from './message-types.js';
import { META_COLUMNS, MIME_JOIN, toMeta, type MetaRow } from './message-rows.js';
import { TEXT_CANDIDATE_SQL, textQuery } from './message-text.js';

interface SearchDbRow extends MetaRow {
  sent_date: number | null;
  search_headers?: string | null;
  parts?: string;
}

/** How a page is filtered: on the header cache, on the text index, on the text index or the header cache (TEXT). */
type TextFilter = 'none' | 'body' | 'text';

export function createMessageSearch(db: Db): Pick<MessageRepo, 'searchRows' | 'setSearchHeaders'> {
  const searchStatements = new Map<string, { all(...params: Array<number | string>): SearchDbRow[] }>();
  const searchStatement = (headers: boolean, parts: boolean, needle: boolean, text: TextFilter) => {
    const key = `${headers}/${parts}/${needle}/${text}`;
    let statement = searchStatements.get(key);
    if (statement === undefined) {
      const extra = `${headers ? ', search_headers' : ''}${parts ? ', parts' : ''}`;
      let filter = needle ? ' AND (search_headers IS NULL OR instr(search_headers, ?) > 0 OR instr(search_headers, char(92)) > 0)' : '';
      if (text === 'body') filter += ` AND ${TEXT_CANDIDATE_SQL}`;
      if (text === 'text') filter += ` AND (${TEXT_CANDIDATE_SQL} OR search_headers IS NULL OR instr(search_headers, ?) > 0)`;
      // A negative LIMIT is none.
      const from = headers || parts || needle || text === 'text' ? MIME_JOIN : 'messages';
      statement = db.prepare<Array<number | string>, SearchDbRow>(`SELECT ${META_COLUMNS}, sent_date${extra} FROM ${from} WHERE mailbox_id = ? AND uid > ?${filter} ORDER BY uid LIMIT ?`);
      searchStatements.set(key, statement);
    }
    return statement;
  };
  const setSearchHeaders = db.prepare<[string, number]>('UPDATE message_mime SET search_headers = ? WHERE id = ?');

  return {
    searchRows(mailboxId, columns) {
      const needle = columns.headerNeedle;
      const params: Array<number | string> = [mailboxId, columns.afterUid ?? 0];
      if (needle !== undefined) params.push(needle);
      const query = columns.textNeedle === undefined ? null : textQuery(columns.textNeedle.value);
      let text: TextFilter = 'none';
      if (query !== null) {
        text = columns.textNeedle!.headers ? 'text' : 'body';
        params.push(query);
        if (text === 'text') params.push(columns.textNeedle!.value);
      }
      params.push(columns.limit ?? -1);
      return searchStatement(columns.headers, columns.parts, needle !== undefined, text)
        .all(...params)
        .map((r) => {
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
