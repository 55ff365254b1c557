// STATUS (RFC 3501 §6.3.10, RFC 7162 §3.1.6 HIGHESTMODSEQ, RFC 8438 SIZE, RFC 9051 §6.3.11 DELETED), and the status items LIST-STATUS
// (RFC 5819) sends for each listed mailbox; MAILBOXID (RFC 8474 §4) among them.
//
// STATUS HIGHESTMODSEQ is a CONDSTORE-enabling command (RFC 7162 §3.1). STATUS of the selected
// mailbox is allowed and answered from the store, like any other.
import type { Store } from '../../store/index.js';
import type { Mailbox } from '../../store/mailboxes.js';
import type { MailboxCounts } from '../../store/message-types.js';
import { AUTHENTICATED, NO_FLAGS, principal, type CommandSpec, type ImapSession } from '../command.js';
import { ImapNo } from '../errors.js';
import { mailboxObjectId } from '../object-ids.js';
import type { ImapResponse, StatusItem } from '../wire/index.js';

const needsCounts = (items: readonly StatusItem[]) => items.some((i) => i === 'MESSAGES' || i === 'UNSEEN' || i === 'RECENT' || i === 'SIZE' || i === 'DELETED');

/** The STATUS response of a mailbox (named `name` for the client), from one read of its row and counts; null when it is gone. */
export async function statusResponse(store: Store, mailboxId: number, items: readonly StatusItem[], name?: string): Promise<ImapResponse | null> {
  const status = await store.mailboxStatus(mailboxId, needsCounts(items));
  return status && statusOf(status, items, name ?? status.mailbox.name);
}

function statusOf({ mailbox, counts }: { mailbox: Mailbox; counts: MailboxCounts }, items: readonly StatusItem[], name: string): ImapResponse {
  const value = (item: StatusItem): number | string => {
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
      case 'SIZE':
        return counts.size;
      case 'DELETED':
        return counts.deleted;
      case 'MAILBOXID':
        return mailboxObjectId(mailbox);
    }
  };
  return { kind: 'status', mailbox: name, items: items.map((item) => [item, value(item)] as const) };
}

/** STATUS HIGHESTMODSEQ (also in LIST RETURN (STATUS ...)) enables CONDSTORE. */
export function noteStatusItems(session: ImapSession, items: readonly StatusItem[]): void {
  if (items.includes('HIGHESTMODSEQ')) session.enable('CONDSTORE');
}

export const status: CommandSpec<'STATUS'> = {
  name: 'STATUS',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    // store.access checks the `r` right; a mailbox hidden from the principal is answered as missing.
    const status = await session.ctx.store.access.status(principal(session).accountId, args.mailbox, needsCounts(args.items));
    if (!status) throw new ImapNo(`Mailbox ${args.mailbox} does not exist`, 'NONEXISTENT');
    const response = statusOf(status, args.items, status.name);
    noteStatusItems(session, args.items);
    session.send(response);
    return { text: 'STATUS completed' };
  },
};
