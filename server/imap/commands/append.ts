// APPEND (RFC 3501 §6.3.11) with APPENDUID (RFC 4315 §3).
//
// Rules:
// - The message is stored as delivery stores it: line endings normalised to CRLF (so RFC822.SIZE is
//   the stored length), ENVELOPE/BODYSTRUCTURE/part tree computed once and cached, through
//   store.deliver (one transaction, committed before the OK). Malformed MIME is stored as sent.
// - A missing mailbox is NO [TRYCREATE]; an empty message is refused; a message that would take the
//   account over its quota is NO [OVERQUOTA]. The size limit is the framer's (NO [TOOBIG] before the
//   literal is read).
// - \Recent in the flag list is ignored; the date defaults to now.
// - A message sent as literal8 (BINARY, RFC 3516 §4.4) has its binary parts stored base64-encoded
//   (mime/binary-to-base64) before the CRLF normalisation; BINARY[part] gives the bytes back.
// - If the mailbox is the selected one, the new message is reported (EXISTS) before the OK.
import { describeMessage } from '../../delivery/describe.js';
import { binaryPartsToBase64, toCrlf } from '../../mime/index.js';
import { AUTHENTICATED, NO_FLAGS, principal, type CommandSpec } from '../command.js';
import { ImapNo } from '../errors.js';
import { toFlagSet } from '../flags.js';

export const append: CommandSpec<'APPEND'> = {
  name: 'APPEND',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    const user = principal(session);
    const { store, clock } = session.ctx;
    const mailbox = await store.mailboxes.get(user.accountId, args.mailbox);
    if (!mailbox) throw new ImapNo(`Mailbox ${args.mailbox} does not exist`, 'TRYCREATE');
    if (args.message.length === 0) throw new ImapNo('Cannot append an empty message');
    const { flags, keywords } = toFlagSet(args.flags);
    const bytes = toCrlf(args.binary ? binaryPartsToBase64(args.message) : args.message);
    const account = await store.accounts.get(user.accountId);
    if (account && account.quotaBytes > 0 && account.usedBytes + bytes.length > account.quotaBytes) {
      throw new ImapNo('Quota exceeded', 'OVERQUOTA');
    }
    const described = describeMessage(bytes).forCopy(0);
    const { result, changes } = await store.deliver({
      bytes,
      local: [
        {
          mailboxId: mailbox.id,
          prefix: Buffer.alloc(0),
          flags,
          keywords,
          internalDate: args.internalDate?.getTime() ?? clock.now(),
          sentDate: described.sentDate,
          envelope: described.envelope,
          envelopeWire: described.envelopeWire,
          bodystructure: described.bodystructure,
          parts: described.parts,
        },
      ],
    });
    session.publish(changes);
    return { text: 'APPEND completed', code: { code: 'APPENDUID', uidValidity: mailbox.uidValidity, uid: result.uids[0].uid } };
  },
};
