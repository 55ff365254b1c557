// The store: the one door to data (DESIGN §2). Every operation is asynchronous and is one
// transaction; the use cases that span several aggregates (deliver, bounce, deleteDomain, ...)
// return the changes they caused so the caller can broadcast them after commit. The interface names
// no SQL and no better-sqlite3 type: it is the seam a PostgreSQL backend implements.
//
// Implementation notes (SQLite): the repositories (accounts.ts, messages.ts, ...) are synchronous
// better-sqlite3 code; openStore() wraps each of their methods in a resolved Promise and runs every
// use case as one synchronous transaction with no await inside, so a SQLite transaction never spans
// a turn of the event loop. Callers must still assume what they read may change before they act
// (on PostgreSQL it will), and re-check or let the use case check inside its transaction.
// Reads that scan (offload) run on a pool of worker threads with their own read-only connections
// (read-pool.ts), and the hot writes on one writer thread that commits them in batches (writer.ts);
// with no pool (readWorkers 0, or an in-memory database) the same jobs run here.
import { availableParallelism } from 'node:os';
import type { Clock } from '../clock.js';
import { openDatabase, registerDatabase } from './db.js';
import { snapshotDatabase } from './snapshot.js';
import { createBlobRepo, type BlobRepo } from './blobs.js';
import { createDomainRepo, type DomainRepo } from './domains.js';
import { createAccountRepo, type Account, type AccountRepo, type NewAccount } from './accounts.js';
import { createAliasRepo, type AliasRepo } from './aliases.js';
import { createTransportRepo, type TransportRepo } from './transports.js';
import { createNetworkRepo, type NetworkRepo } from './networks.js';
import { createRuleRepo, type RuleRepo } from './rules.js';
import { createMailboxRepo, type Mailbox, type MailboxRepo } from './mailboxes.js';
import { createSubscriptionRepo, type SubscriptionRepo } from './subscriptions.js';
import { createUrlauthKeyRepo, type UrlauthKeyRepo } from './urlauth-keys.js';
import { createAclRowRepo } from './acl-rows.js';
import { aclUseCases, type AclStore } from './acl.js';
import { mailboxAccess, type MailboxAccessStore } from './mailbox-access.js';
import { createObjectIdRepo, type ObjectIdRepo } from './object-ids.js';
import { createSaveDateRepo, type SaveDateRepo } from './save-dates.js';
import { createMessageRepo, type MailboxCounts, type MessageRepo } from './messages.js';
import { createTextIndex, type TextIndexRepo } from './message-text.js';
import { createQueueRepo, type QueueRepo } from './queue.js';
import { createLogInsert, createLogRepo, type LogRepo } from './log.js';
import { createSettingsRepo, type SettingsRepo } from './settings.js';
import { createSenderRightsRepo, type SenderRightsRepo } from './sender-rights.js';
import { createAuthBanRepo, type AuthBanRepo } from './auth-bans.js';
import { createSieveRepo, type SieveRepo } from './sieve.js';
import { createImportRepo, type ImportRepo } from './imports.js';
import { createQuarantineRepo, type NewQuarantined, type QuarantinedMessage, type QuarantineRepo } from './quarantine.js';
import { createSenderListRepo, type SenderListRepo } from './sender-lists.js';
import { createGreylistRepo, type GreylistRepo } from './greylist.js';
import type { StoreChange, WithChanges } from './changes.js';
import { createReadPool, type ReadJob, type ReadPool } from './read-pool.js';
import { createWriter, writerCalls, type Writer } from './writer.js';
import { createDeliverOne, deliverAll } from './deliveries.js';
import type { ReadStore } from './read-store.js';
import type { Async, Delivery, DeliveryResult, LocalCopy, MailboxSnapshot } from './use-case-types.js';

export type { Async, Delivery, DeliveryResult, LocalCopy, MailboxSnapshot };

/** Read workers when not told: one per core, at most this many. */
const MAX_DEFAULT_READ_WORKERS = 4;

export interface StoreOptions {
  /** Worker threads for offloaded reads; 0 runs them on the caller's thread. Default: one per core, at most 4. */
  readWorkers?: number;
}

/** The outcome of one queue pass for some rows, written at once. */
export interface QueueSettlement {
  /** Delivered or given up: the rows go (and their blob references). */
  remove: number[];
  /** Try again later. */
  defer: Array<{ id: number; error: string; nextAttemptAt: number }>;
}

/** A node sharing the database (PostgreSQL) as its heartbeat row tells. */
export interface NodeInfo {
  id: string;
  host: string;
  pid: number;
  startedAt: number;
  seenAt: number;
  /** Heard from lately; a silent node's queue claims go to the others. */
  alive: boolean;
  /** This process. */
  self: boolean;
}

export interface Store {
  /** Blobs are reference-counted by the rows that hold them: only reads are open to callers. */
  blobs: Async<Pick<BlobRepo, 'read' | 'readRange' | 'size'>>;
  domains: Async<Omit<DomainRepo, 'deleteRow'>>;
  accounts: Async<Omit<AccountRepo, 'deleteRow' | 'addUsage'>>;
  aliases: Async<AliasRepo>;
  transports: Async<TransportRepo>;
  networks: Async<NetworkRepo>;
  rules: Async<RuleRepo>;
  mailboxes: Async<Omit<MailboxRepo, 'deleteRow'>>;
  subscriptions: Async<SubscriptionRepo>;
  /** URLAUTH access keys per mailbox (RFC 4467). */
  urlauthKeys: Async<UrlauthKeyRepo>;
  /** Access to mailboxes by name, shared mailboxes and their ACLs (RFC 4314): every access check is here. */
  acl: AclStore;
  /** Mailbox operations by the name a principal sees, with its rights checked (mailbox-access.ts). */
  access: MailboxAccessStore;
  /** EMAILIDs and thread headers of messages (RFC 8474). */
  objectIds: Async<ObjectIdRepo>;
  /** Save dates of messages (RFC 8514). */
  saveDates: Async<SaveDateRepo>;
  messages: Async<MessageRepo>;
  /** The full-text index of SEARCH BODY/TEXT (message-text.ts, text-backfill.ts); absent on PostgreSQL (the scan answers). */
  textIndex?: Async<TextIndexRepo>;
  queue: Async<QueueRepo>;
  log: Async<LogRepo>;
  settings: Async<SettingsRepo>;
  senderRights: Async<SenderRightsRepo>;
  authBans: Async<AuthBanRepo>;
  sieve: Async<SieveRepo>;
  /** Moving in: bulk directory and mail writes with resumable progress (imports.ts). */
  imports: Async<ImportRepo>;
  quarantine: Async<Pick<QuarantineRepo, 'list' | 'get'>>;
  senderLists: Async<SenderListRepo>;
  greylist: Async<GreylistRepo>;
  /** Stores one message for local mailboxes and/or the outbound queue, in one transaction. */
  deliver(delivery: Delivery): Promise<WithChanges<DeliveryResult>>;
  /** Several deliveries in one transaction: one fsync for all (group commit). */
  deliverMany(deliveries: Delivery[]): Promise<WithChanges<DeliveryResult[]>>;
  /** A queued recipient delivered here after all: the copies and the queue row's removal in one transaction. */
  deliverFromQueue(delivery: Delivery, queueRowId: number): Promise<WithChanges<DeliveryResult>>;
  /** Failed queue rows go, and their DSN (if any) is delivered, in one transaction: never lost, never doubled. */
  /** Holds a message a milter quarantined (its blob and row in one transaction). */
  quarantineMessage(message: NewQuarantined): Promise<QuarantinedMessage>;
  /** Delivers a released message and drops its quarantine row, in one transaction; null when it was gone. */
  releaseQuarantined(delivery: Delivery, quarantineId: string): Promise<WithChanges<DeliveryResult> | null>;
  /** Deletes a quarantined message; false when it was gone. */
  deleteQuarantined(quarantineId: string): Promise<boolean>;
  bounce(dsn: Delivery | null, queueRowIds: number[]): Promise<WithChanges<DeliveryResult | null>>;
  /** Removes and defers queue rows after a pass, in one transaction. */
  settleQueue(settlement: QueueSettlement): Promise<void>;
  /** Defers a row only while it is still claimed (a crashed job's rows); false when it is gone or settled. */
  deferClaimed(queueRowId: number, error: string, nextAttemptAt: number): Promise<boolean>;
  /** Opens a mailbox for a session; null when it does not exist. */
  openMailbox(accountId: number, name: string, options: { claimRecent: boolean; changedSince: number | null }): Promise<MailboxSnapshot | null>;
  /** A mailbox's row and (when asked) message counts read together (STATUS); null when it does not exist. */
  mailboxStatus(mailboxId: number, withCounts: boolean): Promise<{ mailbox: Mailbox; counts: MailboxCounts } | null>;
  /** An account with its default mailboxes. */
  createAccount(account: NewAccount): Promise<Account>;
  deleteMailbox(mailboxId: number): Promise<WithChanges<void>>;
  deleteAccount(accountId: number): Promise<WithChanges<void>>;
  /** Deletes a domain with its accounts (and their mail) and aliases. */
  deleteDomain(domainId: number): Promise<WithChanges<void>>;
  /**
   * Runs a read job (a scan over many rows) on a read worker, or here when there is none; `onChunk`
   * gets the chunks it emits, in order, before the result.
   */
  offload<I, O, C = never>(job: ReadJob<I, O, C>, input: I, onChunk?: (chunk: C) => void): Promise<O>;
  /** The database's own consistency check (SQLite `integrity_check`): 'ok' or the problems found. */
  integrityCheck(): Promise<string[]>;
  /** An online copy of the database at `destination`, made on a thread while the server keeps serving (snapshot.ts). */
  snapshot(destination: string): Promise<void>;
  /**
   * Changes other nodes sharing this database committed (PostgreSQL, DESIGN §11), for the event bus;
   * absent on a store only this process writes to (SQLite). Ends with close().
   */
  watchOtherNodes?(listener: (changes: StoreChange[]) => void): void;
  /** The nodes sharing this database, by their heartbeats; absent on SQLite (one node). */
  nodes?(): Promise<NodeInfo[]>;
  close(): Promise<void>;
}

/** `repo` with each method run through `run` (writer.ts), returning a Promise. */
function asyncRepoOf<R extends object>(repo: R, run: Writer['run']): Async<R> {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(repo) as Array<[string, (...args: unknown[]) => unknown]>) {
    out[name] = (...args: unknown[]) => run(() => fn(...args));
  }
  return out as Async<R>;
}

/** Runs `job` with `store` on this thread (also the PostgreSQL store's offload: its reads do not block the loop). */
export async function runHere<I, O, C>(store: ReadStore, job: ReadJob<I, O, C>, input: I, onChunk?: (chunk: C) => void): Promise<O> {
  const module = (await import(job.module)) as Record<string, (store: ReadStore, input: I, emit: (chunk: C) => void) => Promise<O>>;
  return module[job.name](store, input, (chunk) => onChunk?.(chunk));
}

export function openStore(file: string, clock: Clock, options: StoreOptions = {}): Store {
  const db = openDatabase(file);
  const workers = file === ':memory:' ? 0 : options.readWorkers ?? Math.min(MAX_DEFAULT_READ_WORKERS, availableParallelism());
  const pool: ReadPool | null = workers > 0 ? createReadPool(file, workers) : null;
  const writerThread: ReadPool | null = workers > 0 ? createReadPool(file, 1) : null;
  const blobs = createBlobRepo(db);
  const accounts = createAccountRepo(db, clock);
  const messages = createMessageRepo(db, blobs, accounts, clock);
  const subscriptions = createSubscriptionRepo(db);
  const mailboxes = createMailboxRepo(db, clock, subscriptions);
  const domains = createDomainRepo(db, clock);
  const aliases = createAliasRepo(db, clock);
  const queue = createQueueRepo(db, clock, blobs);
  const transports = createTransportRepo(db, clock);
  const quarantine = createQuarantineRepo(db, clock, blobs);
  const aclRows = createAclRowRepo(db);

  const writer = createWriter(db, writerThread);
  const asyncRepo = <R extends object>(repo: R) => asyncRepoOf(repo, writer.run);
  /** Runs `work` as one transaction; its result (or error) as a Promise. */
  const transaction = writer.transaction;

  const deliverOne = createDeliverOne({ blobs, messages, queue });
  const insertLog = createLogInsert(db);
  const written = writerCalls(writer, pool, { messages, mailboxes, recordLogin: accounts.recordLogin, deliverAll: (ds) => deliverAll(deliverOne, ds), insertLog }, () => clock.now());

  const deleteMailbox = (mailboxId: number): StoreChange[] => {
    const mailbox = mailboxes.byId(mailboxId);
    if (!mailbox) return [];
    const changes = messages.expunge(mailboxId, messages.list(mailboxId).map((m) => m.uid)).changes;
    mailboxes.deleteRow(mailboxId);
    changes.push({ kind: 'mailbox-deleted', accountId: mailbox.accountId, mailboxId, name: mailbox.name });
    return changes;
  };

  const deleteAccount = (accountId: number): StoreChange[] => {
    const changes = mailboxes.idsOf(accountId).flatMap(deleteMailbox);
    const address = accounts.get(accountId)?.address;
    if (address) aclRows.forget(address.toLowerCase());
    accounts.deleteRow(accountId);
    return changes;
  };

  const store: Store = {
    blobs: asyncRepo({ read: blobs.read, readRange: blobs.readRange, size: blobs.size }),
    domains: asyncRepo(domains),
    accounts: { ...asyncRepo(accounts), recordLogin: written.recordLogin },
    aliases: asyncRepo(aliases),
    transports: asyncRepo(transports),
    networks: asyncRepo(createNetworkRepo(db, clock)),
    rules: asyncRepo(createRuleRepo(db, clock)),
    mailboxes: { ...asyncRepo(mailboxes), claimRecent: written.claimRecent },
    subscriptions: asyncRepo(subscriptions),
    urlauthKeys: asyncRepo(createUrlauthKeyRepo(db)),
    acl: aclUseCases({ accounts: asyncRepo(accounts), mailboxes: asyncRepo(mailboxes), aclRows: asyncRepo(aclRows) }),
    access: mailboxAccess(() => store),
    objectIds: asyncRepo(createObjectIdRepo(db)),
    saveDates: asyncRepo(createSaveDateRepo(db)),
    messages: { ...asyncRepo(messages), ...written.messages },
    textIndex: asyncRepo(createTextIndex(db, blobs)),
    queue: asyncRepo(queue),
    log: { ...asyncRepo(createLogRepo(db)), insertMany: written.insertLog },
    settings: asyncRepo(createSettingsRepo(db)),
    senderRights: asyncRepo(createSenderRightsRepo(db, clock)),
    authBans: asyncRepo(createAuthBanRepo(db)),
    sieve: asyncRepo(createSieveRepo(db, clock)),
    imports: asyncRepo(createImportRepo(db, clock, { blobs, accounts, domains, aliases, transports, mailboxes, messages, subscriptions })),
    quarantine: asyncRepo({ list: quarantine.list, get: quarantine.get }),
    senderLists: asyncRepo(createSenderListRepo(db, clock)),
    greylist: asyncRepo(createGreylistRepo(db)),
    quarantineMessage: (m) => transaction(() => quarantine.hold(m)),
    releaseQuarantined: (d, quarantineId) =>
      transaction(() => {
        if (!quarantine.get(quarantineId)) return null;
        const done = deliverOne(d);
        quarantine.remove(quarantineId);
        return done;
      }),
    deleteQuarantined: (quarantineId) => transaction(() => quarantine.remove(quarantineId)),
    deliver: async (d) => {
      const { result, changes } = await written.deliveries([d]);
      return { result: result[0], changes };
    },
    deliverMany: (ds) => written.deliveries(ds),
    deliverFromQueue: (d, queueRowId) =>
      transaction(() => {
        const done = deliverOne(d);
        queue.remove(queueRowId);
        return done;
      }),
    bounce: (dsn, queueRowIds) =>
      transaction(() => {
        const done = dsn ? deliverOne(dsn) : { result: null, changes: [] };
        for (const id of queueRowIds) queue.remove(id);
        return done;
      }),
    settleQueue: (settlement) =>
      transaction(() => {
        for (const id of settlement.remove) queue.remove(id);
        for (const d of settlement.defer) queue.defer(d.id, d.error, d.nextAttemptAt);
      }),
    deferClaimed: (queueRowId, error, nextAttemptAt) =>
      transaction(() => {
        if (queue.get(queueRowId)?.state !== 'delivering') return false;
        queue.defer(queueRowId, error, nextAttemptAt);
        return true;
      }),
    openMailbox: written.openMailbox,
    mailboxStatus: written.mailboxStatus,
    createAccount: (account) =>
      transaction(() => {
        const created = accounts.add(account);
        mailboxes.createDefaults(created.id);
        return created;
      }),
    deleteMailbox: (mailboxId) => transaction(() => ({ result: undefined, changes: deleteMailbox(mailboxId) })),
    deleteAccount: (accountId) => transaction(() => ({ result: undefined, changes: deleteAccount(accountId) })),
    deleteDomain: (domainId) =>
      transaction(() => {
        const changes = accounts
          .list()
          .filter((a) => a.domainId === domainId)
          .flatMap((a) => deleteAccount(a.id));
        aliases.deleteInDomain(domainId);
        domains.deleteRow(domainId);
        return { result: undefined, changes };
      }),
    offload: (job, input, onChunk) => (pool ? pool.run(job, input, onChunk) : runHere(store, job, input, onChunk)),
    snapshot: (destination) => snapshotDatabase(file, destination),
    integrityCheck: async () => (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((row) => row.integrity_check),
    close: async () => {
      await writer.drain();
      await Promise.all([pool?.close(), writerThread?.close()]);
      db.close();
    },
  };
  registerDatabase(store, db);
  return store;
}

export type { StoreChange, WithChanges } from './changes.js';
