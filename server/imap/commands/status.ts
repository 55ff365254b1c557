// STATUS (RFC 3501 §6.3.10, RFC 7162 §3.1.6 HIGHESTMODSEQ), and the status items LIST-STATUS
// (RFC 5819) sends for each listed mailbox.
//
// STATUS HIGHESTMODSEQ is a CONDSTORE-enabling command (RFC 7162 §3.1). STATUS of the selected
// mailbox is allowed and answered from the store, like any other.
import type { Store } from '../../store/index.js';
import type { Mailbox } from '../../store/mailboxes.js';
import { AUTHENTICATED, NO_FLAGS, principal, type CommandSpec, type ImapSession } from '../command.js';
import { ImapNo } from '../errors.js';
import type { ImapResponse, StatusItem } from '../wire/index.js';

export function statusResponse(store: Store, mailbox: Mailbox, items: readonly StatusItem[]): ImapResponse {
  const counts = items.some((i) => i === 'MESSAGES' || i === 'UNSEEN' || i === 'RECENT')
    ? store.messages.counts(mailbox.id, mailbox.firstRecentUid)
    : { messages: 0, unseen: 0, recent: 0 };
  const value = (item: StatusItem): number => {
    switch (item) {
      case 'MESSAGES':
        return counts.messages;
      case 'RECENT':
        return counts.recent;
      case 'UNSEEN':
        return counts.unseen;
      case 'UIDNEXT':
        return mailbox.uidNext;
      case 'UIDVALIDITY':
        return mailbox.uidValidity;
      case 'HIGHESTMODSEQ':
        return mailbox.highestModseq;
    }
  };
  return { kind: 'status', mailbox: mailbox.name, items: items.map((item) => [item, value(item)] as const) };
}

/** STATUS HIGHESTMODSEQ (also in LIST RETURN (STATUS ...)) enables CONDSTORE. */
export function noteStatusItems(session: ImapSession, items: readonly StatusItem[]): void {
  if (items.includes('HIGHESTMODSEQ')) session.enable('CONDSTORE');
}

export const status: CommandSpec<'STATUS'> = {
  name: 'STATUS',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  run(session, { args }) {
    const mailbox = session.ctx.store.mailboxes.get(principal(session).accountId, args.mailbox);
    if (!mailbox) throw new ImapNo(`Mailbox ${args.mailbox} does not exist`, 'NONEXISTENT');
    noteStatusItems(session, args.items);
    session.send(statusResponse(session.ctx.store, mailbox, args.items));
    return { text: 'STATUS completed' };
  },
};
