// COPY and MOVE, and their UID forms (RFC 3501 §6.4.7, RFC 6851, RFC 4315 COPYUID).
//
// Rules:
// - The target must exist (NO [TRYCREATE] otherwise, RFC 3501 §6.4.7); copies keep flags, keywords
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
import type { Mailbox } from '../../store/mailboxes.js';
import { learnFromMove } from '../../delivery/junk-learning.js';

async function prepare(session: ImapSession, args: CopyArgs, uid: boolean) {
  const { view } = selected(session);
  const { store } = session.ctx;
  const target = await store.mailboxes.get(principal(session).accountId, args.mailbox);
  if (!target) throw new ImapNo(`Mailbox ${args.mailbox} does not exist`, 'TRYCREATE');
  const targets = view.resolve(args.set, uid);
  const present = await store.messages.meta(view.mailboxId, targets.uids);
  if (present.length < targets.uids.length) throw new ImapNo('Some of the requested messages no longer exist', 'EXPUNGEISSUED');
  return { view, target, present };
}

/** Moving mail into or out of Junk teaches the allow list and rspamd (junk-learning.ts), after the answer. */
function learnAfter(session: ImapSession, sourceName: string, target: Mailbox, destinationUids: readonly number[]) {
  const { ctx, log } = session;
  const accountId = principal(session).accountId;
  const learn = async () => {
    const source = await ctx.store.mailboxes.get(accountId, sourceName);
    if (source) await learnFromMove({ store: ctx.store, settings: ctx.settings, log }, accountId, source, target, destinationUids);
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
    const account = await session.ctx.store.accounts.get(principal(session).accountId);
    const size = present.reduce((n, m) => n + m.size, 0);
    if (account && account.quotaBytes > 0 && account.usedBytes + size > account.quotaBytes) {
      throw new ImapNo('Quota exceeded', 'OVERQUOTA');
    }
    const { result, changes } = await session.ctx.store.messages.copy(view.mailboxId, present.map((m) => m.uid), target.id, true);
    session.publish(changes);
    learnAfter(session, view.name, target, result.destinationUids);
    return {
      text: `${name} completed`,
      code: { code: 'COPYUID', uidValidity: target.uidValidity, sourceUids: result.sourceUids, destinationUids: result.destinationUids },
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
    const { result, changes } = await session.ctx.store.messages.move(view.mailboxId, present.map((m) => m.uid), target.id, true);
    session.publish(changes);
    learnAfter(session, view.name, target, result.destinationUids);
    session.send({
      kind: 'untagged',
      status: 'OK',
      code: { code: 'COPYUID', uidValidity: target.uidValidity, sourceUids: result.sourceUids, destinationUids: result.destinationUids },
      text: 'Moved',
    });
    await sendSliced(session, view.expunged(result.sourceUids, session.enabled('QRESYNC')));
    return { text: `${name} completed` };
  },
};

