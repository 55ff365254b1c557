// COPY and MOVE, and their UID forms (RFC 3501 §6.4.7, RFC 6851, RFC 4315 COPYUID).
//
// Rules:
// - The target must exist and be visible (NO [TRYCREATE] otherwise, RFC 3501 §6.4.7) and take inserts
//   (`i`, RFC 4314; MOVE also needs `te` on the source: NO [NOPERM]), as store.access checks; copies keep flags, keywords
//   and INTERNALDATE and share the stored bytes. COPY counts against the quota (NO [OVERQUOTA]);
//   MOVE within one account does not change usage.
// - All or nothing: if any addressed message is gone (expunged by another session), nothing is
//   copied and the answer is NO [EXPUNGEISSUED], so a retry cannot duplicate messages. The store
//   checks again inside its transaction (ExpungedError, mapped by the session), so a message expunged
//   after the check here cannot make a partial copy.
// - COPY answers OK [COPYUID ...]; MOVE sends `* OK [COPYUID ...]` first, then the EXPUNGE (or
//   VANISHED) responses for the moved messages, then its OK (RFC 6851 §4.3). MOVE needs a read-write
//   mailbox.
import { SELECTED, principal, selected, type CommandSpec, type ImapSession } from '../command.js';
import { ImapNo } from '../errors.js';
import { sendSliced } from '../turns.js';
import type { CopyArgs } from '../wire/index.js';
import type { MailboxAccess } from '../../store/acl.js';
import { NotFoundError } from '../../store/errors.js';
import type { MailboxView } from '../selected-mailbox.js';
import { learnFromMove } from '../../delivery/junk-learning.js';

async function prepare(session: ImapSession, args: CopyArgs, uid: boolean) {
  const { view } = selected(session);
  const { store } = session.ctx;
  // store.access checks the `i` right on the target (a hidden one is missing) and `r` (`te` to move) on the source.
  const target = await store.access.target(principal(session).accountId, args.mailbox).catch((error: unknown) => {
    throw error instanceof NotFoundError ? new ImapNo(`Mailbox ${args.mailbox} does not exist`, 'TRYCREATE') : error;
  });
  const targets = view.resolve(args.set, uid);
  const present = await store.messages.meta(view.mailboxId, targets.uids);
  if (present.length < targets.uids.length) throw new ImapNo('Some of the requested messages no longer exist', 'EXPUNGEISSUED');
  return { view, target, present };
}

/** Moving mail into or out of Junk teaches the allow list and rspamd (junk-learning.ts), after the answer; within one's own mailboxes only. */
function learnAfter(session: ImapSession, view: MailboxView, target: MailboxAccess, destinationUids: readonly number[]) {
  if (!view.grant.owned || !target.owned) return;
  const sourceName = view.name;
  const { ctx, log } = session;
  const accountId = principal(session).accountId;
  const learn = async () => {
    const source = await ctx.store.mailboxes.get(accountId, sourceName);
    if (source) await learnFromMove({ store: ctx.store, settings: ctx.settings, log }, accountId, source, target.mailbox, destinationUids);
  };
  learn().catch((error: unknown) => log.error('junk.learn-error', { error: String(error) }));
}

export const copy: CommandSpec<'COPY'> = {
  name: 'COPY',
  states: SELECTED,
  flags: { usesSeqs: true, breaksSeqs: false },
  async run(session, { args, uid }) {
    const { view, target, present } = await prepare(session, args, uid);
    const name = uid ? 'UID COPY' : 'COPY';
    if (present.length === 0) return { text: `${name} completed: no messages` };
    // The quota charged is the target owner's (store.access: NO [OVERQUOTA]).
    const { result, changes } = await session.ctx.store.access.copy(view.grant, present.map((m) => m.uid), target, { move: false });
    session.publish(changes);
    learnAfter(session, view, target, result.destinationUids);
    return {
      text: `${name} completed`,
      code: { code: 'COPYUID', uidValidity: target.mailbox.uidValidity, sourceUids: result.sourceUids, destinationUids: result.destinationUids },
    };
  },
};

export const move: CommandSpec<'MOVE'> = {
  name: 'MOVE',
  states: SELECTED,
  flags: { usesSeqs: true, breaksSeqs: true },
  async run(session, { args, uid }) {
    const { view, target, present } = await prepare(session, args, uid);
    const name = uid ? 'UID MOVE' : 'MOVE';
    if (view.readOnly) throw new ImapNo('The mailbox is read-only', 'READ-ONLY');
    if (present.length === 0) return { text: `${name} completed: no messages` };
    const { result, changes } = await session.ctx.store.access.copy(view.grant, present.map((m) => m.uid), target, { move: true });
    session.publish(changes);
    learnAfter(session, view, target, result.destinationUids);
    session.send({
      kind: 'untagged',
      status: 'OK',
      code: { code: 'COPYUID', uidValidity: target.mailbox.uidValidity, sourceUids: result.sourceUids, destinationUids: result.destinationUids },
      text: 'Moved',
    });
    await sendSliced(session, view.expunged(result.sourceUids, session.enabled('QRESYNC')));
    return { text: `${name} completed` };
  },
};

