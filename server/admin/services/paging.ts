// The admin half of server-side paging: the contract's cursor becomes the store's offset, and the
// store's rows become a Page with the cursor of the next one. The cursor is the next offset as text:
// opaque to callers, cheap at the sizes an office keeps (10,000 users page in milliseconds).
import type { PageRequest, PageRows } from '../../store/paging.js';
import type { Page } from '../contract.js';

export function pageRequest<S extends string>(input: { cursor?: string; limit: number; sort: S; order: 'asc' | 'desc'; query: string }): PageRequest<S> {
  return { sort: input.sort, order: input.order, query: input.query, limit: input.limit, offset: input.cursor === undefined ? 0 : Number(input.cursor) };
}

export function pageOf<R, T>(request: PageRequest<string>, result: PageRows<R>, view: (row: R) => T): Page<T> {
  const end = request.offset + result.rows.length;
  return { items: result.rows.map(view), total: result.total, from: request.offset, nextCursor: end < result.total && result.rows.length > 0 ? String(end) : null };
}
