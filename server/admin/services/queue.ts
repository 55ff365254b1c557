// The admin side of the outbound queue: list it, show one message's envelope and headers, retry or
// flush (the running queue runner is told to look now), and delete.
import type { Logger } from '../../log.js';
import type { Store } from '../../store/index.js';
import type { QueueEntry } from '../../store/queue.js';
import { AdminError, AdminSchemas, type AdminApi, type QueueView } from '../contract.js';
import { pageOf, pageRequest } from './paging.js';

/** How much of a queued message `showQueued` reads to find its header section. */
const MAX_SHOWN_HEADER = 256 * 1024;

export type QueueAdmin = Pick<AdminApi, 'listQueue' | 'searchQueue' | 'retryQueue' | 'holdQueued' | 'deleteQueued' | 'showQueued' | 'flushQueue'>;

export function createQueueAdmin(deps: { store: Store; log: Logger; queue?: { kick(): void } }): QueueAdmin {
  const { store, log } = deps;
  return {
    async listQueue() {
      return (await store.queue.list()).map(queueView);
    },
    async searchQueue(input = {}) {
      const { state, ...page } = AdminSchemas.searchQueue.parse(input);
      const request = pageRequest(page);
      return pageOf(request, await store.queue.page(request, state), queueView);
    },
    async retryQueue(input = {}) {
      const { queueId } = AdminSchemas.retryQueue.parse(input);
      if (queueId !== undefined && (await store.queue.byQueueId(queueId)).length === 0) {
        throw new AdminError('not-found', `Nothing is queued under ${queueId}.`, 'queueId');
      }
      const retried = await store.queue.retryNow(queueId);
      log.info('admin.queue.retry', { queueId: queueId ?? 'all', retried });
      return { retried };
    },
    async holdQueued(input) {
      const { queueId, hold } = AdminSchemas.holdQueued.parse(input);
      if ((await store.queue.byQueueId(queueId)).length === 0) throw new AdminError('not-found', `Nothing is queued under ${queueId}.`, 'queueId');
      const changed = await store.queue.hold(queueId, hold);
      log.info(hold ? 'admin.queue.hold' : 'admin.queue.release', { queueId, changed });
      if (!hold && changed > 0) deps.queue?.kick();
      return { changed };
    },
    async deleteQueued(input) {
      const { queueId } = AdminSchemas.deleteQueued.parse(input);
      const rows = await store.queue.byQueueId(queueId);
      if (rows.length === 0) throw new AdminError('not-found', `Nothing is queued under ${queueId}.`, 'queueId');
      for (const row of rows) await store.queue.remove(row.id);
      log.info('admin.queue.delete', { queueId, removed: rows.length });
      return { removed: rows.length };
    },
    async showQueued(input) {
      const { queueId } = AdminSchemas.showQueued.parse(input);
      const rows = await store.queue.byQueueId(queueId.trim().toUpperCase());
      if (rows.length === 0) throw new AdminError('not-found', `Nothing is queued under ${queueId}.`, 'queueId');
      const head = await store.blobs.readRange(rows[0].blobId, 0, MAX_SHOWN_HEADER);
      const end = head.indexOf('\r\n\r\n');
      return {
        queueId: rows[0].queueId,
        sender: rows[0].sender,
        messageId: rows[0].messageId,
        size: rows[0].size,
        createdAt: rows[0].createdAt,
        recipients: rows.map((r) => ({ id: r.id, recipient: r.recipient, state: r.state, attempts: r.attempts, nextAttemptAt: r.nextAttemptAt, lastError: r.lastError })),
        headers: head.toString('utf8', 0, end === -1 ? head.length : end + 2),
      };
    },
    async flushQueue() {
      const retried = await store.queue.retryNow();
      deps.queue?.kick();
      log.info('admin.queue.flush', { retried });
      return { retried };
    },
  };
}

const queueView = (q: QueueEntry): QueueView => ({
  id: q.id,
  queueId: q.queueId,
  sender: q.sender,
  recipient: q.recipient,
  state: q.state,
  attempts: q.attempts,
  nextAttemptAt: q.nextAttemptAt,
  lastError: q.lastError,
  size: q.size,
  createdAt: q.createdAt,
});
