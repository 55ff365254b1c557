// The queue runner (DESIGN §6): takes due rows from the queue table, routes each recipient, delivers
// over SMTP (or locally when the route says so), and turns the outcome into queue changes: 2xx
// removes the row, 4xx and connection failures defer it with exponential backoff, 5xx and the
// queue lifetime bounce it with one DSN per message and pass to the envelope sender.
//
// Implementation notes:
// - Rows are claimed (state `delivering`) in one store transaction, so two passes never take the same row;
//   a crash leaves claimed rows `delivering`, which `requeueInterrupted` at start makes due again:
//   delivery is at-least-once, never at-most-once.
// - Stopping drains: no new claims, a job not yet in an SMTP session sends nothing and leaves its rows
//   `delivering` (the next start, or another node at once, takes them back), and sessions in flight
//   may finish for up to `stopGraceMs`, so a stopped node sends nothing twice; only sessions still
//   open after the grace are aborted, their rows left `delivering` (at-least-once again).
// - A job is one queued message (one queue id): its due recipients grouped by route, each group one
//   SMTP transaction per hop (up to `recipientsPerTransaction` RCPTs), hops tried in order until a
//   server answers the envelope. The job settles all its rows at the end, so the failures of one
//   pass become one DSN.
// - Concurrency: at most `concurrency` SMTP sessions at once and `perDestination` per next hop
//   (MX domain, relay host, fixed transport), like Postfix's default_destination_concurrency_limit.
// - The DSN (to a local sender: stored in the INBOX; else queued with the null sender) is written in
//   the same transaction that removes the bounced rows, so a crash can neither lose nor double it.
// - Every step is logged on the message's queue id and Message-ID: `queue.attempt`, `queue.hop-failed`,
//   `queue.delivered`, `queue.deferred`, `queue.failed`, `queue.bounced`.
import type { ServerContext } from '../../context.js';
import type { Settings } from '../../settings.js';
import type { Delivery, QueueSettlement, StoreChange } from '../../store/index.js';
import type { QueueEntry } from '../../store/queue.js';
import type { Logger } from '../../log.js';
import type { DnsResolver } from '../../dns/resolver.js';
import { planRoute, recipientDomain, resolveHops, type RoutePlan } from './route.js';
import { netDialer, sendOverSmtp, type Dialer, type SmtpTimeouts } from './smtp-client.js';
import { localResult, Status, type RecipientResult } from './results.js';
import { retryDelay, expired } from './schedule.js';
import { signOutbound, type SignOutcome } from './dkim.js';
import { buildDsn, readDsnParams, wantsFailureNotice } from './dsn.js';
import { planLocalDelivery, type LocalPlan } from './local.js';
import { Gate } from './gate.js';
import { createDeliverySieve, srsFor } from '../index.js';

export type QueueContext = Pick<ServerContext, 'store' | 'bus' | 'log' | 'clock' | 'settings' | 'settingsCache'>;

export interface QueueLimits {
  /** Rows claimed at most per pass (and in flight at once). */
  batchSize: number;
  /** SMTP sessions at once. */
  concurrency: number;
  /** SMTP sessions at once to one next hop. */
  perDestination: number;
  /** RCPTs per SMTP transaction (RFC 5321 §4.5.3.1.8 requires servers to take 100). */
  recipientsPerTransaction: number;
  /** How often the running queue looks for due rows. */
  pollMs: number;
  /** How long stop() lets SMTP sessions in flight finish before it aborts them. */
  stopGraceMs: number;
}

export const DEFAULT_LIMITS: QueueLimits = { batchSize: 200, concurrency: 20, perDestination: 5, recipientsPerTransaction: 50, pollMs: 1000, stopGraceMs: 5000 };

export interface QueueRunnerDeps {
  resolver: DnsResolver;
  dialer?: Dialer;
  /** CAs trusted for relay-host certificates besides the system's (tests: the fake server's). */
  ca?: string | string[];
  limits?: Partial<QueueLimits>;
  timeouts?: Partial<SmtpTimeouts>;
}

export interface QueueRunSummary {
  delivered: number;
  deferred: number;
  bounced: number;
}

export interface QueueRunner {
  /** Polls for due rows every `pollMs` until stopped. */
  start(): void;
  /** Drains: claims nothing more, lets sessions in flight finish (up to stopGraceMs, then aborts them) and waits for jobs to end. */
  stop(): Promise<void>;
  /** One pass: claims what is due now (up to batchSize rows), delivers, and resolves when done. */
  runOnce(): Promise<QueueRunSummary>;
  /** Looks for due rows now (after an admin flush) instead of at the next poll. */
  kick(): void;
}

type RowResult = RecipientResult | 'stored';

export function createQueueRunner(ctx: QueueContext, deps: QueueRunnerDeps): QueueRunner {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const { store, bus, clock } = ctx;
  const log = ctx.log.child({ component: 'queue' });
  const dialer = deps.dialer ?? netDialer;
  const sessions = new Gate(limits.concurrency);
  const destinations = new Map<string, Gate>();
  const inFlight = new Set<Promise<void>>();
  let abort = new AbortController();
  /** stop() was called: start no SMTP session, claim no row. */
  let draining = false;
  let timer: NodeJS.Timeout | null = null;
  let claimed = 0;
  /** A pass is claiming rows; a pump asked for meanwhile runs after it (for the summary it names). */
  let claiming: Promise<void> | null = null;
  const background: QueueRunSummary = { delivered: 0, deferred: 0, bounced: 0 };
  const sieve = createDeliverySieve(ctx, srsFor(ctx));

  const broadcast = (changes: StoreChange[]) => {
    for (const change of changes) bus.emit('change', change);
  };

  /** Claims what is due (up to the room left) and starts its jobs; resolves when they are started. */
  const pump = (summary: QueueRunSummary): Promise<void> => {
    const run = async () => {
      await claiming;
      claiming = claim(summary);
      await claiming;
    };
    return run().catch((error: unknown) => log.error('queue.claim-failed', { error }));
  };

  const claim = async (summary: QueueRunSummary) => {
    if (abort.signal.aborted || draining) return;
    const room = limits.batchSize - claimed;
    if (room <= 0) return;
    const rows = await store.queue.claimDue(room);
    if (rows.length === 0) return;
    claimed += rows.length;
    for (const group of groupBy(rows, (r) => r.queueId).values()) {
      const job: Promise<void> = processMessage(group, summary)
        .catch((error: unknown) => recoverJob(group, error))
        .finally(() => {
          claimed -= group.length;
          inFlight.delete(job);
          if (timer) void pump(background);
        });
      inFlight.add(job);
    }
  };

  /** A bug or a store error in a job must not strand its rows in `delivering` until a restart. */
  const recoverJob = async (rows: QueueEntry[], error: unknown) => {
    log.error('queue.job-failed', { queueId: rows[0].queueId, error });
    const { minRetryMs, maxRetryMs } = ctx.settings().queue;
    try {
      for (const row of rows) {
        await store.deferClaimed(row.id, `internal error: ${(error as Error).message}`, clock.now() + retryDelay(row.attempts, minRetryMs, maxRetryMs));
      }
    } catch (storeError) {
      log.error('queue.recover-failed', { queueId: rows[0].queueId, error: storeError }); // requeueInterrupted at the next start
    }
  };

  const processMessage = async (rows: QueueEntry[], summary: QueueRunSummary) => {
    const first = rows[0];
    const mlog = log.child({ queueId: first.queueId, messageId: first.messageId });
    const settings = ctx.settings();
    const original = await store.blobs.read(first.blobId);
    const results = new Map<number, RowResult>();
    let signing: Promise<SignOutcome> | null = null;
    const sign = () =>
      (signing ??= signOutbound(original, { domains: store.domains, now: clock.now() }).then((s) => {
        if (s.signedBy) mlog.info('queue.dkim-signed', { domain: s.signedBy.domain, selector: s.signedBy.selector });
        if (s.error) mlog.warn('queue.dkim-failed', { error: s.error });
        return s;
      }));

    const groups = new Map<string, { plan: RoutePlan; rows: QueueEntry[] }>();
    for (const row of rows) {
      const plan = await planRoute(recipientDomain(row.recipient), store, settings);
      const key = plan.kind === 'smtp' ? plan.key : plan.kind;
      const group = groups.get(key) ?? { plan, rows: [] };
      group.rows.push(row);
      groups.set(key, group);
    }

    await Promise.all(
      [...groups.values()].map(async ({ plan, rows: groupRows }) => {
        if (plan.kind === 'local') for (const row of groupRows) results.set(row.id, await deliverHere(row, original, mlog));
        else if (plan.kind === 'reject') {
          for (const row of groupRows) {
            results.set(row.id, localResult(row.recipient, 'permanent', Status.REFUSED, `mail for ${recipientDomain(row.recipient)} is refused by this server's transport table`));
          }
        } else await deliverRemote(plan, groupRows, settings, sign, results, mlog);
      }),
    );
    await settle(rows, results, original, settings, summary, mlog);
  };

  /**
   * Delivers a row whose domain is local now (a Sieve redirect or an alias to a local user, a domain
   * made local while the row waited), through each account's Sieve as at SMTP time. The copies go
   * in the transaction that removes the row; what the scripts send (redirects, notices, vacation
   * replies) is queued before it, so a crash in between can repeat them, never lose them. An
   * ereject by every account the row reaches fails the row (5.7.1), and the usual DSN tells the
   * sender (RFC 5429 §2.1.2: the queue cannot refuse at SMTP time).
   */
  const deliverHere = async (row: QueueEntry, original: Buffer, mlog: Logger): Promise<RowResult> => {
    const now = clock.now();
    const plan = await planLocalDelivery(store, { bytes: original, recipient: row.recipient, sender: row.sender, messageId: row.messageId, now });
    if (!plan.ok) return refusalResult(row.recipient, plan);
    const sieved = await sieve({ prepared: plan.prepared, sender: row.sender, authenticatedAs: null, log: mlog, now });
    if (sieved.refused !== null) {
      if (plan.prepared.remote.length === 0) return localResult(row.recipient, 'permanent', Status.REFUSED, `<${row.recipient}>: rejected by the recipient's mail rules: ${sieved.refused.reason}`);
      sieved.queued.push(...sieved.refused.notices);
    }
    for (const extra of sieved.queued) {
      const { result, changes } = await store.deliver(extra);
      broadcast(changes);
      mlog.info('delivery.queued', { queueId: result.queueId, to: extra.remote?.recipients, sender: extra.remote?.sender, sieve: true });
    }
    const { changes } = await store.deliverFromQueue({ ...plan.delivery, local: sieved.local }, row.id);
    broadcast(changes);
    mlog.info('queue.delivered', { to: row.recipient, relay: 'local', stored: plan.to });
    for (const after of sieved.afterCommit) await after();
    return 'stored';
  };

  const deliverRemote = async (
    plan: Extract<RoutePlan, { kind: 'smtp' }>,
    rows: QueueEntry[],
    settings: Settings,
    sign: () => Promise<SignOutcome>,
    results: Map<number, RowResult>,
    mlog: Logger,
  ) => {
    let gate = destinations.get(plan.key);
    if (!gate) destinations.set(plan.key, (gate = new Gate(limits.perDestination)));
    const leaveDestination = await gate.enter();
    const leaveSessions = await sessions.enter();
    try {
      // Stopping: no result, so the rows stay `delivering` and go back to the queue.
      if (draining) return;
      const hopPlan = await resolveHops(plan.target, deps.resolver, settings.hostname);
      if (!hopPlan.ok) {
        for (const row of rows) results.set(row.id, localResult(row.recipient, hopPlan.outcome, hopPlan.status, hopPlan.diagnostic));
        return;
      }
      const { bytes } = await sign();
      for (const chunk of chunks(rows, limits.recipientsPerTransaction)) {
        if (draining) break;
        const recipients = chunk.map((r) => r.recipient);
        let lastError = 'no next hop';
        let answered = false;
        for (const hop of hopPlan.hops) {
          mlog.info('queue.attempt', { to: recipients, via: plan.key, host: hop.host, address: hop.address, port: hop.port, attempt: chunk[0].attempts });
          const outcome = await sendOverSmtp(hop, { sender: chunk[0].sender, recipients, bytes }, {
            dialer,
            heloName: settings.hostname,
            ca: deps.ca,
            timeouts: deps.timeouts,
            signal: abort.signal,
          });
          if (outcome.kind === 'done') {
            const byRecipient = new Map(outcome.results.map((r) => [r.recipient, r]));
            for (const row of chunk) results.set(row.id, byRecipient.get(row.recipient) ?? localResult(row.recipient, 'temporary', Status.BAD_CONNECTION, 'no reply for this recipient'));
            answered = true;
            break;
          }
          lastError = outcome.error;
          mlog.info('queue.hop-failed', { host: hop.host, address: hop.address, port: hop.port, error: outcome.error });
          if (abort.signal.aborted) break;
        }
        if (!answered) for (const row of chunk) results.set(row.id, localResult(row.recipient, 'temporary', Status.NO_ANSWER, lastError));
      }
    } finally {
      leaveSessions();
      leaveDestination();
      if (gate.idle()) destinations.delete(plan.key);
    }
  };

  const settle = async (rows: QueueEntry[], results: Map<number, RowResult>, original: Buffer, settings: Settings, summary: QueueRunSummary, mlog: Logger) => {
    const now = clock.now();
    const { minRetryMs, maxRetryMs, lifetimeMs } = settings.queue;
    const failed: Array<{ row: QueueEntry; result: RecipientResult }> = [];
    const settlement: QueueSettlement = { remove: [], defer: [] };
    for (const row of rows) {
      const result = results.get(row.id);
      if (result === undefined) continue;
      if (result === 'stored') {
        summary.delivered++;
        continue;
      }
      if (result.outcome === 'sent') {
        settlement.remove.push(row.id);
        summary.delivered++;
        mlog.info('queue.delivered', { to: row.recipient, relay: result.remoteMta, reply: result.diagnostic, attempts: row.attempts });
      } else if (result.outcome === 'temporary') {
        // Stopping interrupted it: leave the row `delivering` for the next start.
        if (abort.signal.aborted) continue;
        if (expired(row.createdAt, now, lifetimeMs)) {
          failed.push({ row, result: { ...result, outcome: 'permanent', status: Status.EXPIRED } });
          continue;
        }
        const next = now + retryDelay(row.attempts, minRetryMs, maxRetryMs);
        settlement.defer.push({ id: row.id, error: result.diagnostic, nextAttemptAt: next });
        summary.deferred++;
        mlog.info('queue.deferred', { to: row.recipient, status: result.status, reason: result.diagnostic, attempts: row.attempts, nextAttemptAt: next });
      } else {
        failed.push({ row, result });
      }
    }
    await store.settleQueue(settlement);
    if (failed.length > 0) {
      await bounce(failed, original, settings, mlog);
      summary.bounced += failed.length;
    }
  };

  const bounce = async (failed: Array<{ row: QueueEntry; result: RecipientResult }>, original: Buffer, settings: Settings, mlog: Logger) => {
    const first = failed[0].row;
    const now = clock.now();
    for (const f of failed) mlog.info('queue.failed', { to: f.row.recipient, status: f.result.status, reason: f.result.diagnostic, attempts: f.row.attempts });
    const notify = failed.filter((f) => wantsFailureNotice(readDsnParams(f.row.dsn)));
    let delivery: Delivery | null = null;
    let dsnMessageId: string | null = null;
    if (first.sender === '') {
      mlog.warn('queue.bounce-discarded', { reason: 'the failed message is itself a bounce (null sender)', recipients: failed.map((f) => f.row.recipient) });
    } else if (notify.length === 0) {
      mlog.info('queue.bounce-suppressed', { reason: 'NOTIFY excludes FAILURE', recipients: failed.map((f) => f.row.recipient) });
    } else {
      const params = readDsnParams(first.dsn);
      const dsn = buildDsn({
        hostname: settings.hostname,
        queueId: first.queueId,
        sender: first.sender,
        arrivalDate: first.createdAt,
        now,
        failed: notify.map((f) => ({ result: f.result, orcpt: readDsnParams(f.row.dsn).orcpt, lastAttemptAt: now })),
        original,
        returnFull: params.ret === 'FULL',
        envid: params.envid,
      });
      dsnMessageId = dsn.messageId;
      const plan = await planRoute(recipientDomain(first.sender), store, settings);
      if (plan.kind === 'local') {
        const local = await planLocalDelivery(store, { bytes: dsn.bytes, recipient: first.sender, sender: '', messageId: dsn.messageId, now });
        if (local.ok) delivery = local.delivery;
        else mlog.warn('queue.bounce-undeliverable', { to: first.sender, refusal: local.refusal, detail: local.detail });
      } else if (plan.kind === 'reject') {
        mlog.warn('queue.bounce-undeliverable', { to: first.sender, refusal: 'domain-rejected' });
      } else {
        delivery = { bytes: dsn.bytes, local: [], remote: { sender: '', recipients: [first.sender], messageId: dsn.messageId } };
      }
    }
    const written = await store.bounce(delivery, failed.map((f) => f.row.id));
    if (written.result) {
      broadcast(written.changes);
      mlog.info('queue.bounced', {
        to: first.sender,
        recipients: failed.map((f) => f.row.recipient),
        dsnMessageId,
        stored: written.result.uids.length,
        dsnQueueId: written.result.queueId,
      });
    }
    for (const f of failed) bus.emit('bounce', { queueId: first.queueId, sender: first.sender, recipient: f.row.recipient, reason: f.result.diagnostic });
  };

  return {
    start() {
      if (timer) return;
      if (abort.signal.aborted) abort = new AbortController();
      timer = setInterval(() => void pump(background), limits.pollMs);
      timer.unref();
      void pump(background);
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      draining = true;
      await claiming;
      let grace: NodeJS.Timeout | undefined;
      const graceOver = new Promise<void>((resolve) => (grace = setTimeout(resolve, limits.stopGraceMs)));
      await Promise.race([graceOver, (async () => {
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      })()]);
      clearTimeout(grace);
      abort.abort();
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      draining = false;
    },
    async runOnce() {
      if (abort.signal.aborted) abort = new AbortController();
      const summary: QueueRunSummary = { delivered: 0, deferred: 0, bounced: 0 };
      await pump(summary);
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      return summary;
    },
    kick() {
      if (timer) void pump(background);
    },
  };
}

function refusalResult(recipient: string, plan: Extract<LocalPlan, { ok: false }>): RecipientResult {
  const detail = plan.detail ? ` (${plan.detail})` : '';
  switch (plan.refusal) {
    case 'unknown-user':
      return localResult(recipient, 'permanent', Status.NO_SUCH_USER, `<${recipient}>: user unknown here`);
    case 'disabled':
      return localResult(recipient, 'permanent', Status.DISABLED, `<${recipient}>: mailbox disabled${detail}`);
    case 'over-quota':
      return localResult(recipient, 'temporary', Status.MAILBOX_FULL, `<${recipient}>: mailbox full${detail}`);
    case 'domain-rejected':
      return localResult(recipient, 'permanent', Status.REFUSED, `<${recipient}>: domain refused by the transport table`);
    case 'no-inbox':
      return localResult(recipient, 'temporary', '4.2.0', `<${recipient}>: the account has no INBOX${detail}`);
    case 'srs-invalid':
      return localResult(recipient, 'permanent', Status.REFUSED, `<${recipient}>: invalid or expired SRS address${detail}`);
    case 'bad-address':
      return localResult(recipient, 'permanent', '5.1.3', `<${recipient}>: bad address syntax${detail}`);
  }
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
