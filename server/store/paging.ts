// Paged, sorted and searched reads of the lists that grow (accounts, aliases, queue): the database
// does the filtering, ordering and counting so the admin never moves a whole table to show 50 rows.
// Sort keys are looked up in a fixed map (never interpolated from input); the search is a
// case-insensitive substring over the listed columns.
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.js';

export type SortOrder = 'asc' | 'desc';

export interface PageRequest<S extends string> {
  sort: S;
  order: SortOrder;
  /** Substring to look for (empty: everything). */
  query: string;
  offset: number;
  limit: number;
}

export interface PageRows<T> {
  rows: T[];
  /** How many rows match the filter and the search (all pages). */
  total: number;
}

/** A fixed filter of a list (a domain, a state): SQL with `?` placeholders and its values. */
export interface PageFilter {
  sql: string;
  params: unknown[];
}

export interface PagerSpec<S extends string> {
  /** `SELECT columns FROM tables` without WHERE or ORDER BY. */
  select: string;
  /** The FROM part alone, for the count (joins it needs included). */
  from: string;
  /** SQL expressions the search matches against. */
  searchIn: string[];
  /** ORDER BY expression per sort key. */
  sorts: Record<S, string>;
  /** Appended to every ORDER BY so pages never overlap on ties. */
  tiebreak: string;
}

// LIKE treats % and _ as wildcards: a search for "a_b" means those three characters.
const likePattern = (query: string) => `%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The page's and the count's SQL (`?` placeholders, the same for SQLite and PostgreSQL) and values.
 * `binary` is the store's byte-wise collation clause: PostgreSQL's case-insensitive columns refuse LIKE
 * without one.
 */
export function pageStatements<S extends string>(spec: PagerSpec<S>, request: PageRequest<S>, filters: PageFilter[] = [], binary = '') {
  const conditions = filters.map((f) => `(${f.sql})`);
  const params = filters.flatMap((f) => f.params);
  if (request.query !== '') {
    conditions.push(`(${spec.searchIn.map((column) => `lower(${column})${binary} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
    params.push(...spec.searchIn.map(() => likePattern(request.query)));
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const direction = request.order === 'desc' ? 'DESC' : 'ASC';
  return {
    rows: `${spec.select} ${where} ORDER BY ${spec.sorts[request.sort]} ${direction}, ${spec.tiebreak} ${direction} LIMIT ? OFFSET ?`,
    count: `SELECT count(*) AS n ${spec.from} ${where}`,
    params,
    rowParams: [...params, request.limit, request.offset],
  };
}

/** The SQLite pager: statements prepared once per shape (sort, order, filters, search or not; few). */
export function createPager<Row, S extends string>(db: Db, spec: PagerSpec<S>) {
  const statements = new Map<string, { rows: Statement<unknown[], Row>; count: Statement<unknown[], { n: number }> }>();
  return (request: PageRequest<S>, filters: PageFilter[] = []): PageRows<Row> => {
    const sql = pageStatements(spec, request, filters);
    let statement = statements.get(sql.rows);
    if (!statement) {
      statement = { rows: db.prepare<unknown[], Row>(sql.rows), count: db.prepare<unknown[], { n: number }>(sql.count) };
      statements.set(sql.rows, statement);
    }
    return { rows: statement.rows.all(...sql.rowParams), total: statement.count.get(...sql.params)!.n };
  };
}
