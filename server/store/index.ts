// The store: one SQLite file and the repositories over it, plus the use-case operations that span
// several aggregates. Each use-case is one synchronous transaction with no await inside; it returns
// the changes it caused so the caller can broadcast them after commit. This is the seam a PostgreSQL
// backend would implement.
import type { Clock } from '../clock.js';
import { openDatabase, type Db } from './db.js';
import { createBlobRepo, type BlobRepo } from './blobs.js';
import { createDomainRepo, type DomainRepo } from './domains.js';
import { createAccountRepo, type AccountRepo } from './accounts.js';
import { createAliasRepo, type AliasRepo } from './aliases.js';
import { createTransportRepo, type TransportRepo } from './transports.js';
import { createNetworkRepo, type NetworkRepo } from './networks.js';
import { createRuleRepo, type RuleRepo } from './rules.js';
import { createMailboxRepo, type MailboxRepo } from './mailboxes.js';
import { createMessageRepo, type MessageRepo, type NewMessage } from './messages.js';
import { createQueueRepo, type QueueRepo } from './queue.js';
import { createLogRepo, type LogRepo } from './log.js';
import { createSettingsRepo, type SettingsRepo } from './settings.js';
import { createSenderRightsRepo, type SenderRightsRepo } from './sender-rights.js';
import { createAuthBanRepo, type AuthBanRepo } from './auth-bans.js';
import type { StoreChange, WithChanges } from './changes.js';

/** One local copy: a message row without its blob (shared) and size (prefix + shared bytes). */
export interface LocalCopy extends Omit<NewMessage, 'blobId' | 'size'> {
  mailboxId: number;
}

export interface Delivery {
  /** The bytes shared by every copy and queue row. */
  bytes: Buffer;
  local: LocalCopy[];
  remote?: { sender: string; recipients: string[]; messageId: string | null; dsn?: unknown };
}

export interface DeliveryResult {
  uids: Array<{ mailboxId: number; uid: number }>;
  queueId: string | null;
}

export interface Store {
  db: Db;
  blobs: BlobRepo;
  domains: DomainRepo;
  accounts: AccountRepo;
  aliases: AliasRepo;
  transports: TransportRepo;
  networks: NetworkRepo;
  rules: RuleRepo;
  mailboxes: MailboxRepo;
  messages: MessageRepo;
  queue: QueueRepo;
  log: LogRepo;
  settings: SettingsRepo;
  senderRights: SenderRightsRepo;
  authBans: AuthBanRepo;
  /** Stores one message for local mailboxes and/or the outbound queue, in one transaction. */
  deliver(delivery: Delivery): WithChanges<DeliveryResult>;
  /** Several deliveries in one transaction: one fsync for all (group commit). */
  deliverMany(deliveries: Delivery[]): WithChanges<DeliveryResult[]>;
  deleteMailbox(mailboxId: number): WithChanges<void>;
  deleteAccount(accountId: number): WithChanges<void>;
  /** Deletes a domain with its accounts (and their mail) and aliases. */
  deleteDomain(domainId: number): WithChanges<void>;
  close(): void;
}

export function openStore(file: string, clock: Clock): Store {
  const db = openDatabase(file);
  const blobs = createBlobRepo(db);
  const accounts = createAccountRepo(db, clock);
  const messages = createMessageRepo(db, blobs, accounts);
  const mailboxes = createMailboxRepo(db, clock);
  const domains = createDomainRepo(db, clock);
  const aliases = createAliasRepo(db, clock);
  const queue = createQueueRepo(db, clock, blobs);

  const deliverOne = (d: Delivery): WithChanges<DeliveryResult> => {
    const refs = d.local.length;
    const changes: StoreChange[] = [];
    const uids: DeliveryResult['uids'] = [];
    let queueId: string | null = null;
    if (refs === 0 && !d.remote?.recipients.length) return { result: { uids, queueId }, changes };
    // Take the local references now; the queue takes its own per row.
    const blobId = blobs.acquire(d.bytes, refs);
    for (const copy of d.local) {
      const { result, changes: c } = messages.append(copy.mailboxId, {
        ...copy,
        blobId,
        size: copy.prefix.length + d.bytes.length,
      });
      uids.push({ mailboxId: copy.mailboxId, uid: result.uid });
      changes.push(...c);
    }
    if (d.remote?.recipients.length) {
      queueId = queue.enqueue({ ...d.remote, blobId }).queueId;
    }
    return { result: { uids, queueId }, changes };
  };

  const expungeAll = (mailboxId: number): StoreChange[] =>
    messages.expunge(mailboxId, messages.list(mailboxId).map((m) => m.uid)).changes;

  const store: Store = {
    db,
    blobs,
    domains,
    accounts,
    aliases,
    transports: createTransportRepo(db, clock),
    networks: createNetworkRepo(db, clock),
    rules: createRuleRepo(db, clock),
    mailboxes,
    messages,
    queue,
    log: createLogRepo(db),
    settings: createSettingsRepo(db),
    senderRights: createSenderRightsRepo(db, clock),
    authBans: createAuthBanRepo(db),
    deliver: (d) => db.transaction(() => deliverOne(d))(),
    deliverMany: (ds) =>
      db.transaction(() => {
        const results = ds.map(deliverOne);
        return { result: results.map((r) => r.result), changes: results.flatMap((r) => r.changes) };
      })(),
    deleteMailbox: (mailboxId) =>
      db.transaction(() => {
        const mailbox = mailboxes.byId(mailboxId);
        if (!mailbox) return { result: undefined, changes: [] };
        const changes = expungeAll(mailboxId);
        mailboxes.deleteRow(mailboxId);
        changes.push({ kind: 'mailbox-deleted', accountId: mailbox.accountId, mailboxId, name: mailbox.name });
        return { result: undefined, changes };
      })(),
    deleteAccount: (accountId) =>
      db.transaction(() => {
        const changes = mailboxes.idsOf(accountId).flatMap((id) => store.deleteMailbox(id).changes);
        accounts.deleteRow(accountId);
        return { result: undefined, changes };
      })(),
    deleteDomain: (domainId) =>
      db.transaction(() => {
        const changes = accounts
          .list()
          .filter((a) => a.domainId === domainId)
          .flatMap((a) => store.deleteAccount(a.id).changes);
        aliases.deleteInDomain(domainId);
        domains.deleteRow(domainId);
        return { result: undefined, changes };
      })(),
    close: () => db.close(),
  };
  return store;
}

export type { StoreChange, WithChanges } from './changes.js';
