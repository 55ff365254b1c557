// A user field that suggests the existing accounts as the admin types (any text may be typed; the
// server says when there is no such account).
import { Autocomplete, type AutocompleteProps } from '@mantine/core';
import { useQuery } from '../../client-context.js';

export function AccountField(props: Omit<AutocompleteProps, 'data'>) {
  const accounts = useQuery((a) => a.listAccounts({}));
  return <Autocomplete data={accounts.data?.map((a) => a.address) ?? []} limit={20} {...props} />;
}
