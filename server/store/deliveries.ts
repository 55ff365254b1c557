// Storing one delivery (DESIGN §2): the bytes once as a blob referenced by every local copy and queue
// row, each copy appended with its own prefix. Runs inside the caller's transaction, on the main
// connection or on a pool worker's writable one (bulk-calls.ts), with the same repositories.
import type { BlobRepo } from './blobs.js';
import type { StoreChange, WithChanges } from './changes.js';
import type { Delivery, DeliveryResult } from './use-case-types.js';
import type { MessageRepo } from './messages.js';
import type { QueueRepo } from './queue.js';

export type DeliverOne = (d: Delivery) => WithChanges<DeliveryResult>;

export function createDeliverOne({ blobs, messages, queue }: { blobs: BlobRepo; messages: MessageRepo; queue: QueueRepo }): DeliverOne {
  return (d) => {
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
}

/** Several deliveries (inside the caller's transaction): their results in order and all their changes. */
export function deliverAll(deliverOne: DeliverOne, deliveries: readonly Delivery[]): WithChanges<DeliveryResult[]> {
  const results = deliveries.map(deliverOne);
  return { result: results.map((r) => r.result), changes: results.flatMap((r) => r.changes) };
}
