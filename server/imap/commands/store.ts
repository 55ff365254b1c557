// STORE and UID STORE (RFC 3501 §6.4.6, §6.4.8) with UNCHANGEDSINCE (RFC 7162 §3.1.3).
//
// Rules:
// - Refused in a read-only (EXAMINEd) mailbox; in another's mailbox only the flags its rights allow
//   change (store.access: \Seen `s`, \Deleted `t`, others `w`; NO [NOPERM] when none may). \Recent cannot be stored and is ignored; an unknown
//   system flag is BAD. One store transaction with one new mod-sequence for every message it changes.
// - Without .SILENT, every addressed message that still exists gets an untagged FETCH with its FLAGS
//   (UID too for UID STORE; MODSEQ once CONDSTORE is on). With .SILENT and CONDSTORE on, the changed
//   messages still get FETCH (UID) MODSEQ, so the client learns the new mod-sequences (RFC 7162 §3.1.3).
// - UNCHANGEDSINCE enables CONDSTORE; messages modified since are left alone and listed in
//   OK [MODIFIED set] (sequence numbers, or UIDs for UID STORE).
import { SELECTED, selected, type CommandSpec } from '../command.js';
import { ImapNo } from '../errors.js';
import { flagNames, toFlagSet } from '../flags.js';
import { RESPONSE_SLICE, letOthersRun } from '../turns.js';
import type { FetchResponseItem } from '../wire/index.js';

export const store: CommandSpec<'STORE'> = {
  name: 'STORE',
  states: SELECTED,
  flags: { usesSeqs: true, breaksSeqs: false },
  async run(session, { args, uid }) {
    const { view } = selected(session);
    if (view.readOnly) throw new ImapNo('The mailbox is read-only', 'READ-ONLY');
    const change = { action: args.action, ...toFlagSet(args.flags) };
    if (args.unchangedSince !== null) session.enable('CONDSTORE');
    const targets = view.resolve(args.set, uid);
    const { result, changes } = await session.ctx.store.access.updateFlags(view.grant, targets.uids, change, args.unchangedSince);
    session.publish(changes);

    const condstore = session.enabled('CONDSTORE');
    const reported: number[] = [];
    for (const m of result.messages) {
      if (args.silent && !(condstore && m.changed)) continue;
      const items: FetchResponseItem[] = [];
      if (!args.silent) items.push({ item: 'FLAGS', flags: flagNames(m.flags, m.keywords, view.isRecent(m.uid)) });
      if (uid) items.unshift({ item: 'UID', value: m.uid });
      if (condstore) items.push({ item: 'MODSEQ', value: m.modseq });
      session.send({ kind: 'fetch', seq: view.seqOf(m.uid), items });
      reported.push(m.uid);
      if (reported.length % RESPONSE_SLICE === 0) await letOthersRun(session);
      else if (session.outputFull) await session.flush();
    }
    if (!args.silent) view.flagsReported(reported);
    const name = uid ? 'UID STORE' : 'STORE';
    if (result.modified.length === 0) return { text: `${name} completed` };
    const numbers = uid ? result.modified : result.modified.map((u) => view.seqOf(u));
    return { text: `${name} completed; some messages were modified meanwhile`, code: { code: 'MODIFIED', numbers } };
  },
};
