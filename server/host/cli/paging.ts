// The paging options of the list commands that can grow (`user list`, `alias list`, `queue list`):
// with any of them the server pages, sorts and searches (the GUI's search* methods), and the last line
// says how many there are and how to get the next page. Without them the list is printed whole.
import { Option, type Command } from 'commander';
import type { Page } from '../../admin/contract.js';
import { integerArgument } from './arguments.js';
import type { Output } from './output.js';
import { z } from 'zod';

export interface PageOptions {
  search?: string;
  sort?: string;
  desc?: boolean;
  limit?: number;
  cursor?: string;
}

export function addPageOptions(cmd: Command, sorts: readonly string[]): Command {
  return cmd
    .option('--search <text>', 'only rows containing this text (case-insensitive)')
    .addOption(new Option('--sort <key>', 'sort by').choices(sorts))
    .option('--desc', 'sort descending')
    .option('--limit <n>', 'rows per page (1 to 500)', integerArgument(z.number().int().min(1, 'A page holds 1 to 500 rows.').max(500, 'A page holds 1 to 500 rows.')))
    .option('--cursor <cursor>', 'the page to show, as printed after the previous one');
}

export const wantsPage = (o: PageOptions) => o.search !== undefined || o.sort !== undefined || o.desc !== undefined || o.limit !== undefined || o.cursor !== undefined;

/** The search method's paging input from the options (the sort key is checked by commander's choices). */
export const pageInput = <S extends string>(o: PageOptions) => ({ query: o.search, sort: o.sort as S | undefined, order: o.desc ? ('desc' as const) : ('asc' as const), limit: o.limit, cursor: o.cursor });

/** The rows as a table, then "rows 1–50 of 10000; next page: --cursor 50" (with --json: the page itself). */
export function printPage<T extends object>(out: Output, page: Page<T>, columns: string[], rows: (items: T[]) => object[] = (items) => items) {
  if (out.json) return out.io.print(JSON.stringify(page));
  out.table(rows(page.items), columns);
  const range = page.items.length === 0 ? 'no rows' : `rows ${page.from + 1}-${page.from + page.items.length}`;
  out.io.print(`${range} of ${page.total}${page.nextCursor === null ? '' : `; next page: --cursor ${page.nextCursor}`}`);
}
