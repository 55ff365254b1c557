// The outbound queue: one row per (message, remote recipient), holding a reference on the message's
// blob until the row is deleted (delivered, bounced or removed by the admin). Rows survive restarts;
// a row left in `delivering` by a crash is put back to `queued` at start (at-least-once delivery).
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Db } from './db.js';
import type { BlobRepo } from './blobs.js';
import { createPager, type PageFilter, type PageRequest, type PageRows, type PagerSpec } from './paging.js';
import type { QueueSort, QueueState } from './list-sorts.js';

export type { QueueState };

export interface QueueEntry {
  id: number;
  queueId: string;
  sender: string;
  recipient: string;
  blobId: number;
  state: QueueState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  messageId: string | null;
  dsn: unknown;
  size: number;
  createdAt: number;
}

export interface QueueRow {
  id: number;
  queue_id: string;
  sender: string;
  recipient: string;
  blob_id: number;
  state: QueueState;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  message_id: string | null;
  dsn: string | null;
  size: number;
  created_at: number;
}

export const toEntry = (r: QueueRow): QueueEntry => ({
  id: r.id,
  queueId: r.queue_id,
  sender: r.sender,
  recipient: r.recipient,
  blobId: r.blob_id,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  messageId: r.message_id,
  dsn: r.dsn === null ? null : (JSON.parse(r.dsn) as unknown),
  size: r.size,
  createdAt: r.created_at,
});

export interface NewQueueEntry {
  sender: string;
  recipients: string[];
  blobId: number;
  messageId: string | null;
  dsn?: unknown;
}

export interface QueueRepo {
  /** Adds one row per recipient, all under one queue id; takes one blob reference per row. */
  enqueue(entry: NewQueueEntry): { queueId: string; rows: number };
  list(): QueueEntry[];
  /** One page of the rows (in one state), searched by queue id, sender, recipient and last error. */
  page(request: PageRequest<QueueSort>, state?: QueueState): PageRows<QueueEntry>;
  byQueueId(queueId: string): QueueEntry[];
  get(id: number): QueueEntry | undefined;
  /** Claims up to `limit` due rows (state → delivering). */
  claimDue(limit: number): QueueEntry[];
  defer(id: number, error: string, nextAttemptAt: number): void;
  /** Removes a row (delivered, bounced, deleted) and its blob reference. */
  remove(id: number): void;
  /** Makes rows of a queue id (or all rows) due now; returns how many. */
  retryNow(queueId?: string): number;
  /** Holds a message's waiting rows (the runner leaves them), or releases held rows as due now; how many changed. */
  hold(queueId: string, held: boolean): number;
  /** Crash recovery: rows stuck in `delivering` become `queued`. */
  requeueInterrupted(): number;
  count(): number;
}

export function newQueueId(): string {
  return randomBytes(6).toString('hex').toUpperCase();
}

/** The queue list's paging over `select` (queue q joined with blobs b). */
export const queuePages = (select: string): PagerSpec<QueueSort> => ({
  select,
  from: 'FROM queue q JOIN blobs b ON b.id = q.blob_id',
  searchIn: ['q.queue_id', 'q.sender', 'q.recipient', "coalesce(q.last_error, '')"],
  sorts: { created: 'q.created_at', nextAttempt: 'q.next_attempt_at', sender: 'lower(q.sender)', recipient: 'lower(q.recipient)', state: 'q.state', attempts: 'q.attempts', size: 'b.size' },
  tiebreak: 'q.id',
});

export const stateFilter = (state: QueueState | undefined): PageFilter[] => (state === undefined ? [] : [{ sql: 'q.state = ?', params: [state] }]);

export function createQueueRepo(db: Db, clock: Clock, blobs: BlobRepo): QueueRepo {
  const insert = db.prepare(`INSERT INTO queue (queue_id, sender, recipient, blob_id, next_attempt_at, message_id, dsn, created_at)
    VALUES (@queueId, @sender, @recipient, @blobId, @now, @messageId, @dsn, @now)`);
  const SELECT = 'SELECT q.*, b.size FROM queue q JOIN blobs b ON b.id = q.blob_id';
  const list = db.prepare<[], QueueRow>(`${SELECT} ORDER BY q.created_at, q.id`);
  const pager = createPager<QueueRow, QueueSort>(db, queuePages(SELECT));
  const byQueueId = db.prepare<[string], QueueRow>(`${SELECT} WHERE q.queue_id = ? ORDER BY q.id`);
  const byId = db.prepare<[number], QueueRow>(`${SELECT} WHERE q.id = ?`);
  const due = db.prepare<[number, number], QueueRow>(
    `${SELECT} WHERE q.state IN ('queued', 'deferred') AND q.next_attempt_at <= ? ORDER BY q.next_attempt_at LIMIT ?`,
  );
  const claim = db.prepare<[number]>(`UPDATE queue SET state = 'delivering', attempts = attempts + 1 WHERE id = ?`);
  const defer = db.prepare<[string, number, number]>(`UPDATE queue SET state = 'deferred', last_error = ?, next_attempt_at = ? WHERE id = ?`);
  const remove = db.prepare<[number]>('DELETE FROM queue WHERE id = ?');
  const retryOne = db.prepare<[number, string]>(`UPDATE queue SET next_attempt_at = ?, state = 'queued' WHERE queue_id = ? AND state != 'delivering'`);
  const holdRows = db.prepare<[string]>(`UPDATE queue SET state = 'held' WHERE queue_id = ? AND state IN ('queued', 'deferred')`);
  const releaseRows = db.prepare<[number, string]>(`UPDATE queue SET state = 'queued', next_attempt_at = ? WHERE queue_id = ? AND state = 'held'`);
  const retryAll = db.prepare<[number]>(`UPDATE queue SET next_attempt_at = ?, state = 'queued' WHERE state != 'delivering'`);
  const requeue = db.prepare(`UPDATE queue SET state = 'queued' WHERE state = 'delivering'`);
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM queue');

  return {
    enqueue(entry) {
      const queueId = newQueueId();
      db.transaction(() => {
        for (const recipient of entry.recipients) {
          insert.run({
            queueId,
            sender: entry.sender,
            recipient,
            blobId: entry.blobId,
            now: clock.now(),
            messageId: entry.messageId,
            dsn: entry.dsn === undefined ? null : JSON.stringify(entry.dsn),
          });
        }
        blobs.addRefs(entry.blobId, entry.recipients.length);
      })();
      return { queueId, rows: entry.recipients.length };
    },
    list() {
      return list.all().map(toEntry);
    },
    page(request, state) {
      const { rows, total } = pager(request, stateFilter(state));
      return { rows: rows.map(toEntry), total };
    },
    byQueueId(queueId) {
      return byQueueId.all(queueId).map(toEntry);
    },
    get(id) {
      const row = byId.get(id);
      return row && toEntry(row);
    },
    claimDue(limit) {
      return db.transaction(() => {
        const rows = due.all(clock.now(), limit);
        for (const row of rows) claim.run(row.id);
        return rows.map((r) => toEntry({ ...r, state: 'delivering', attempts: r.attempts + 1 }));
      })();
    },
    defer(id, error, nextAttemptAt) {
      defer.run(error, nextAttemptAt, id);
    },
    remove(id) {
      db.transaction(() => {
        const row = byId.get(id);
        if (!row) return;
        remove.run(id);
        blobs.release(row.blob_id);
      })();
    },
    retryNow(queueId) {
      const now = clock.now();
      return (queueId === undefined ? retryAll.run(now) : retryOne.run(now, queueId)).changes;
    },
    hold(queueId, held) {
      return (held ? holdRows.run(queueId) : releaseRows.run(clock.now(), queueId)).changes;
    },
    requeueInterrupted() {
      return requeue.run().changes;
    },
    count() {
      return count.get()!.n;
    },
  };
}
