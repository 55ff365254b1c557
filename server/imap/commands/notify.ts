// NOTIFY (RFC 5465 §3): SET starts (or replaces) the session's notifier (notify.ts), sending with
// STATUS the current status of each watched mailbox first; NONE stops it. The notifier ends with the
// login.
import { AUTHENTICATED, NO_FLAGS, principal, type CommandSpec } from '../command.js';
import { Notifier } from '../notify.js';

export const notify: CommandSpec<'NOTIFY'> = {
  name: 'NOTIFY',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    if (args.kind === 'none') {
      session.setNotifier(null);
      return { text: 'NOTIFY completed' };
    }
    const selectedId = session.state.kind === 'selected' ? session.state.view.mailboxId : null;
    const { notifier, initial } = await Notifier.start(session.ctx.store, session.ctx.bus, principal(session).accountId, args, selectedId);
    session.setNotifier(notifier);
    for (const response of initial) session.send(response);
    return { text: 'NOTIFY completed' };
  },
};
