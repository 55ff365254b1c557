// EXPUNGE and UID EXPUNGE (RFC 3501 §6.4.3, RFC 4315 §2.1), CLOSE (§6.4.2) and UNSELECT (RFC 3691).
//
// Rules: only messages the view knows and that carry \Deleted are removed (UID EXPUNGE: only those
// of its set), in one store transaction; each is reported as EXPUNGE (VANISHED with QRESYNC) with
// the client's current numbering. CLOSE expunges the same way without reporting, and only in a
// read-write mailbox where the session holds `e`; UNSELECT leaves without expunging. Both return to the authenticated state.
import { FLAG_BITS } from '../../store/messages.js';
import { NO_FLAGS, SELECTED, selected, type CommandSpec, type ImapSession } from '../command.js';
import { ImapNo } from '../errors.js';
import type { MailboxView } from '../selected-mailbox.js';
import { sendSliced } from '../turns.js';

const DELETED = FLAG_BITS['\\Deleted'];

/** Expunges the view's \Deleted messages (within `uids` when given); returns the UIDs removed. */
async function expungeDeleted(session: ImapSession, view: MailboxView, uids: readonly number[]): Promise<number[]> {
  const { store } = session.ctx;
  const doomed = (await store.messages.meta(view.mailboxId, uids))
    .filter((m) => (m.flags & DELETED) !== 0)
    .map((m) => m.uid);
  // Nothing to remove is still refused without the `e` right (store.access).
  if (doomed.length === 0 && view.grant.rights.includes('e')) return [];
  const { result, changes } = await store.access.expunge(view.grant, doomed);
  session.publish(changes);
  return result;
}

export const expunge: CommandSpec<'EXPUNGE'> = {
  name: 'EXPUNGE',
  states: SELECTED,
  flags: { usesSeqs: false, breaksSeqs: true },
  async run(session, { args }) {
    const { view } = selected(session);
    if (view.readOnly) throw new ImapNo('The mailbox is read-only', 'READ-ONLY');
    const uids = args.uids === null ? Array.from(view.allUids) : view.resolve(args.uids, true).uids;
    const removed = await expungeDeleted(session, view, uids);
    await sendSliced(session, view.expunged(removed, session.enabled('QRESYNC')));
    return { text: `${args.uids === null ? 'EXPUNGE' : 'UID EXPUNGE'} completed` };
  },
};

export const close: CommandSpec<'CLOSE'> = {
  name: 'CLOSE',
  states: SELECTED,
  flags: { usesSeqs: false, breaksSeqs: true },
  async run(session) {
    const { view } = selected(session);
    // Without the `e` right CLOSE just leaves (RFC 4314 §4).
    if (!view.readOnly && view.grant.rights.includes('e')) await expungeDeleted(session, view, Array.from(view.allUids));
    session.deselect();
    return { text: 'CLOSE completed' };
  },
};

export const unselect: CommandSpec<'UNSELECT'> = {
  name: 'UNSELECT',
  states: SELECTED,
  flags: NO_FLAGS,
  run(session) {
    session.deselect();
    return { text: 'UNSELECT completed' };
  },
};
