// Group commit (DESIGN §2 "Durability"): deliveries that become ready while the process is busy are
// written by one `store.deliverMany` transaction, so many messages share one fsync.
//
// Deliveries that arrive while a commit is in flight wait for it and go in the next batch, together.
// The SQLite store commits a batch on a pool worker (store/bulk-calls.ts), so the loop goes on reading
// DATA during the fsync and the next batch grows meanwhile; it starts when the current one has
// committed. (Without workers a commit blocks the loop, and what completed DATA meanwhile is queued
// by the next turn and flushed together on the following setImmediate.) Invariants:
// - A caller's promise resolves only after the transaction holding its delivery has committed (the
//   250 after DATA waits for it), and the store's changes are broadcast on the bus after commit.
// - One bad delivery cannot fail its batch-mates: if a batch throws, each delivery is retried in a
//   transaction of its own and only the failing one rejects.
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { Delivery, DeliveryResult, Store, StoreChange } from '../store/index.js';

interface Pending {
  delivery: Delivery;
  resolve(result: DeliveryResult): void;
  reject(error: unknown): void;
}

export interface GroupCommitter {
  commit(delivery: Delivery): Promise<DeliveryResult>;
  /** Batches committed and the largest batch so far (bench and logs). */
  stats(): { batches: number; deliveries: number; largestBatch: number };
}

export function createGroupCommitter(deps: { store: Pick<Store, 'deliverMany' | 'deliver'>; bus: EventBus; log: Logger }): GroupCommitter {
  let pending: Pending[] = [];
  /** A flush is scheduled or running: new deliveries join the next batch. */
  let scheduled = false;
  const totals = { batches: 0, deliveries: 0, largestBatch: 0 };

  const broadcast = (changes: StoreChange[]) => {
    for (const change of changes) deps.bus.emit('change', change);
  };

  const schedule = () => {
    if (scheduled || pending.length === 0) return;
    scheduled = true;
    setImmediate(() => void flush().finally(() => {
      scheduled = false;
      schedule();
    }));
  };

  const flush = async () => {
    const batch = pending;
    pending = [];
    let results: DeliveryResult[];
    let changes: StoreChange[];
    try {
      ({ result: results, changes } = await deps.store.deliverMany(batch.map((p) => p.delivery)));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      deps.log.warn('delivery.batch-failed', { size: batch.length, error });
      for (const p of batch) await commitAlone(p);
      return;
    }
    totals.batches++;
    totals.deliveries += batch.length;
    totals.largestBatch = Math.max(totals.largestBatch, batch.length);
    broadcast(changes);
    batch.forEach((p, i) => p.resolve(results[i]));
  };

  const commitAlone = async (p: Pending) => {
    try {
      const { result, changes } = await deps.store.deliver(p.delivery);
      totals.batches++;
      totals.deliveries++;
      broadcast(changes);
      p.resolve(result);
    } catch (error) {
      p.reject(error);
    }
  };

  return {
    commit(delivery) {
      return new Promise((resolve, reject) => {
        pending.push({ delivery, resolve, reject });
        schedule();
      });
    },
    stats: () => ({ ...totals }),
  };
}
