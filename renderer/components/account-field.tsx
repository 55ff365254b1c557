// A user field that suggests existing accounts (found by the server's search) as the admin types; any
// text may be typed, and the server says when there is no such account.
import { Autocomplete, type AutocompleteProps } from '@mantine/core';
import { useAddressSuggestions } from './address-suggestions.js';

export function AccountField(props: Omit<AutocompleteProps, 'data'>) {
  const suggestions = useAddressSuggestions(props.value ?? '', 'users');
  return <Autocomplete data={suggestions} limit={20} {...props} />;
}
