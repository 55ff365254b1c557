// Extensions that only add tags or comparators to what other modules define:
// encoded-character (RFC 5228 §2.4.2.4, read by template.ts), relational (RFC 5231: :value and
// :count join the match types, resolved by the validator), subaddress (RFC 5233: :user and
// :detail join the address parts), and the comparator capabilities (RFC 4790).

import { ASCII_NUMERIC } from '../comparators.js';
import type { Extension } from '../spec.js';

export const encodedCharacter: Extension = { name: 'encoded-character' };

export const relational: Extension = {
  name: 'relational',
  groupTags: [
    { name: 'value', extension: 'relational', param: 'string', group: 'match-type' },
    { name: 'count', extension: 'relational', param: 'string', group: 'match-type' },
  ],
};

export const subaddress: Extension = {
  name: 'subaddress',
  groupTags: [
    { name: 'user', extension: 'subaddress', group: 'address-part' },
    { name: 'detail', extension: 'subaddress', group: 'address-part' },
  ],
};

export const comparatorExtensions: Extension[] = [
  { name: 'comparator-i;octet' },
  { name: 'comparator-i;ascii-casemap' },
  { name: 'comparator-i;ascii-numeric', comparators: [ASCII_NUMERIC] },
];
