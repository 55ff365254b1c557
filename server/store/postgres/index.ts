// The Store (../index.ts) on PostgreSQL, for several Mailroom nodes on one database (DESIGN §11).
// Every operation is one transaction on a pooled connection, committed before its promise resolves;
// the repositories here are the PostgreSQL twins of the SQLite ones, built per transaction over its
// connection. Concurrency between nodes is settled by row locks (postgres/messages.ts, queue.ts).
// What has no PostgreSQL meaning says so: snapshot() (SQLite's online copy; use pg_dump).
import type { Clock } from '../../clock.js';
import type { Delivery, DeliveryResult, MailboxSnapshot, Store } from '../index.js';
import { runHere } from '../index.js';
import type { StoreChange, WithChanges } from '../changes.js';
import { openDatabase, type Database, type Sql } from './sql.js';
import { migratePostgres } from './migrations/index.js';
import { newNodeId, notifyChanges, watchChanges, type ChangeWatch } from './notify.js';
import { createBlobRepo } from './blobs.js';
import { createAccountRepo, createAliasRepo, createDomainRepo, createNetworkRepo, createRuleRepo, createTransportRepo } from './directory.js';
import { createMailboxRepo, createSubscriptionRepo } from './mailboxes.js';
import { createMessageRepo } from './messages.js';
import { createQueueRepo } from './queue.js';
import { createAuthBanRepo, createGreylistRepo, createLogRepo, createQuarantineRepo, createSenderListRepo, createSenderRightsRepo, createSettingsRepo } from './records.js';
import { createSieveRepo } from './sieve.js';
import { createUrlauthKeyRepo } from './urlauth-keys.js';
import { createAclRowRepo } from './acl-rows.js';
import { aclUseCases } from '../acl.js';
import { mailboxAccess } from '../mailbox-access.js';
import { createObjectIdRepo } from './object-ids.js';
import { createSaveDateRepo } from './save-dates.js';
import { createImportRepo } from './imports.js';
import { listNodes, startHeartbeat, type Heartbeat } from './nodes.js';

export interface PostgresStoreOptions {
  /** Connections in the pool. */
  connections?: number;
}

/** The repositories over one transaction's connection, each made on first use. */
function reposOver(sql: Sql, clock: Clock, node: string) {
  const made = new Map<string, unknown>();
  const once = <T>(name: string, make: () => T): T => {
    if (!made.has(name)) made.set(name, make());
    return made.get(name) as T;
  };
  const repos = {
    get blobs() {
      return once('blobs', () => createBlobRepo(sql));
    },
    get domains() {
      return once('domains', () => createDomainRepo(sql, clock));
    },
    get accounts() {
      return once('accounts', () => createAccountRepo(sql, clock));
    },
    get aliases() {
      return once('aliases', () => createAliasRepo(sql, clock));
    },
    get transports() {
      return once('transports', () => createTransportRepo(sql, clock));
    },
    get networks() {
      return once('networks', () => createNetworkRepo(sql, clock));
    },
    get rules() {
      return once('rules', () => createRuleRepo(sql, clock));
    },
    get subscriptions() {
      return once('subscriptions', () => createSubscriptionRepo(sql));
    },
    get mailboxes() {
      return once('mailboxes', () => createMailboxRepo(sql, clock, repos.subscriptions));
    },
    get messages() {
      return once('messages', () => createMessageRepo(sql, repos.blobs, repos.accounts, clock));
    },
    get queue() {
      return once('queue', () => createQueueRepo(sql, clock, repos.blobs, node));
    },
    get log() {
      return once('log', () => createLogRepo(sql));
    },
    get settings() {
      return once('settings', () => createSettingsRepo(sql));
    },
    get senderRights() {
      return once('senderRights', () => createSenderRightsRepo(sql, clock));
    },
    get authBans() {
      return once('authBans', () => createAuthBanRepo(sql));
    },
    get urlauthKeys() {
      return once('urlauthKeys', () => createUrlauthKeyRepo(sql));
    },
    get aclRows() {
      return once('aclRows', () => createAclRowRepo(sql));
    },
    get acl() {
      return once('acl', () => aclUseCases(repos));
    },
    get objectIds() {
      return once('objectIds', () => createObjectIdRepo(sql));
    },
    get saveDates() {
      return once('saveDates', () => createSaveDateRepo(sql));
    },
    get sieve() {
      return once('sieve', () => createSieveRepo(sql, clock));
    },
    get imports() {
      return once('imports', () => createImportRepo(sql, clock, repos));
    },
    get quarantine() {
      return once('quarantine', () => createQuarantineRepo(sql, clock, repos.blobs));
    },
    get senderLists() {
      return once('senderLists', () => createSenderListRepo(sql, clock));
    },
    get greylist() {
      return once('greylist', () => createGreylistRepo(sql));
    },
  };
  return repos;
}

type Repos = ReturnType<typeof reposOver>;

/** One delivery inside the caller's transaction (the twin of ../deliveries.ts). */
async function deliverOne(r: Repos, d: Delivery): Promise<WithChanges<DeliveryResult>> {
  const changes: StoreChange[] = [];
  const uids: DeliveryResult['uids'] = [];
  let queueId: string | null = null;
  if (d.local.length === 0 && !d.remote?.recipients.length) return { result: { uids, queueId }, changes };
  const blobId = await r.blobs.acquire(d.bytes, d.local.length);
  for (const copy of d.local) {
    const { result, changes: c } = await r.messages.append(copy.mailboxId, { ...copy, blobId, size: copy.prefix.length + d.bytes.length });
    uids.push({ mailboxId: copy.mailboxId, uid: result.uid });
    changes.push(...c);
  }
  if (d.remote?.recipients.length) queueId = (await r.queue.enqueue({ ...d.remote, blobId })).queueId;
  return { result: { uids, queueId }, changes };
}

/** The store's checks of its own invariants: blob reference counts and UID high-water marks. */
async function integrityProblems(sql: Sql): Promise<string[]> {
  const blobs = await sql.all<{ id: number; refcount: number; refs: number }>(`
    SELECT b.id, b.refcount, r.refs FROM blobs b
    JOIN LATERAL (SELECT (SELECT count(*) FROM messages WHERE blob_id = b.id) + (SELECT count(*) FROM queue WHERE blob_id = b.id)
                       + (SELECT count(*) FROM quarantine WHERE blob_id = b.id) AS refs) r ON true
    WHERE r.refs <> b.refcount`);
  const uids = await sql.all<{ id: number; uidnext: number; highest: number }>(`
    SELECT mb.id, mb.uidnext, max(m.uid) AS highest FROM mailboxes mb JOIN messages m ON m.mailbox_id = mb.id
    GROUP BY mb.id, mb.uidnext HAVING max(m.uid) >= mb.uidnext`);
  return [
    ...blobs.map((b) => `blob ${b.id}: refcount ${b.refcount} but ${b.refs} references`),
    ...uids.map((m) => `mailbox ${m.id}: uidnext ${m.uidnext} but a message has UID ${m.highest}`),
  ];
}

/** Opens (and migrates) the PostgreSQL database at `url` as a Store. */
export async function openPostgresStore(url: string, clock: Clock, options: PostgresStoreOptions = {}): Promise<Store> {
  const db: Database = openDatabase(url, { max: options.connections });
  const node = newNodeId();
  let heartbeat: Heartbeat;
  try {
    await db.transaction((sql) => migratePostgres(sql));
    heartbeat = await startHeartbeat(db, node);
  } catch (error) {
    await db.close();
    throw error;
  }
  const watches: ChangeWatch[] = [];
  /** `work` as one transaction; the changes it returns go to the other nodes when it commits. */
  const inTransaction = <T>(work: (r: Repos, sql: Sql) => Promise<T>): Promise<T> =>
    db.transaction(async (sql) => {
      const result = await work(reposOver(sql, clock, node), sql);
      const changes = (result as Partial<WithChanges<unknown>> | null)?.changes;
      if (Array.isArray(changes) && changes.length > 0) await notifyChanges(sql, node, changes);
      return result;
    });

  /** `name`'s methods, each run as its own transaction. */
  const exposed = <K extends keyof Repos, M extends keyof Repos[K]>(name: K, methods?: readonly M[]): Pick<Repos[K], M> => {
    const shape = reposOver(null as unknown as Sql, clock, node)[name] as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const method of (methods as readonly string[] | undefined) ?? Object.keys(shape)) {
      out[method] = (...args: unknown[]) =>
        inTransaction((r) => (r[name] as Record<string, (...a: unknown[]) => Promise<unknown>>)[method](...args));
    }
    return out as Pick<Repos[K], M>;
  };

  const deleteMailbox = async (r: Repos, mailboxId: number): Promise<StoreChange[]> => {
    const mailbox = await r.mailboxes.byId(mailboxId);
    if (!mailbox) return [];
    const changes = (await r.messages.expunge(mailboxId, (await r.messages.uids(mailboxId)))).changes;
    await r.mailboxes.deleteRow(mailboxId);
    changes.push({ kind: 'mailbox-deleted', accountId: mailbox.accountId, mailboxId, name: mailbox.name });
    return changes;
  };
  const deleteAccount = async (r: Repos, accountId: number): Promise<StoreChange[]> => {
    const changes: StoreChange[] = [];
    for (const id of await r.mailboxes.idsOf(accountId)) changes.push(...(await deleteMailbox(r, id)));
    const address = (await r.accounts.get(accountId))?.address;
    if (address) await r.aclRows.forget(address.toLowerCase());
    await r.accounts.deleteRow(accountId);
    return changes;
  };

  const store: Store = {
    blobs: exposed('blobs', ['read', 'readRange', 'size']),
    domains: exposed('domains', ['add', 'get', 'require', 'list', 'update', 'dkimKey', 'setDkimKey']),
    accounts: exposed('accounts', ['add', 'get', 'find', 'require', 'list', 'page', 'countInDomain', 'secrets', 'update', 'recordLogin']),
    aliases: exposed('aliases'),
    transports: exposed('transports'),
    networks: exposed('networks'),
    rules: exposed('rules'),
    mailboxes: exposed('mailboxes', ['create', 'createDefaults', 'get', 'require', 'byId', 'list', 'idsOf', 'createPath', 'rename', 'claimRecent']),
    subscriptions: exposed('subscriptions'),
    messages: exposed('messages'),
    queue: exposed('queue'),
    log: exposed('log'),
    settings: exposed('settings'),
    senderRights: exposed('senderRights'),
    authBans: exposed('authBans'),
    sieve: exposed('sieve'),
    urlauthKeys: exposed('urlauthKeys'),
    acl: exposed('acl'),
    access: mailboxAccess(() => store),
    objectIds: exposed('objectIds'),
    saveDates: exposed('saveDates'),
    imports: exposed('imports'),
    quarantine: exposed('quarantine', ['list', 'get']),
    senderLists: exposed('senderLists'),
    greylist: exposed('greylist'),
    deliver: (d) => inTransaction((r) => deliverOne(r, d)),
    deliverMany: (ds) =>
      inTransaction(async (r) => {
        const results: DeliveryResult[] = [];
        const changes: StoreChange[] = [];
        for (const d of ds) {
          const done = await deliverOne(r, d);
          results.push(done.result);
          changes.push(...done.changes);
        }
        return { result: results, changes };
      }),
    deliverFromQueue: (d, queueRowId) =>
      inTransaction(async (r) => {
        const done = await deliverOne(r, d);
        await r.queue.remove(queueRowId);
        return done;
      }),
    quarantineMessage: (m) => inTransaction((r) => r.quarantine.hold(m)),
    releaseQuarantined: (d, quarantineId) =>
      inTransaction(async (r) => {
        if (!(await r.quarantine.remove(quarantineId))) return null;
        return deliverOne(r, d);
      }),
    deleteQuarantined: (quarantineId) => inTransaction((r) => r.quarantine.remove(quarantineId)),
    bounce: (dsn, queueRowIds) =>
      inTransaction(async (r) => {
        const done = dsn ? await deliverOne(r, dsn) : { result: null, changes: [] };
        for (const id of queueRowIds) await r.queue.remove(id);
        return done;
      }),
    settleQueue: (settlement) =>
      inTransaction(async (r) => {
        for (const id of settlement.remove) await r.queue.remove(id);
        for (const d of settlement.defer) await r.queue.defer(d.id, d.error, d.nextAttemptAt);
      }),
    deferClaimed: (queueRowId, error, nextAttemptAt) =>
      inTransaction(async (r, sql) => {
        const state = await sql.value<string>('SELECT state FROM queue WHERE id = ? FOR UPDATE', [queueRowId]);
        if (state !== 'delivering') return false;
        await r.queue.defer(queueRowId, error, nextAttemptAt);
        return true;
      }),
    openMailbox: (accountId, name, options) =>
      inTransaction(async (r): Promise<MailboxSnapshot | null> => {
        const found = await r.mailboxes.get(accountId, name);
        if (!found) return null;
        const recent = options.claimRecent ? await r.mailboxes.claimRecent(found.id) : null;
        const since = options.changedSince;
        return {
          mailbox: recent ? (await r.mailboxes.byId(found.id))! : found,
          uids: await r.messages.uids(found.id),
          keywords: await r.messages.keywordsInUse(found.id),
          firstUnseen: await r.messages.firstUnseen(found.id),
          recent,
          vanished: since === null ? [] : await r.messages.expungedSince(found.id, since),
          changed: since === null ? [] : await r.messages.changedSince(found.id, since),
        };
      }),
    mailboxStatus: (mailboxId, withCounts) =>
      inTransaction(async (r) => {
        const mailbox = await r.mailboxes.byId(mailboxId);
        if (!mailbox) return null;
        return { mailbox, counts: withCounts ? await r.messages.counts(mailbox.id, mailbox.firstRecentUid) : { messages: 0, unseen: 0, recent: 0, size: 0, deleted: 0 } };
      }),
    createAccount: (account) =>
      inTransaction(async (r) => {
        const created = await r.accounts.add(account);
        await r.mailboxes.createDefaults(created.id);
        return created;
      }),
    deleteMailbox: (mailboxId) => inTransaction(async (r) => ({ result: undefined, changes: await deleteMailbox(r, mailboxId) })),
    deleteAccount: (accountId) => inTransaction(async (r) => ({ result: undefined, changes: await deleteAccount(r, accountId) })),
    deleteDomain: (domainId) =>
      inTransaction(async (r) => {
        const changes: StoreChange[] = [];
        for (const a of (await r.accounts.list()).filter((x) => x.domainId === domainId)) changes.push(...(await deleteAccount(r, a.id)));
        await r.aliases.deleteInDomain(domainId);
        await r.domains.deleteRow(domainId);
        return { result: undefined, changes };
      }),
    offload: (job, input, onChunk) => runHere(store, job, input, onChunk),
    integrityCheck: async () => {
      const problems = await inTransaction((_r, sql) => integrityProblems(sql));
      return problems.length === 0 ? ['ok'] : problems;
    },
    snapshot: async () => {
      throw new Error('an online copy is a SQLite feature: back up a PostgreSQL store with pg_dump');
    },
    watchOtherNodes(listener) {
      watches.push(watchChanges(url, node, listener));
    },
    nodes: () => inTransaction((_r, sql) => listNodes(sql, node)),
    close: async () => {
      await heartbeat.stop();
      await Promise.all(watches.map((w) => w.close()));
      await db.close();
    },
  };
  return store;
}
