// CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE (RFC 3501 §6.3.3-7).
//
// Rules:
// - CREATE makes missing superiors too (`a/b/c` creates `a` and `a/b`); INBOX and existing names are
//   NO [ALREADYEXISTS]; invalid names NO [CANNOT] (mailbox-names.ts).
// - DELETE refuses INBOX. A mailbox with inferiors goes too (RFC 3501 §6.3.4): its messages are
//   expunged and its name lives on as their superior, listed \Noselect while they exist. Messages are
//   expunged in the same transaction. Deleting the selected mailbox deselects it first. Subscriptions
//   are left as they are (RFC 3501 §6.3.6: never removed unilaterally).
// - RENAME moves inferiors along; renaming INBOX moves its messages to the new mailbox and leaves an
//   empty INBOX (RFC 3501 §6.3.5). A session with INBOX selected sees those messages expunged.
// - In another user's tree (Other Users/, Shared/) store.access decides: CREATE needs `k` on the
//   parent, DELETE `x`, RENAME `x` and `k` and stays within one owner's tree (RFC 4314 §4); a mailbox
//   hidden from the principal is NO [NONEXISTENT], a missing right NO [NOPERM].
// - SUBSCRIBE/UNSUBSCRIBE take any valid name, existing or not (RFC 3501 §6.3.6, RFC 5258 §3).
import { INBOX } from '../../store/mailboxes.js';
import { AUTHENTICATED, NO_FLAGS, principal, type CommandSpec } from '../command.js';
import { ImapNo } from '../errors.js';
import { checkNewName } from '../mailbox-names.js';
import { mailboxObjectId } from '../object-ids.js';

export const create: CommandSpec<'CREATE'> = {
  name: 'CREATE',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    const name = checkNewName(args.mailbox);
    if (name === INBOX) throw new ImapNo('INBOX always exists', 'ALREADYEXISTS');
    const { result, changes } = await session.ctx.store.access.create(principal(session).accountId, name);
    session.publish(changes);
    return { text: 'CREATE completed', code: { code: 'MAILBOXID', id: mailboxObjectId(result) } as const };
  },
};

export const deleteCommand: CommandSpec<'DELETE'> = {
  name: 'DELETE',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    if (args.mailbox === INBOX) throw new ImapNo('INBOX cannot be deleted', 'CANNOT');
    const selectedId = session.state.kind === 'selected' ? session.state.view.mailboxId : null;
    const { changes, mailboxId } = await session.ctx.store.access.delete(principal(session).accountId, args.mailbox);
    if (selectedId === mailboxId) session.deselect();
    session.publish(changes);
    return { text: 'DELETE completed' };
  },
};

export const rename: CommandSpec<'RENAME'> = {
  name: 'RENAME',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    const to = checkNewName(args.to);
    if (to === INBOX) throw new ImapNo('INBOX already exists', 'ALREADYEXISTS');
    const { changes } = await session.ctx.store.access.rename(principal(session).accountId, args.from, to);
    // Renaming INBOX empties it: a session with INBOX selected must report those expunges itself.
    session.publish(changes, { unreported: true });
    return { text: 'RENAME completed' };
  },
};

export const subscribe: CommandSpec<'SUBSCRIBE'> = {
  name: 'SUBSCRIBE',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    await session.ctx.store.subscriptions.add(principal(session).accountId, checkNewName(args.mailbox));
    return { text: 'SUBSCRIBE completed' };
  },
};

export const unsubscribe: CommandSpec<'UNSUBSCRIBE'> = {
  name: 'UNSUBSCRIBE',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    await session.ctx.store.subscriptions.remove(principal(session).accountId, args.mailbox);
    return { text: 'UNSUBSCRIBE completed' };
  },
};
