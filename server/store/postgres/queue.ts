// The outbound queue on PostgreSQL (the contract of ../queue.ts), worked by every node: a claim takes
// due rows with FOR UPDATE SKIP LOCKED, so two nodes claiming at once never get the same row, and
// gives them a lease in the name of the node. A node that crashes mid-delivery leaves its rows
// `delivering`; they become due again once the node has gone silent (nodes.ts) or the lease lapsed,
// for whichever node claims next (at-least-once, as on one node: a message whose remote 250 came just
// before the crash is sent again). Start-up recovery (requeueInterrupted) therefore takes back only
// such claims, never a live node's.
import type { Clock } from '../../clock.js';
import type { Async } from '../index.js';
import type { BlobRepo } from '../blobs.js';
import { newQueueId, queuePages, stateFilter, toEntry, type QueueRepo, type QueueRow } from '../queue.js';
import type { Sql } from './sql.js';
import { pageOfRows } from './paging.js';
import { liveNode } from './nodes.js';

/** How long a claim holds: longer than any delivery attempt (connect, TLS and DATA timeouts together). */
export const QUEUE_LEASE_MS = 15 * 60_000;

/** A `delivering` row whose claim is void: lapsed, or held by a node gone silent (or from before migration 0004). */
const VOID_CLAIM = `state = 'delivering' AND (lease_until IS NULL OR lease_until < ? OR NOT ${liveNode('queue.claimed_by')})`;

const SELECT = 'SELECT q.id, q.queue_id, q.sender, q.recipient, q.blob_id, q.state, q.attempts, q.next_attempt_at, q.last_error, q.message_id, q.dsn, q.created_at, b.size FROM queue q JOIN blobs b ON b.id = q.blob_id';

export function createQueueRepo(sql: Sql, clock: Clock, blobs: Async<BlobRepo>, node: string): Async<QueueRepo> {
  const byId = (id: number) => sql.one<QueueRow>(`${SELECT} WHERE q.id = ?`, [id]);
  return {
    async enqueue(entry) {
      const queueId = newQueueId();
      const now = clock.now();
      const dsn = entry.dsn === undefined ? null : JSON.stringify(entry.dsn);
      await sql.run(
        `INSERT INTO queue (queue_id, sender, recipient, blob_id, next_attempt_at, message_id, dsn, created_at)
         SELECT ?, ?, recipient, ?, ?, ?, ?, ? FROM unnest(?::text[]) WITH ORDINALITY AS r(recipient, n) ORDER BY n`,
        [queueId, entry.sender, entry.blobId, now, entry.messageId, dsn, now, entry.recipients],
      );
      await blobs.addRefs(entry.blobId, entry.recipients.length);
      return { queueId, rows: entry.recipients.length };
    },
    list: async () => (await sql.all<QueueRow>(`${SELECT} ORDER BY q.created_at, q.id`)).map(toEntry),
    async page(request, state) {
      const { rows, total } = await pageOfRows<QueueRow>(sql, queuePages(SELECT), request, stateFilter(state));
      return { rows: rows.map(toEntry), total };
    },
    byQueueId: async (queueId) => (await sql.all<QueueRow>(`${SELECT} WHERE q.queue_id = ? ORDER BY q.id`, [queueId])).map(toEntry),
    async get(id) {
      const row = await byId(id);
      return row && toEntry(row);
    },
    async claimDue(limit) {
      const now = clock.now();
      const rows = await sql.all<QueueRow>(
        `WITH due AS (
           SELECT id FROM queue
           WHERE (state IN ('queued', 'deferred') AND next_attempt_at <= ?) OR (${VOID_CLAIM})
           ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
         UPDATE queue q SET state = 'delivering', attempts = attempts + 1, lease_until = ?, claimed_by = ?
         FROM due, blobs b WHERE q.id = due.id AND b.id = q.blob_id
         RETURNING q.*, b.size`,
        [now, now, limit, now + QUEUE_LEASE_MS, node],
      );
      return rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id).map(toEntry);
    },
    async defer(id, error, nextAttemptAt) {
      await sql.run("UPDATE queue SET state = 'deferred', last_error = ?, next_attempt_at = ?, lease_until = NULL, claimed_by = NULL WHERE id = ?", [error, nextAttemptAt, id]);
    },
    async remove(id) {
      const blobId = await sql.value<number>('DELETE FROM queue WHERE id = ? RETURNING blob_id', [id]);
      if (blobId !== undefined) await blobs.release(blobId);
    },
    async retryNow(queueId) {
      const now = clock.now();
      return queueId === undefined
        ? sql.run("UPDATE queue SET next_attempt_at = ?, state = 'queued' WHERE state <> 'delivering'", [now])
        : sql.run("UPDATE queue SET next_attempt_at = ?, state = 'queued' WHERE queue_id = ? AND state <> 'delivering'", [now, queueId]);
    },
    hold: (queueId, held) =>
      held
        ? sql.run("UPDATE queue SET state = 'held' WHERE queue_id = ? AND state IN ('queued', 'deferred')", [queueId])
        : sql.run("UPDATE queue SET state = 'queued', next_attempt_at = ? WHERE queue_id = ? AND state = 'held'", [clock.now(), queueId]),
    requeueInterrupted: () => sql.run(`UPDATE queue SET state = 'queued', lease_until = NULL, claimed_by = NULL WHERE ${VOID_CLAIM}`, [clock.now()]),
    count: async () => (await sql.value<number>('SELECT count(*) FROM queue'))!,
  };
}
