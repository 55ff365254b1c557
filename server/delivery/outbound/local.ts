// Mail the queue hands back to this server: a DSN for a sender on a hosted domain, and a queued
// recipient whose domain became local while the row waited. Both are resolved like an RCPT
// (aliases, catch-all, disabled and unknown users) and turned into a store Delivery whose local
// copies get `Return-Path` and `Delivered-To` (as the SMTP listener's copies do) and whose remote
// members (an alias forwarding outside) are queued again with the same envelope sender.
import type { Delivery, LocalCopy, Store } from '../../store/index.js';
import { describeMessage } from '../describe.js';
import type { PreparedDelivery } from '../prepare.js';
import { createRecipientResolver, type RecipientRefusal } from '../recipients.js';
import { AddressError, parseAddress } from '../../mime/addr-spec.js';

/** `prepared` names each local copy's account (`targets`) and the parsed message, for Sieve (runner.ts). */
export type LocalPlan = { ok: true; delivery: Delivery; to: string[]; prepared: PreparedDelivery } | { ok: false; refusal: RecipientRefusal | 'bad-address'; detail?: string };

export async function planLocalDelivery(
  store: Pick<Store, 'domains' | 'accounts' | 'aliases' | 'transports' | 'mailboxes'>,
  input: { bytes: Buffer; recipient: string; sender: string; messageId: string | null; now: number },
): Promise<LocalPlan> {
  let address;
  try {
    address = parseAddress(input.recipient);
  } catch (error) {
    if (error instanceof AddressError) return { ok: false, refusal: 'bad-address', detail: error.message };
    throw error;
  }
  // A bounce is small and must reach its user even on a full mailbox; size 0 keeps quota checks to
  // "already over", as at RCPT time without SIZE=.
  const resolution = await createRecipientResolver(store).resolve(address, 0);
  if (!resolution.ok) return { ok: false, refusal: resolution.refusal, detail: resolution.detail };
  const described = describeMessage(input.bytes);
  const local: LocalCopy[] = resolution.route.local.map((target) => described.copyFor(target, input.sender, input.now));
  const delivery: Delivery = { bytes: input.bytes, local };
  if (resolution.route.remote.length > 0) {
    delivery.remote = { sender: input.sender, recipients: resolution.route.remote, messageId: input.messageId };
  }
  const targets = resolution.route.local;
  const prepared: PreparedDelivery = { delivery, messageId: described.messageId, localAddresses: targets.map((t) => t.address), targets, described, remote: resolution.route.remote };
  return { ok: true, delivery, to: [...targets.map((t) => t.address), ...resolution.route.remote], prepared };
}
