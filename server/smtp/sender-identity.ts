// Sender identity on authenticated SMTP sessions (issue 11 §3; Postfix reject_sender_login_mismatch
// plus the From: header check mox and Stalwart make): who the session acts as after AUTH, and whether
// it may use an envelope sender and the From: header's addresses. session.ts calls these at AUTH,
// MAIL FROM and DATA; each refusal is a thrown SmtpReply and is logged with its reason.
//
// Invariants:
// - Who the session acts as is the authenticator's answer: a master user's authzid makes it act as
//   that account (server/auth/authenticator.ts); these checks then apply to that account.
// - The sender checks apply only with the enforceSenderOwnership setting on (the default); then the
//   null sender is refused, and every address of the envelope sender and the From: header must be
//   the user's own (maySendAs: own address, an alias delivering to them, or an admin "send as"
//   grant). A From: address that cannot be parsed is refused rather than let through unchecked.
// - Refused mail never reaches the store or the queue, so outbound DKIM never signs it.
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import { maySendAs } from '../delivery/index.js';
import { AddressError, parseAddress, type Address } from '../mime/addr-spec.js';
import { parseAddressList, MISSING_DOMAIN, MISSING_MAILBOX, SYNTAX_ERROR } from '../mime/address-list.js';
import { fieldValues, headerFields } from '../mime/header.js';
import { Replies } from '../policy/smtp-reply.js';

type SenderStore = Pick<Store, 'domains' | 'accounts' | 'aliases' | 'senderRights'>;

export interface ActingUser {
  accountId: number;
  address: string;
}

/** MAIL FROM on an authenticated session: `address` is null for the null sender `<>`. */
export async function checkEnvelopeSender(store: SenderStore, user: ActingUser, sender: string, address: Address | null, log: Logger): Promise<void> {
  if (!address) {
    log.warn('smtp.sender-refused', { sender, reason: 'null-sender' });
    throw Replies.nullSenderRefused();
  }
  if (!(await maySendAs(store, user.accountId, address))) {
    log.warn('smtp.sender-refused', { sender, reason: 'not-owned' });
    throw Replies.senderNotOwned(sender);
  }
}

/** DATA on an authenticated session: every From: address must be one the user may send as. */
export async function checkFromHeader(store: SenderStore, user: ActingUser, raw: Buffer, log: Logger): Promise<void> {
  const fields = headerFields(raw, 0, raw.length);
  for (const value of fieldValues(raw, fields, 'From')) {
    for (const entry of parseAddressList(value)) {
      if (entry.domain === null) continue; // a group's start or end marker
      const mailbox = entry.mailbox ?? MISSING_MAILBOX;
      const text = Buffer.from(`${mailbox}@${entry.domain}`, 'latin1').toString('utf8');
      let address: Address;
      try {
        if ([MISSING_MAILBOX, SYNTAX_ERROR].includes(mailbox) || [MISSING_DOMAIN, SYNTAX_ERROR].includes(entry.domain)) throw new AddressError(text);
        address = parseAddress(text);
      } catch (error) {
        if (!(error instanceof AddressError)) throw error;
        log.warn('smtp.sender-refused', { from: text, reason: 'from-unreadable' });
        throw Replies.fromUnreadable();
      }
      if (!(await maySendAs(store, user.accountId, address))) {
        log.warn('smtp.sender-refused', { from: text, reason: 'from-not-owned' });
        throw Replies.fromNotOwned(text);
      }
    }
  }
}
