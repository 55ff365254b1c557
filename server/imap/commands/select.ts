// SELECT and EXAMINE (RFC 3501 §6.3.1-2) with CONDSTORE and QRESYNC parameters (RFC 7162 §3.1.8,
// §3.2.5).
//
// Rules:
// - Any previously selected mailbox is closed first (with `* OK [CLOSED]`, RFC 7162 §3.2.11); if the
//   new one cannot be selected, the session is left in the authenticated state (RFC 3501 §6.3.1).
// - The answer comes from one snapshot read in one store transaction (store.openMailbox), so EXISTS,
//   UIDNEXT and HIGHESTMODSEQ describe one state of the mailbox. SELECT claims the messages no session
//   has seen yet as \Recent; EXAMINE is read-only and claims nothing.
// - HIGHESTMODSEQ is always sent (mod-sequences are persistent). QRESYNC needs ENABLE QRESYNC first;
//   with a matching UIDVALIDITY it reports, for the client's known UIDs, what was expunged since its
//   mod-sequence (VANISHED (EARLIER)) and what changed (FETCH UID FLAGS MODSEQ).
import type { MailboxSnapshot } from '../../store/index.js';
import { AUTHENTICATED, NO_FLAGS, principal, type CommandSpec, type ImapSession } from '../command.js';
import { ImapBad, ImapNo } from '../errors.js';
import { flagNames } from '../flags.js';
import { DELIMITER } from '../mailbox-names.js';
import { mailboxObjectId } from '../object-ids.js';
import { MailboxView } from '../selected-mailbox.js';
import { sequenceSetMatcher, type QresyncParams, type SelectArgs } from '../wire/index.js';

async function open(session: ImapSession, args: SelectArgs, readOnly: boolean) {
  const user = principal(session);
  if (session.state.kind === 'selected') {
    session.deselect();
    session.send({ kind: 'untagged', status: 'OK', code: { code: 'CLOSED' }, text: 'Previous mailbox closed' });
  }
  if (args.qresync !== null && !session.enabled('QRESYNC')) throw new ImapBad('QRESYNC must be enabled first');
  if (args.condstore) session.enable('CONDSTORE');
  const { store, bus } = session.ctx;
  const qresync = args.qresync;
  const opened = await MailboxView.open(store, bus, user.accountId, args.mailbox, { readOnly, changedSince: qresync?.modSeq ?? null });
  if (!opened) throw new ImapNo(`Mailbox ${args.mailbox} does not exist`, 'NONEXISTENT');
  const { view, snapshot } = opened;
  const { mailbox, keywords } = snapshot;
  session.select(view);

  for (const response of view.announceFlags(keywords)) session.send(response);
  session.send({ kind: 'exists', number: view.count });
  session.send({ kind: 'recent', number: view.recentCount });
  // IMAP4rev2 requires the mailbox's LIST response (RFC 9051 §6.3.2); rev2.ts drops RECENT and UNSEEN.
  if (session.enabled('IMAP4rev2')) session.send({ kind: 'list', attributes: [], delimiter: DELIMITER, mailbox: args.mailbox });
  const firstUnseen = snapshot.firstUnseen === null ? 0 : view.seqOf(snapshot.firstUnseen);
  if (firstUnseen !== 0) session.send({ kind: 'untagged', status: 'OK', code: { code: 'UNSEEN', value: firstUnseen }, text: 'First unseen' });
  session.send({ kind: 'untagged', status: 'OK', code: { code: 'UIDVALIDITY', value: mailbox.uidValidity }, text: 'UIDs valid' });
  session.send({ kind: 'untagged', status: 'OK', code: { code: 'UIDNEXT', value: mailbox.uidNext }, text: 'Predicted next UID' });
  session.send({ kind: 'untagged', status: 'OK', code: { code: 'HIGHESTMODSEQ', value: mailbox.highestModseq }, text: 'Highest' });
  session.send({ kind: 'untagged', status: 'OK', code: { code: 'MAILBOXID', id: mailboxObjectId(mailbox) }, text: 'Mailbox id' });
  if (qresync !== null && qresync.uidValidity === mailbox.uidValidity) resynchronize(session, view, snapshot, qresync);
  return { text: `${readOnly ? 'EXAMINE' : 'SELECT'} completed`, code: { code: view.readOnly ? 'READ-ONLY' : 'READ-WRITE' } as const };
}

/** RFC 7162 §3.2.5.1: what the client's cache misses since `modSeq`. */
function resynchronize(session: ImapSession, view: MailboxView, snapshot: MailboxSnapshot, params: QresyncParams): void {
  const known = params.knownUids === null ? () => true : sequenceSetMatcher(params.knownUids, view.lastUid);
  const vanished = snapshot.vanished.filter(known);
  if (vanished.length > 0) session.send({ kind: 'vanished', earlier: true, uids: vanished });
  for (const m of snapshot.changed) {
    const seq = view.seqOf(m.uid);
    if (seq === 0) continue;
    session.send({
      kind: 'fetch',
      seq,
      items: [
        { item: 'UID', value: m.uid },
        { item: 'FLAGS', flags: flagNames(m.flags, m.keywords, view.isRecent(m.uid)) },
        { item: 'MODSEQ', value: m.modseq },
      ],
    });
  }
}

export const select: CommandSpec<'SELECT'> = {
  name: 'SELECT',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  run: (session, { args }) => open(session, args, false),
};

export const examine: CommandSpec<'EXAMINE'> = {
  name: 'EXAMINE',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  run: (session, { args }) => open(session, args, true),
};
