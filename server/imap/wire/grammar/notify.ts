// NOTIFY (RFC 5465 §8): `NOTIFY NONE` or `NOTIFY SET [STATUS] event-group…`, an event group being
// `(filter events)`. Limits: 20 event groups, 100 mailboxes in a filter. Event names are
// case-insensitive; MessageNew's fetch attributes and the metadata events are parsed as the grammar
// says and refused by the command (NO [BADEVENT]), as are unknown events.
import { shown } from '../errors.js';
import type { Reader } from '../tokens.js';

const MAX_GROUPS = 20;
const MAX_MAILBOXES = 100;

export type NotifyFilter =
  | { readonly kind: 'SELECTED' | 'SELECTED-DELAYED' | 'INBOXES' | 'PERSONAL' | 'SUBSCRIBED' }
  | { readonly kind: 'SUBTREE' | 'MAILBOXES'; readonly mailboxes: readonly string[] };

export interface NotifyGroup {
  readonly filter: NotifyFilter;
  /** Event names in upper case (MESSAGENEW, FLAGCHANGE, …); empty for NONE. */
  readonly events: readonly string[];
  /** MessageNew came with fetch attributes. */
  readonly fetchAttributes: boolean;
}

export type NotifyArgs = { readonly kind: 'none' } | { readonly kind: 'set'; readonly status: boolean; readonly groups: readonly NotifyGroup[] };

const SIMPLE_FILTERS = new Set(['SELECTED', 'SELECTED-DELAYED', 'INBOXES', 'PERSONAL', 'SUBSCRIBED']);

// notify = "NOTIFY" SP (notify-set / notify-none); notify-set = "SET" [status-indicator] SP event-groups;
// status-indicator = SP "STATUS"; event-groups = event-group *(SP event-group)
export function parseNotify(r: Reader): NotifyArgs {
  r.sp('NOTIFY argument');
  const word = r.keyword('NOTIFY argument');
  if (word === 'NONE') return { kind: 'none' };
  if (word !== 'SET') r.fail(`Expected SET or NONE, not ${shown(word)}`);
  r.sp('event group');
  let status = false;
  if (r.peek() !== 0x28) {
    if (r.keyword('event group') !== 'STATUS') r.fail('Expected STATUS or an event group');
    status = true;
    r.sp('event group');
  }
  const groups: NotifyGroup[] = [];
  for (;;) {
    groups.push(parseGroup(r));
    if (groups.length > MAX_GROUPS) r.fail('Too many event groups');
    if (r.atEnd()) return { kind: 'set', status, groups };
    r.sp('event group');
  }
}

// event-group = "(" filter-mailboxes SP events ")"
function parseGroup(r: Reader): NotifyGroup {
  r.expect(0x28, '( of an event group');
  const name = r.keyword('mailbox filter');
  let filter: NotifyFilter;
  if (SIMPLE_FILTERS.has(name)) filter = { kind: name as 'SELECTED' };
  else if (name === 'SUBTREE' || name === 'MAILBOXES') {
    r.sp('mailboxes');
    filter = { kind: name, mailboxes: oneOrMoreMailbox(r) };
  } else return r.fail(`Unknown mailbox filter ${shown(name)}`);
  r.sp('events');
  let events: string[] = [];
  let fetchAttributes = false;
  if (r.peek() === 0x28) {
    events = r.list('events', () => {
      const event = r.keyword('event');
      if (event === 'MESSAGENEW' && r.peek() === 0x20) {
        const mark = r.mark();
        r.sp('fetch attributes');
        if (r.peek() === 0x28) {
          skipList(r);
          fetchAttributes = true;
        } else r.reset(mark);
      }
      return event;
    });
  } else if (r.keyword('events') !== 'NONE') r.fail('Expected an event list or NONE');
  r.expect(0x29, ') of an event group');
  return { filter, events, fetchAttributes };
}

// one-or-more-mailbox = mailbox / "(" mailbox *(SP mailbox) ")"
function oneOrMoreMailbox(r: Reader): string[] {
  const names = r.peek() === 0x28 ? r.list('mailboxes', () => r.mailbox()) : [r.mailbox()];
  if (names.length > MAX_MAILBOXES) r.fail('Too many mailboxes in a filter');
  return names;
}

/** Skips a parenthesised list of fetch attributes (atoms, sections, nested lists). */
function skipList(r: Reader): void {
  r.expect(0x28, '(');
  let depth = 1;
  while (depth > 0) {
    if (r.atEnd()) r.fail('Missing ) of the fetch attributes');
    const c = r.peek();
    r.tryByte(c);
    if (c === 0x28) depth++;
    else if (c === 0x29) depth--;
  }
}
