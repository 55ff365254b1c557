// The delivery agent the SMTP server hands accepted transactions to (DESIGN §6, local part): recipient
// resolution at RCPT, then at DATA the prepared delivery (one blob for every local copy, the queue for
// remote recipients) committed through the group committer. The promise of `accept` settles only
// after commit, so the caller's 250 means "on disk". Each stored copy and each queue entry is logged
// (`delivery.stored`, `delivery.queued`) with the session id and Message-ID, so one message can be
// followed from connect to mailbox. Between preparing and committing, each local recipient's Sieve
// scripts decide where its copy goes (sieve/); the messages they send (redirects, notices, vacation
// replies) are queued right after the local copies commit and before `accept` resolves, so a crash
// in between can only make the client send again (a duplicate), never lose one.
import type { ServerContext } from '../context.js';
import type { Logger } from '../log.js';
import { storedKey } from '../auth/stored-key.js';
import { Replies } from '../policy/smtp-reply.js';
import { createGroupCommitter, type GroupCommitter } from './group-commit.js';
import { prepareDelivery, type AcceptedRecipient, type TransactionInfo } from './prepare.js';
import { createRecipientResolver, type RecipientResolver } from './recipients.js';
import { createSieveFilter, type SieveFilter } from './sieve/index.js';
import { createSrs, SRS_KEY, type Srs } from './srs.js';
import { holdMessage, type HoldInput } from './quarantine.js';
import { fileSpam } from './spam-filing.js';

export interface AcceptedMessage {
  messageId: string | null;
  size: number;
  stored: Array<{ address: string; mailboxId: number; uid: number }>;
  queueId: string | null;
}

export interface DeliveryAgent {
  resolver: RecipientResolver;
  /**
   * `spam`: why the milters marked the message as spam (null: they did not); filing also follows the lists.
   * `fields`: header lines (CRLF-terminated) to put in front of `raw`, after our Received.
   */
  accept(input: { raw: Buffer; fields?: string; info: TransactionInfo; recipients: AcceptedRecipient[]; log: Logger; spam?: string | null }): Promise<AcceptedMessage>;
  /** Keeps a message a milter quarantined instead of delivering it. */
  hold(input: HoldInput): Promise<{ quarantineId: string; messageId: string | null; size: number }>;
  committer: GroupCommitter;
}

export type DeliveryDeps = Pick<ServerContext, 'store' | 'bus' | 'clock' | 'settings' | 'settingsCache'> & { log: Logger };

export function createDeliveryAgent(deps: DeliveryDeps): DeliveryAgent {
  const committer = createGroupCommitter(deps);
  const srsOf = srsFor(deps);
  const sieve = createDeliverySieve(deps, srsOf);
  return {
    resolver: createRecipientResolver(deps.store, srsOf),
    committer,
    hold: (input) => holdMessage(deps.store, input),
    async accept({ raw, fields, info, recipients, log, spam = null }) {
      const now = deps.clock.now();
      const prepared = prepareDelivery({ raw, fields, info, recipients, now });
      const filed = await fileSpam(deps.store, prepared, { spam, sender: info.sender, ip: info.ip, blockAction: deps.settings().spam.blockAction }, log);
      const sieved = await sieve({ prepared: filed.prepared, sender: info.sender, authenticatedAs: info.authenticatedAs, log, now });
      if (sieved.refused !== null) {
        if (prepared.remote.length === 0 && filed.junk.length === 0) {
          const reply = Replies.sieveRejected(sieved.refused.reason);
          log.info('sieve.refused', { messageId: prepared.messageId, to: prepared.localAddresses, reply: `${reply.code} ${reply.line}`, trace: `sieve: ereject by every recipient; refused at SMTP time (${reply.code} ${reply.enhanced}), nothing stored` });
          throw reply;
        }
        sieved.queued.push(...sieved.refused.notices);
      }
      sieved.local.push(...filed.junk.map((j) => j.copy));
      sieved.addresses.push(...filed.junk.map((j) => j.address));
      prepared.delivery.local = sieved.local;
      const result = await committer.commit(prepared.delivery);
      const messageId = prepared.messageId;
      const stored = result.uids.map((u, i) => ({ address: sieved.addresses[i], mailboxId: u.mailboxId, uid: u.uid }));
      for (const [i, s] of stored.entries()) {
        const note = sieved.notes.get(sieved.local[i]);
        log.info('delivery.stored', { messageId, to: s.address, mailboxId: s.mailboxId, uid: s.uid, ...(note !== undefined && { trace: note }) });
      }
      if (result.queueId) log.info('delivery.queued', { messageId, queueId: result.queueId, to: prepared.remote });
      for (const extra of sieved.queued) {
        const { queueId } = await committer.commit(extra);
        log.info('delivery.queued', { messageId, queueId, to: extra.remote?.recipients, sender: extra.remote?.sender, sieve: true });
      }
      for (const after of sieved.afterCommit) await after();
      return { messageId, size: prepared.delivery.bytes.length, stored, queueId: result.queueId };
    },
  };
}

/** The SRS of this data folder (its key is made on first use and kept in the settings). */
export function srsFor(deps: Pick<ServerContext, 'settingsCache' | 'clock'>): () => Promise<Srs> {
  let srs: Promise<Srs> | undefined;
  return () => (srs ??= storedKey(deps.settingsCache, SRS_KEY).then((key) => createSrs(key, () => deps.clock.now())));
}

/** Per-recipient Sieve as local delivery runs it, for the SMTP listener's agent and the queue's local deliveries. */
export function createDeliverySieve(deps: Pick<ServerContext, 'store' | 'bus' | 'settings'>, srs: () => Promise<Srs>): SieveFilter {
  return createSieveFilter({
    store: deps.store,
    publish: (changes) => {
      for (const change of changes) deps.bus.emit('change', change);
    },
    hostname: () => deps.settings().hostname,
    isHosted: async (domain) => (await deps.store.domains.get(domain)) !== undefined,
    srs,
  });
}

export type { AcceptedRecipient, TransactionInfo } from './prepare.js';
export type { DomainLookups, RecipientRefusal, Resolution, Route } from './recipients.js';
export { maySendAs, ownsAddress } from './ownership.js';
