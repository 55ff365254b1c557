// LIST (RFC 3501 §6.3.8 with RFC 5258 LIST-EXTENDED, RFC 3348 CHILDREN, RFC 6154 SPECIAL-USE,
// RFC 5819 LIST-STATUS) and LSUB (RFC 3501 §6.3.9).
//
// Rules:
// - INBOX is listed first, then the rest in name order. Every listed mailbox carries \HasChildren or
//   \HasNoChildren and its special-use attribute; a name that is not a mailbox but has mailboxes below
//   it is listed when a pattern matches it, as \Noselect (\NonExistent in the extended form).
// - `LIST "" ""` answers the hierarchy delimiter (RFC 3501 §6.3.8).
// - Subscriptions are names (store/subscriptions.ts): a subscribed name without a mailbox appears only
//   where subscriptions are listed (selection SUBSCRIBED: \NonExistent \Subscribed; LSUB: \Noselect).
// - Selection SUBSCRIBED lists subscribed names with \Subscribed; with RECURSIVEMATCH also their
//   unsubscribed superiors whose subscribed inferiors the patterns do not reach, tagged CHILDINFO
//   ("SUBSCRIBED") (RFC 5258 §3.5). Selection SPECIAL-USE
//   lists only mailboxes with a special use. RETURN (SUBSCRIBED) adds \Subscribed; RETURN (STATUS ...)
//   sends a STATUS response after each selectable mailbox.
// - Other owners' mailboxes the principal may look up (`l`) are listed under Other Users/ and Shared/
//   (store.acl.visible), with their superiors as \Noselect (\NonExistent) names (RFC 4314 §4: a parent
//   without `l` is listed as if it did not exist); their special use is not shown.
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
  /** Another owner's mailbox: the principal's rights on it (store.acl.visible); null for its own. */
  rights: string | null;
  hasChildren: boolean;
  subscribed: boolean;
}

/** In the mailbox hierarchy: a mailbox, or a name with mailboxes below it (not a bare subscription). */
const inHierarchy = (e: Entry) => e.mailbox !== null || e.hasChildren;

/** Existing mailboxes, the names above them and the subscribed names, INBOX first, then by name. */
async function entries(session: ImapSession): Promise<Entry[]> {
  const { store } = session.ctx;
  const { accountId } = principal(session);
  // Others' mailboxes come only as store.acl.visible lists them: those the principal may look up (`l`).
  const [mailboxes, subscribed, shared] = await Promise.all([store.mailboxes.list(accountId), store.subscriptions.list(accountId), store.acl.visible(accountId)]);
  const byName = new Map<string, Entry>();
  const entry = (name: string) => {
    let e = byName.get(name);
    if (e === undefined) byName.set(name, (e = { name, mailbox: null, rights: null, hasChildren: false, subscribed: false }));
    return e;
  };
  const named = [...mailboxes.map((m) => ({ name: m.name, mailbox: m, rights: null })), ...shared.map((a) => ({ name: a.name, mailbox: a.mailbox, rights: a.rights }))];
  for (const { name, mailbox, rights } of named) Object.assign(entry(name), { mailbox, rights });
  for (const { name } of named) for (const superior of superiorNames(name)) entry(superior).hasChildren = true;
  for (const name of subscribed) {
    entry(name).subscribed = true;
    for (const superior of superiorNames(name)) entry(superior);
  }
  return [...byName.values()].sort((a, b) => (a.name === 'INBOX' ? -1 : b.name === 'INBOX' ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Has `entry` a subscribed inferior that `matches` does not reach (so it must stand for it)? */
function subscribedUnreached(all: readonly Entry[], entry: Entry, matches: (name: string) => boolean): boolean {
  const prefix = entry.name + DELIMITER;
  return all.some((e) => e.subscribed && e.name.startsWith(prefix) && !matches(e.name));
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
    const matchesAny = (name: string) => matchers.some((matches) => matches(name));
    const { store } = session.ctx;
    const all = await entries(session);
    // LIST-STATUS: every listed mailbox's STATUS is asked for at once (the read workers count them side
    // by side), and the answers go out in LIST order.
    const listed: Array<{ name: string; attributes: string[]; childInfo: boolean; status: Promise<ImapResponse | null> | null }> = [];
    for (const entry of all) {
      if (!matchesAny(entry.name)) continue;
      const { mailbox, subscribed } = entry;
      let childInfo = false;
      if (selection.subscribed && !subscribed) {
        // RFC 5258 §3.5: a parent stands for subscribed inferiors the patterns do not list themselves.
        if (!(selection.recursiveMatch && subscribedUnreached(all, entry, matchesAny))) continue;
        childInfo = true;
      }
      if (!selection.subscribed && !inHierarchy(entry)) continue;
      if (selection.specialUse && !mailbox?.specialUse) continue;
      const attributes = mailbox === null ? [args.extended ? '\\NonExistent' : '\\Noselect'] : [];
      attributes.push(childAttribute(entry));
      if (mailbox?.specialUse && entry.rights === null) attributes.push(mailbox.specialUse);
      if (subscribed && (selection.subscribed || returns.subscribed)) attributes.push('\\Subscribed');
      // LIST-STATUS of another's mailbox needs `r` (RFC 5819 §2: left out when it cannot be given).
      const readable = entry.rights === null || entry.rights.includes('r');
      const status = returns.status !== null && mailbox !== null && readable ? statusResponse(store, mailbox.id, returns.status, entry.name) : null;
      status?.catch(() => undefined); // awaited below, in order
      listed.push({ name: entry.name, attributes, childInfo, status });
    }
    for (const { name, attributes, childInfo, status } of listed) {
      sendList(session, name, attributes, childInfo);
      const response = status === null ? null : await status;
      if (response !== null) session.send(response);
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
    const all = await entries(session);
    for (const entry of all) {
      if (!matches(entry.name)) continue;
      if (entry.subscribed) {
        const attributes = entry.mailbox === null ? ['\\Noselect'] : [childAttribute(entry)];
        session.send({ kind: 'lsub', attributes, delimiter: DELIMITER, mailbox: entry.name });
        continue;
      }
      if (subscribedUnreached(all, entry, matches)) session.send({ kind: 'lsub', attributes: ['\\Noselect'], delimiter: DELIMITER, mailbox: entry.name });
    }
    return { text: 'LSUB completed' };
  },
};
