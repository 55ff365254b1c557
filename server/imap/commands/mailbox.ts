// CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE (RFC 3501 §6.3.3-7).
//
// Rules:
// - CREATE makes missing superiors too (`a/b/c` creates `a` and `a/b`); INBOX and existing names are
//   NO [ALREADYEXISTS]; invalid names NO [CANNOT] (mailbox-names.ts).
// - DELETE refuses INBOX and a mailbox with inferiors (NO [HASCHILDREN], RFC 5530 — Dovecot's
//   answer; RFC 3501 would keep it as \Noselect, which leaves nothing useful to select). Its messages
//   are expunged in the same transaction. Deleting the selected mailbox deselects it first.
// - RENAME moves inferiors along; renaming INBOX moves its messages to the new mailbox and leaves an
//   empty INBOX (RFC 3501 §6.3.5). A session with INBOX selected sees those messages expunged.
// - SUBSCRIBE/UNSUBSCRIBE need an existing mailbox.
import { INBOX } from '../../store/mailboxes.js';
import { AUTHENTICATED, NO_FLAGS, principal, type CommandSpec, type ImapSession } from '../command.js';
import { ImapNo } from '../errors.js';
import { DELIMITER, checkNewName } from '../mailbox-names.js';

async function existing(session: ImapSession, name: string) {
  const mailbox = await session.ctx.store.mailboxes.get(principal(session).accountId, name);
  if (!mailbox) throw new ImapNo(`Mailbox ${name} does not exist`, 'NONEXISTENT');
  return mailbox;
}

export const create: CommandSpec<'CREATE'> = {
  name: 'CREATE',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    const name = checkNewName(args.mailbox);
    if (name === INBOX) throw new ImapNo('INBOX always exists', 'ALREADYEXISTS');
    const { changes } = await session.ctx.store.mailboxes.createPath(principal(session).accountId, name);
    session.publish(changes);
    return { text: 'CREATE completed' };
  },
};

export const deleteCommand: CommandSpec<'DELETE'> = {
  name: 'DELETE',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    if (args.mailbox === INBOX) throw new ImapNo('INBOX cannot be deleted', 'CANNOT');
    const mailbox = await existing(session, args.mailbox);
    const { store } = session.ctx;
    const prefix = mailbox.name + DELIMITER;
    if ((await store.mailboxes.list(mailbox.accountId)).some((m) => m.name.startsWith(prefix))) {
      throw new ImapNo(`Mailbox ${mailbox.name} has inferior mailboxes: delete them first`, 'HASCHILDREN');
    }
    if (session.state.kind === 'selected' && session.state.view.mailboxId === mailbox.id) session.deselect();
    const { changes } = await store.deleteMailbox(mailbox.id);
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
    const source = await existing(session, args.from);
    const { changes } = await session.ctx.store.mailboxes.rename(principal(session).accountId, source.name, to);
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
    await session.ctx.store.mailboxes.setSubscribed((await existing(session, args.mailbox)).id, true);
    return { text: 'SUBSCRIBE completed' };
  },
};

export const unsubscribe: CommandSpec<'UNSUBSCRIBE'> = {
  name: 'UNSUBSCRIBE',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    await session.ctx.store.mailboxes.setSubscribed((await existing(session, args.mailbox)).id, false);
    return { text: 'UNSUBSCRIBE completed' };
  },
};
