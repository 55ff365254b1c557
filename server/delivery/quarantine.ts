// Quarantine (a milter's SMFIR_QUARANTINE, Postfix's hold queue): the message is kept with its envelope
// and the facts of its transaction instead of being delivered, until the admin releases it (delivered
// then, as it would have been, skipping spam filing: the admin has looked at it) or deletes it.
//
// Invariants: the bytes kept are the message after the milters' edits, without our Received header
// (written at release from the kept facts, with the release time); a release resolves the recipients
// again (an account may be gone) and delivers and drops the row in one transaction, so a message is
// never both held and delivered.
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import { AddressError, parseAddress, type Address } from '../mime/addr-spec.js';
import { describeMessage } from './describe.js';
import { prepareDelivery, type AcceptedRecipient, type TransactionInfo } from './prepare.js';
import type { RecipientResolver } from './recipients.js';

export interface HoldInput {
  raw: Buffer;
  info: TransactionInfo;
  recipients: AcceptedRecipient[];
  quarantine: { milter: string; reason: string };
  log: Logger;
}

export async function holdMessage(store: Store, input: HoldInput): Promise<{ quarantineId: string; messageId: string | null; size: number }> {
  const messageId = describeMessage(input.raw).messageId;
  const held = await store.quarantineMessage({
    bytes: input.raw,
    sender: input.info.sender,
    recipients: input.recipients.map((r) => r.address),
    info: input.info,
    milter: input.quarantine.milter,
    reason: input.quarantine.reason,
    messageId,
  });
  input.log.info('delivery.quarantined', { messageId, quarantineId: held.quarantineId, milter: held.milter, reason: held.reason, to: held.recipients });
  return { quarantineId: held.quarantineId, messageId, size: held.size };
}

/** Delivers a held message; `unresolved` lists recipients that can no longer be taken (they get no copy). */
export async function releaseMessage(
  deps: { store: Store; resolver: RecipientResolver; bus: EventBus; log: Logger; now: number },
  quarantineId: string,
): Promise<{ released: boolean; delivered: string[]; unresolved: string[] }> {
  const held = await deps.store.quarantine.get(quarantineId);
  if (!held) return { released: false, delivered: [], unresolved: [] };
  const recipients: AcceptedRecipient[] = [];
  const unresolved: string[] = [];
  for (const address of held.recipients) {
    const parsed = addressOrNull(address);
    const resolution = parsed ? await deps.resolver.resolve(parsed, 0) : null;
    if (resolution?.ok) recipients.push({ address, route: resolution.route });
    else unresolved.push(address);
  }
  const raw = await deps.store.blobs.read(held.blobId);
  const prepared = prepareDelivery({ raw, info: held.info as TransactionInfo, recipients, now: deps.now });
  const done = await deps.store.releaseQuarantined(prepared.delivery, quarantineId);
  if (!done) return { released: false, delivered: [], unresolved: [] };
  for (const change of done.changes) deps.bus.emit('change', change);
  deps.log.info('delivery.released', { quarantineId, messageId: held.messageId, to: recipients.map((r) => r.address), unresolved, queueId: done.result.queueId });
  return { released: true, delivered: recipients.map((r) => r.address), unresolved };
}

function addressOrNull(text: string): Address | null {
  try {
    return parseAddress(text);
  } catch (error) {
    if (error instanceof AddressError) return null;
    throw error;
  }
}
