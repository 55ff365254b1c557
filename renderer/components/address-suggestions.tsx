// Address pickers that scale: suggestions come from the server's search (users and aliases that
// contain what was typed), a few at a time, instead of loading every account into the page.
import { useDeferredValue } from 'react';
import { useQuery } from '../client-context.js';

const SUGGESTIONS = 10;

/** Addresses of users and aliases containing `typed` (nothing until something is typed). */
export function useAddressSuggestions(typed: string, what: 'users' | 'users and aliases' = 'users and aliases'): string[] {
  const query = useDeferredValue(typed.trim());
  const found = useQuery(
    async (api) => {
      if (query === '') return [];
      const [users, aliases] = await Promise.all([
        api.searchAccounts({ query, limit: SUGGESTIONS }),
        what === 'users' ? undefined : api.searchAliases({ query, limit: SUGGESTIONS }),
      ]);
      return [...users.items, ...(aliases?.items ?? []).filter((a) => !a.catchAll)].map((x) => x.address);
    },
    [query, what],
  );
  return found.data ?? [];
}
