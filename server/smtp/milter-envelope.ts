// A milter's envelope edits (change from, add and delete recipient) carried out on the accepted
// transaction before delivery, as Postfix's cleanup carries them out on the queue file.
//
// Invariants: a recipient a milter deletes gets no copy; one it adds is resolved as RCPT would resolve
// it (alias expansion, transport table) and is skipped, with a log line, when it cannot be taken (an
// unknown local user): the client has been answered for its own recipients, and a milter's addition is
// not worth refusing their message for. The new sender is written as the milter gave it, without the
// angle brackets (the null sender stays '').
import type { Logger } from '../log.js';
import { applyEnvelopeModifications, type Modification } from '../milter/index.js';
import type { AcceptedRecipient } from '../delivery/index.js';
import type { RecipientResolver } from '../delivery/recipients.js';
import { parseEnvelopeAddress } from './envelope-address.js';

export async function applyMilterEnvelope(
  envelope: { sender: string; recipients: AcceptedRecipient[] },
  modifications: readonly (Modification & { milter: string })[],
  resolver: RecipientResolver,
  log: Logger,
): Promise<{ sender: string; recipients: AcceptedRecipient[] }> {
  const envelopeEdits = modifications.filter((m) => m.kind === 'change-from' || m.kind === 'add-recipient' || m.kind === 'delete-recipient');
  if (envelopeEdits.length === 0) return envelope;
  const edited = applyEnvelopeModifications(
    { sender: envelope.sender, senderArgs: null, recipients: envelope.recipients.map((r) => ({ address: r.address, args: null })) },
    envelopeEdits,
  );
  const known = new Map(envelope.recipients.map((r) => [r.address.toLowerCase(), r]));
  const recipients: AcceptedRecipient[] = [];
  for (const { address } of edited.recipients) {
    const accepted = known.get(address.toLowerCase());
    if (accepted) {
      recipients.push(accepted);
      continue;
    }
    const parsed = parseEnvelopeAddress(address);
    const resolution = parsed.ok ? await resolver.resolve(parsed.address, 0) : null;
    if (!parsed.ok || !resolution?.ok) {
      log.warn('milter.add-recipient-skipped', { to: address, reason: parsed.ok ? (resolution && !resolution.ok ? resolution.refusal : 'unresolved') : parsed.why });
      continue;
    }
    recipients.push({ address: `${parsed.address.local}@${parsed.address.domain}`, route: resolution.route });
  }
  for (const m of envelopeEdits) log.info('milter.envelope-changed', { milter: m.milter, kind: m.kind, address: 'sender' in m ? m.sender : m.recipient });
  return { sender: edited.sender === '<>' ? '' : edited.sender, recipients };
}
