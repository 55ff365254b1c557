// The delivery agent the SMTP server hands accepted transactions to (DESIGN §6, local part): recipient
// resolution at RCPT, then at DATA the prepared delivery (one blob for every local copy, the queue for
// remote recipients) committed through the group committer. The promise of `accept` settles only
// after commit, so the caller's 250 means "on disk". Each stored copy and each queue entry is logged
// (`delivery.stored`, `delivery.queued`) with the session id and Message-ID, so one message can be
// followed from connect to mailbox.
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import { createGroupCommitter, type GroupCommitter } from './group-commit.js';
import { prepareDelivery, type AcceptedRecipient, type TransactionInfo } from './prepare.js';
import { createRecipientResolver, type RecipientResolver } from './recipients.js';

export interface AcceptedMessage {
  messageId: string | null;
  size: number;
  stored: Array<{ address: string; mailboxId: number; uid: number }>;
  queueId: string | null;
}

export interface DeliveryAgent {
  resolver: RecipientResolver;
  accept(input: { raw: Buffer; info: TransactionInfo; recipients: AcceptedRecipient[]; log: Logger }): Promise<AcceptedMessage>;
  committer: GroupCommitter;
}

export function createDeliveryAgent(deps: { store: Store; bus: EventBus; log: Logger; clock: Clock }): DeliveryAgent {
  const committer = createGroupCommitter(deps);
  return {
    resolver: createRecipientResolver(deps.store),
    committer,
    async accept({ raw, info, recipients, log }) {
      const prepared = prepareDelivery({ raw, info, recipients, now: deps.clock.now() });
      const result = await committer.commit(prepared.delivery);
      const messageId = prepared.messageId;
      const stored = result.uids.map((u, i) => ({ address: prepared.localAddresses[i], mailboxId: u.mailboxId, uid: u.uid }));
      for (const s of stored) log.info('delivery.stored', { messageId, to: s.address, mailboxId: s.mailboxId, uid: s.uid });
      if (result.queueId) log.info('delivery.queued', { messageId, queueId: result.queueId, to: prepared.remote });
      return { messageId, size: prepared.delivery.bytes.length, stored, queueId: result.queueId };
    },
  };
}

export type { AcceptedRecipient, TransactionInfo } from './prepare.js';
export type { RecipientRefusal, Resolution, Route } from './recipients.js';
export { maySendAs, ownsAddress } from './ownership.js';
