// The PostgreSQL side of server-side paging: the same statements as SQLite's (../paging.ts), run
// through the transaction's Sql.
import { pageStatements, type PageFilter, type PageRequest, type PageRows, type PagerSpec } from '../paging.js';
import type { Sql } from './sql.js';

export async function pageOfRows<Row>(sql: Sql, spec: PagerSpec<string>, request: PageRequest<string>, filters: PageFilter[]): Promise<PageRows<Row>> {
  const statements = pageStatements(spec, request, filters, ' COLLATE "C"');
  // One after the other: a transaction's client runs one statement at a time anyway.
  const rows = await sql.all<Row>(statements.rows, statements.rowParams);
  return { rows, total: Number((await sql.value<number>(statements.count, statements.params)) ?? 0) };
}
