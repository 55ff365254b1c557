// APPEND (RFC 3501 §6.3.11) with MULTIAPPEND (RFC 3502), APPENDUID (RFC 4315 §3), literal8
// (RFC 3516 §4.4) and CATENATE (RFC 4469).
//
// Rules:
// - Messages are stored as delivery stores them: line endings normalised to CRLF (so RFC822.SIZE is
//   the stored length), ENVELOPE/BODYSTRUCTURE/part tree computed once and cached. All messages of
//   one APPEND go in one store transaction (store.deliverMany), committed before the OK: a MULTIAPPEND
//   stores all of them or, on any error, none (RFC 3502 §6.3.11). Malformed MIME is stored as sent.
// - A missing mailbox is NO [TRYCREATE]; an empty message is refused; messages that would take the
//   account over its quota are NO [OVERQUOTA]. The size limit is the framer's, over the whole command
//   (NO [TOOBIG] before a literal over it is read).
// - \Recent in a flag list is ignored; a missing date is now.
// - A message sent as literal8 has its binary parts stored base64-encoded (mime/binary-to-base64)
//   before the CRLF normalisation; BINARY[part] gives the bytes back.
// - APPENDUID names the new UIDs as a set, in the order sent; the selected mailbox's new messages are
//   reported (EXISTS) before the OK.
// - A CATENATE message is built (catenate.ts) after the mailbox is found (a missing one is TRYCREATE
//   even when a URL is bad, as Dovecot answers) and before anything is stored: a bad URL is
//   NO [BADURL] for the whole APPEND.
import { describeMessage } from '../../delivery/describe.js';
import { binaryPartsToBase64, toCrlf } from '../../mime/index.js';
import type { Delivery } from '../../store/index.js';
import { NotFoundError } from '../../store/errors.js';
import { catenate } from '../catenate.js';
import { AUTHENTICATED, NO_FLAGS, principal, type CommandSpec } from '../command.js';
import { ImapNo } from '../errors.js';
import { toFlagSet } from '../flags.js';
import type { AppendMessage } from '../wire/index.js';

export const append: CommandSpec<'APPEND'> = {
  name: 'APPEND',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    const user = principal(session);
    const { store, clock } = session.ctx;
    // store.access: the `i` right (a hidden mailbox is missing), flags limited to the rights held, the owner's quota.
    const target = await store.access.target(user.accountId, args.mailbox).catch((error: unknown) => {
      throw error instanceof NotFoundError ? new ImapNo(`Mailbox ${args.mailbox} does not exist`, 'TRYCREATE') : error;
    });
    const mailbox = target.mailbox;
    const messages: Appended[] = [];
    for (const m of args.messages) {
      const { bytes, binary } = m.content.kind === 'literal' ? { bytes: m.content.message, binary: m.content.binary } : await catenate(store, user, m.content.parts);
      if (bytes.length === 0) throw new ImapNo('Cannot append an empty message');
      messages.push({ ...m, bytes, binary });
    }
    const now = clock.now();
    const deliveries = messages.map((m) => delivery(mailbox.id, m, now));
    const { result, changes } = await store.access.append(target, deliveries);
    session.publish(changes);
    const uids = result.map((r) => r.uids[0].uid);
    return { text: 'APPEND completed', code: { code: 'APPENDUID', uidValidity: mailbox.uidValidity, uids } };
  },
};

/** A message of the APPEND with its bytes (sent, or built by CATENATE). */
interface Appended extends AppendMessage {
  readonly bytes: Buffer;
  readonly binary: boolean;
}

function delivery(mailboxId: number, m: Appended, now: number): Delivery {
  const { flags, keywords } = toFlagSet(m.flags);
  const bytes = toCrlf(m.binary ? binaryPartsToBase64(m.bytes) : m.bytes);
  const described = describeMessage(bytes).forCopy(0);
  return {
    bytes,
    local: [
      {
        mailboxId,
        prefix: Buffer.alloc(0),
        flags,
        keywords,
        internalDate: m.internalDate?.getTime() ?? now,
        sentDate: described.sentDate,
        envelope: described.envelope,
        envelopeWire: described.envelopeWire,
        bodystructure: described.bodystructure,
        parts: described.parts,
      },
    ],
  };
}
