// Server-side paging for the lists that grow (users, aliases, queue): the page keeps the search, sort
// and the cursors it walked through; the server filters, sorts and counts (admin search* methods).
import { useEffect, useState, type ReactNode } from 'react';
import { Button, Group, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconSearch, IconSelector } from '@tabler/icons-react';
import type { Page } from '../../server/admin/contract.js';

export const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 250;

export interface Paging<S extends string> {
  /** What the search box shows (the server gets it a moment after the last key). */
  search: string;
  setSearch(search: string): void;
  sort: S;
  order: 'asc' | 'desc';
  /** Sorts by `key`, or turns the order around when already sorted by it. */
  toggleSort(key: S): void;
  /** The search method's paging input. */
  params: { cursor?: string; limit: number; sort: S; order: 'asc' | 'desc'; query: string };
  next(cursor: string): void;
  previous(): void;
  hasPrevious: boolean;
}

export function usePaging<S extends string>(defaultSort: S, defaultOrder: 'asc' | 'desc' = 'asc'): Paging<S> {
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<{ key: S; order: 'asc' | 'desc' }>({ key: defaultSort, order: defaultOrder });
  // The cursors of the pages before the current one, and the current one's (undefined: the first page).
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  // Only a changed query goes back to the first page: the timer armed on mount (or by a space typed
  // after a word) must not undo a "Next page" clicked meanwhile.
  useEffect(() => {
    const wanted = search.trim();
    if (wanted === query) return;
    const timer = setTimeout(() => {
      setQuery(wanted);
      setCursors([undefined]);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, query]);
  return {
    search,
    setSearch,
    sort: sort.key,
    order: sort.order,
    toggleSort(key) {
      setSort((s) => (s.key === key ? { key, order: s.order === 'asc' ? 'desc' : 'asc' } : { key, order: 'asc' }));
      setCursors([undefined]);
    },
    params: { cursor: cursors.at(-1), limit: PAGE_SIZE, sort: sort.key, order: sort.order, query },
    next: (cursor) => setCursors((c) => [...c, cursor]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    hasPrevious: cursors.length > 1,
  };
}

export function SearchBox({ paging, label, placeholder }: { paging: Paging<string>; label: string; placeholder: string }) {
  return (
    <TextInput
      placeholder={placeholder}
      leftSection={<IconSearch size={16} />}
      value={paging.search}
      onChange={(e) => paging.setSearch(e.currentTarget.value)}
      aria-label={label}
      w={280}
      maw="100%"
    />
  );
}

/** A column header that sorts the list on the server; aria-sort tells screen readers how it stands. */
export function SortTh<S extends string>({ paging, sortKey, children, w }: { paging: Paging<S>; sortKey: S; children: ReactNode; w?: number }) {
  const active = paging.sort === sortKey;
  const Icon = !active ? IconSelector : paging.order === 'asc' ? IconArrowUp : IconArrowDown;
  return (
    <Table.Th w={w} aria-sort={active ? (paging.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton onClick={() => paging.toggleSort(sortKey)} fw={700} fz="sm">
        <Group gap={4} wrap="nowrap">
          {children}
          <Icon size={14} aria-hidden />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

/** "51–100 of 10,000" with Previous and Next. */
export function PagerBar({ page, paging, what }: { page: Page<unknown>; paging: Paging<string>; what: string }) {
  const first = page.items.length === 0 ? 0 : page.from + 1;
  const last = page.from + page.items.length;
  return (
    <Group justify="space-between" mt="sm" gap="xs">
      <Text size="sm" c="dimmed" aria-live="polite" data-testid="pager-count">
        {page.total === 0 ? `No ${what}` : `${first.toLocaleString()}–${last.toLocaleString()} of ${page.total.toLocaleString()} ${what}`}
      </Text>
      {(paging.hasPrevious || page.nextCursor !== null) && (
        <Group gap="xs">
          <Button size="xs" variant="default" disabled={!paging.hasPrevious} onClick={paging.previous}>
            Previous page
          </Button>
          <Button size="xs" variant="default" disabled={page.nextCursor === null} onClick={() => page.nextCursor !== null && paging.next(page.nextCursor)}>
            Next page
          </Button>
        </Group>
      )}
    </Group>
  );
}

/** A page of a list: sticky headers, scrolling inside itself on narrow windows, and the pager below. */
export function PagedTable<T>({ label, minWidth, page, paging, what, head, children }: { label: string; minWidth: number; page: Page<T>; paging: Paging<string>; what: string; head: ReactNode; children: (items: T[]) => ReactNode }) {
  return (
    <>
      <Table.ScrollContainer minWidth={minWidth} maxHeight="70vh" type="native">
        <Table striped highlightOnHover stickyHeader aria-label={label}>
          <Table.Thead>
            <Table.Tr>{head}</Table.Tr>
          </Table.Thead>
          <Table.Tbody>{children(page.items)}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <PagerBar page={page} paging={paging} what={what} />
    </>
  );
}
