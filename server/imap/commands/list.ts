// LIST (RFC 3501 §6.3.8 with RFC 5258 LIST-EXTENDED, RFC 3348 CHILDREN, RFC 6154 SPECIAL-USE,
// RFC 5819 LIST-STATUS) and LSUB (RFC 3501 §6.3.9).
//
// Rules:
// - INBOX is listed first, then the rest in name order. Every listed mailbox carries \HasChildren or
//   \HasNoChildren and its special-use attribute; a name that is not a mailbox but has mailboxes below
//   it is listed when a pattern matches it, as \Noselect (\NonExistent in the extended form).
// - `LIST "" ""` answers the hierarchy delimiter (RFC 3501 §6.3.8).
// - Selection SUBSCRIBED lists subscribed mailboxes with \Subscribed; with RECURSIVEMATCH also their
//   unsubscribed superiors, tagged CHILDINFO ("SUBSCRIBED") (RFC 5258 §3.5). Selection SPECIAL-USE
//   lists only mailboxes with a special use. RETURN (SUBSCRIBED) adds \Subscribed; RETURN (STATUS ...)
//   sends a STATUS response after each selectable mailbox.
// - LSUB lists subscribed mailboxes; an unsubscribed superior matched by `%` whose subscribed
//   inferior the pattern does not reach is listed as \Noselect (RFC 3501 §6.3.9).
import type { Mailbox } from '../../store/mailboxes.js';
import { AUTHENTICATED, NO_FLAGS, principal, type CommandSpec, type ImapSession } from '../command.js';
import { DELIMITER, listMatcher, superiorNames } from '../mailbox-names.js';
import { atom, encodeMutf7, type ImapResponse } from '../wire/index.js';
import { noteStatusItems, statusResponse } from './status.js';

interface Entry {
  name: string;
  mailbox: Mailbox | null;
  hasChildren: boolean;
  subscribedBelow: boolean;
}

/** Existing mailboxes and the names above them, INBOX first, then by name. */
function entries(mailboxes: readonly Mailbox[]): Entry[] {
  const byName = new Map<string, Entry>();
  for (const mailbox of mailboxes) byName.set(mailbox.name, { name: mailbox.name, mailbox, hasChildren: false, subscribedBelow: false });
  for (const mailbox of mailboxes) {
    for (const name of superiorNames(mailbox.name)) {
      let entry = byName.get(name);
      if (entry === undefined) byName.set(name, (entry = { name, mailbox: null, hasChildren: false, subscribedBelow: false }));
      entry.hasChildren = true;
      if (mailbox.subscribed) entry.subscribedBelow = true;
    }
  }
  return [...byName.values()].sort((a, b) => (a.name === 'INBOX' ? -1 : b.name === 'INBOX' ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function childAttribute(entry: Entry): string {
  return entry.hasChildren ? '\\HasChildren' : '\\HasNoChildren';
}

export const list: CommandSpec<'LIST'> = {
  name: 'LIST',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    const { selection, returns } = args;
    if (!args.extended && args.patterns.length === 1 && args.patterns[0] === '') {
      session.send({ kind: 'list', attributes: ['\\Noselect'], delimiter: DELIMITER, mailbox: '' });
      return { text: 'LIST completed' };
    }
    if (returns.status !== null) noteStatusItems(session, returns.status);
    const matchers = args.patterns.map((pattern) => listMatcher(args.reference, pattern));
    const { store } = session.ctx;
    for (const entry of entries(await store.mailboxes.list(principal(session).accountId))) {
      if (!matchers.some((matches) => matches(entry.name))) continue;
      const { mailbox } = entry;
      const subscribed = mailbox?.subscribed === true;
      let childInfo = false;
      if (selection.subscribed && !subscribed) {
        if (!(selection.recursiveMatch && entry.subscribedBelow)) continue;
        childInfo = true;
      }
      if (selection.specialUse && !mailbox?.specialUse) continue;
      const attributes = mailbox === null ? [args.extended ? '\\NonExistent' : '\\Noselect'] : [];
      attributes.push(childAttribute(entry));
      if (mailbox?.specialUse) attributes.push(mailbox.specialUse);
      if (subscribed && (selection.subscribed || returns.subscribed)) attributes.push('\\Subscribed');
      sendList(session, entry.name, attributes, childInfo);
      if (returns.status !== null && mailbox !== null) {
        const response = await statusResponse(store, mailbox.id, returns.status);
        if (response !== null) session.send(response);
      }
    }
    return { text: 'LIST completed' };
  },
};

function sendList(session: ImapSession, name: string, attributes: string[], childInfo: boolean): void {
  if (!childInfo) return session.send({ kind: 'list', attributes, delimiter: DELIMITER, mailbox: name });
  // mbox-list-extended (RFC 5258 §9): the typed `list` response has no room for it.
  const response: ImapResponse = {
    kind: 'data',
    values: [atom('LIST'), attributes.map(atom), DELIMITER, encodeMutf7(name), [atom('CHILDINFO'), ['SUBSCRIBED']]],
  };
  session.send(response);
}

export const lsub: CommandSpec<'LSUB'> = {
  name: 'LSUB',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    const matches = listMatcher(args.reference, args.pattern);
    const all = entries(await session.ctx.store.mailboxes.list(principal(session).accountId));
    for (const entry of all) {
      if (!matches(entry.name)) continue;
      if (entry.mailbox?.subscribed) {
        session.send({ kind: 'lsub', attributes: [childAttribute(entry)], delimiter: DELIMITER, mailbox: entry.name });
        continue;
      }
      const prefix = entry.name + DELIMITER;
      const unreached = all.some((e) => e.mailbox?.subscribed && e.name.startsWith(prefix) && !matches(e.name));
      if (unreached) session.send({ kind: 'lsub', attributes: ['\\Noselect'], delimiter: DELIMITER, mailbox: entry.name });
    }
    return { text: 'LSUB completed' };
  },
};
