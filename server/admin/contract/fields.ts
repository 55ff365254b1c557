// Field schemas several admin areas share (browser-safe: zod only).
import { z } from 'zod';

/** The input type of one method of an area's schema table (kept per area so no area imports contract.ts back). */
export type InputOf<S, K extends keyof S> = S[K] extends z.ZodType ? z.input<S[K]> : never;

export const text = (what: string) => z.string({ error: `${what} is required.` }).trim().min(1, `${what} is required.`);
export const bytes = z.number().int().min(0, 'A size cannot be negative.');

/**
 * The paging input of the lists that grow (issue 18): `cursor` is the previous page's `nextCursor`,
 * `query` a case-insensitive substring, `sort` one of the list's keys (the first is the default).
 */
export const pageInput = <S extends readonly [string, ...string[]]>(sorts: S) => ({
  cursor: z.string().regex(/^\d{1,9}$/, 'A cursor is what the previous page returned as nextCursor.').optional(),
  limit: z.number().int().min(1, 'A page holds 1 to 500 rows.').max(500, 'A page holds 1 to 500 rows.').default(50),
  sort: z.enum(sorts).default(sorts[0] as S[number]),
  order: z.enum(['asc', 'desc']).default('asc'),
  query: z.string().trim().max(200, 'A search is at most 200 characters.').default(''),
});

/** One page of a list that grows, and where the next one starts. */
export interface Page<T> {
  items: T[];
  /** Rows matching the filter and search, over all pages. */
  total: number;
  /** Position of the first item among those rows (0-based). */
  from: number;
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}
