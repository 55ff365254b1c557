// SORT's ordering (RFC 5256 §3, RFC 5957): the matched messages ordered by the criteria in turn, each
// optionally reversed, and by sequence number when every criterion ties.
//
// Keys: ARRIVAL is INTERNALDATE; DATE the Date: header as an instant, or INTERNALDATE when there is
// none that parses; SIZE is RFC822.SIZE; FROM/TO/CC the mailbox (local part) of the field's first
// address (a group's name for a group); DISPLAYFROM/DISPLAYTO its display name, or its addr-spec when it
// has none; SUBJECT the base subject (base-subject.ts). Strings compare as i;ascii-casemap (ASCII
// letters upper-cased, then octet order), a missing field as the empty string.
import { parseAddressList } from '../mime/index.js';
import type { SearchRow } from '../store/messages.js';
import { baseSubject } from './base-subject.js';
import { headerValues } from './header-text.js';
import type { SortCriterion, SortKey } from './wire/index.js';

export interface Sortable {
  readonly row: SearchRow;
  readonly seq: number;
}

/** Does one of the criteria read the header cache? */
export function sortNeedsHeaders(criteria: readonly SortCriterion[]): boolean {
  return criteria.some((c) => c.key !== 'ARRIVAL' && c.key !== 'SIZE' && c.key !== 'DATE');
}

/** i;ascii-casemap: only a-z folded (to upper case, so `_` sorts after letters as in the octet order). */
export function asciiCasemap(text: string): string {
  return text.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

function firstAddress(headers: string, field: string): { mailbox: string; display: string } {
  const value = headerValues(headers, field)[0];
  const first = value === undefined ? undefined : parseAddressList(value)[0];
  if (first === undefined || first.mailbox === null) return { mailbox: '', display: '' };
  const spec = first.domain === null ? first.mailbox : `${first.mailbox}@${first.domain}`;
  return { mailbox: first.mailbox, display: first.name ?? (first.domain === null ? first.mailbox : spec) };
}

function keyOf(m: Sortable, key: SortKey): string | number {
  const headers = m.row.searchHeaders ?? '';
  switch (key) {
    case 'ARRIVAL':
      return m.row.internalDate;
    case 'DATE':
      return m.row.sentDate ?? m.row.internalDate;
    case 'SIZE':
      return m.row.size;
    case 'SUBJECT':
      return asciiCasemap(baseSubject(headerValues(headers, 'subject')[0] ?? ''));
    case 'FROM':
    case 'TO':
    case 'CC':
      return asciiCasemap(firstAddress(headers, key.toLowerCase()).mailbox);
    case 'DISPLAYFROM':
    case 'DISPLAYTO':
      return asciiCasemap(firstAddress(headers, key.slice('DISPLAY'.length).toLowerCase()).display);
  }
}

/** The messages in SORT order (a new array). */
export function sortMessages<T extends Sortable>(messages: readonly T[], criteria: readonly SortCriterion[]): T[] {
  const keys = messages.map((m) => ({ m, k: criteria.map((c) => keyOf(m, c.key)) }));
  keys.sort((a, b) => {
    for (let i = 0; i < criteria.length; i++) {
      const x = a.k[i];
      const y = b.k[i];
      if (x === y) continue;
      const order = x < y ? -1 : 1;
      return criteria[i].reverse ? -order : order;
    }
    return a.m.seq - b.m.seq;
  });
  return keys.map((e) => e.m);
}
