import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '../../../server/events.js';
import type { Delivery, DeliveryResult, Store, StoreChange } from '../../../server/store/index.js';
import { createGroupCommitter } from '../../../server/delivery/group-commit.js';

const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } };

/** A store double that records each transaction and fails deliveries marked `poison`. */
function fakeStore() {
  const transactions: number[] = [];
  let next = 1;
  const one = (d: Delivery): { result: DeliveryResult; change: StoreChange } => {
    if (d.bytes.toString() === 'poison') throw new Error('constraint failed');
    const uid = next++;
    return { result: { uids: [{ mailboxId: 1, uid }], queueId: null }, change: { kind: 'message-added', accountId: 1, mailboxId: 1, uid, modseq: uid } };
  };
  const store: Pick<Store, 'deliver' | 'deliverMany'> = {
    async deliverMany(ds) {
      const done = ds.map(one); // throws for the whole transaction, as a rolled-back one would
      transactions.push(ds.length);
      return { result: done.map((d) => d.result), changes: done.map((d) => d.change) };
    },
    async deliver(d) {
      const done = one(d);
      transactions.push(1);
      return { result: done.result, changes: [done.change] };
    },
  };
  return { store, transactions };
}

const delivery = (text: string): Delivery => ({ bytes: Buffer.from(text), local: [] });

test('deliveries ready in the same turn share one transaction; events follow the commit', async () => {
  const { store, transactions } = fakeStore();
  const bus = new EventBus();
  const seen: number[] = [];
  bus.on('change', (c) => void seen.push(c.kind === 'message-added' ? c.uid : -1));
  const committer = createGroupCommitter({ store, bus, log: silent });
  const results = await Promise.all(['a', 'b', 'c'].map((x) => committer.commit(delivery(x))));
  assert.deepEqual(results.map((r) => r.uids[0].uid), [1, 2, 3]);
  assert.deepEqual(transactions, [3]);
  assert.deepEqual(seen, [1, 2, 3]);
  await committer.commit(delivery('d'));
  assert.deepEqual(transactions, [3, 1]);
  assert.deepEqual(committer.stats(), { batches: 2, deliveries: 4, largestBatch: 3 });
});

test('a failing delivery fails alone; its batch-mates are committed one by one', async () => {
  const { store, transactions } = fakeStore();
  const committer = createGroupCommitter({ store, bus: new EventBus(), log: silent });
  const outcomes = await Promise.allSettled(['ok1', 'poison', 'ok2'].map((x) => committer.commit(delivery(x))));
  assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.deepEqual(transactions, [1, 1]);
});
