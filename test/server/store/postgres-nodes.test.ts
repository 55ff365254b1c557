// Several nodes on one PostgreSQL (DESIGN §11), as two Store instances in one process with their own
// pools: concurrent deliveries and APPENDs get unique, increasing UIDs and MODSEQs; one node's
// changes reach the other's watcher; every queue row is claimed by exactly one node, and a claim comes
// back only when its lease lapses or its node stopped or went silent (heartbeat rows).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Clock } from '../../../server/clock.js';
import type { Delivery, Store, StoreChange } from '../../../server/store/index.js';
import { openPostgresStore } from '../../../server/store/postgres/index.js';
import { QUEUE_LEASE_MS } from '../../../server/store/postgres/queue.js';
import { SILENT_MS } from '../../../server/store/postgres/nodes.js';
import { openDatabase } from '../../../server/store/postgres/sql.js';
import { freshPostgresDatabase, usePostgresInThisFile } from '../../helpers/store-backends.js';
import { postgresMissing } from '../../helpers/postgres.js';
import { fakeClock } from '../../helpers/temp.js';

usePostgresInThisFile();

async function twoNodes(t: TestContext, clock: Clock = fakeClock()) {
  const url = await freshPostgresDatabase(t);
  const a = await openPostgresStore(url, clock, { connections: 4 });
  const b = await openPostgresStore(url, clock, { connections: 4 });
  t.after(async () => {
    await a.close();
    await b.close();
  });
  const domain = await a.domains.add('example.com', 0);
  const alice = await a.createAccount({ domainId: domain.id, localPart: 'alice', displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: 0 });
  const inbox = (await b.mailboxes.require(alice.id, 'INBOX')).id;
  return { a, b, alice, inbox };
}

const delivery = (mailboxId: number, i: number): Delivery => ({
  bytes: Buffer.from(`Subject: ${i}\r\n\r\nbody ${i}\r\n`),
  local: [{ mailboxId, prefix: Buffer.alloc(0), flags: 0, keywords: [], internalDate: i, sentDate: null, envelope: '[]', bodystructure: '[]', parts: '{}' }],
});

const skip = postgresMissing;

test('concurrent deliveries on two nodes get unique, increasing UIDs and MODSEQs', { skip }, async (t) => {
  const { a, b, inbox } = await twoNodes(t);
  const N = 60;
  const added: StoreChange[] = [];
  const run = async (store: Store, offset: number) => {
    for (let i = 0; i < N; i++) added.push(...(await store.deliver(delivery(inbox, offset + i))).changes);
  };
  // Each node runs several deliveries at once, so they also race inside a node's pool.
  await Promise.all([run(a, 0), run(a, 1000), run(b, 2000), run(b, 3000)]);
  const uids = added.map((c) => (c.kind === 'message-added' ? c.uid : -1)).sort((x, y) => x - y);
  assert.deepEqual(uids, Array.from({ length: 4 * N }, (_, i) => i + 1));
  const modseqs = new Set(added.map((c) => (c.kind === 'message-added' ? c.modseq : -1)));
  assert.equal(modseqs.size, 4 * N, 'every delivery its own MODSEQ');
  const box = (await a.mailboxes.byId(inbox))!;
  assert.equal(box.uidNext, 4 * N + 1);
  assert.deepEqual(await b.integrityCheck(), ['ok']);
  // A flag change on one node and a delivery on the other meanwhile: MODSEQs still never repeat.
  const [flags, next] = await Promise.all([
    a.messages.updateFlags(inbox, uids, { action: 'add', flags: 1, keywords: [] }, null),
    b.deliver(delivery(inbox, 9999)),
  ]);
  assert.notEqual(flags.changes[0].kind === 'flags-changed' && flags.changes[0].modseq, next.changes[0].kind === 'message-added' && next.changes[0].modseq);
});

test("one node's committed changes reach the other node's watcher, its own do not come back", { skip }, async (t) => {
  const { a, b, inbox } = await twoNodes(t);
  const seenByB: StoreChange[] = [];
  const seenByA: StoreChange[] = [];
  b.watchOtherNodes!((changes) => seenByB.push(...changes));
  a.watchOtherNodes!((changes) => seenByA.push(...changes));
  // The watchers LISTEN on their own connections: wait until B's sees a first change before counting.
  const until = async (what: () => boolean) => {
    for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(what(), 'the notification arrived');
  };
  for (;;) {
    await a.deliver(delivery(inbox, 0));
    await new Promise((r) => setTimeout(r, 50));
    if (seenByB.length > 0) break;
  }
  seenByB.length = 0;
  const uids: number[] = [];
  for (let i = 1; i <= 20; i++) uids.push((await a.deliver(delivery(inbox, i))).result.uids[0].uid);
  await until(() => seenByB.length === 20);
  assert.deepEqual(seenByB.map((c) => (c.kind === 'message-added' ? c.uid : null)), uids);
  // A big change arrives whole, in slices.
  const all = await b.messages.uids(inbox);
  const flagged = await a.messages.updateFlags(inbox, all, { action: 'add', flags: 4, keywords: [] }, null);
  await until(() => seenByB.some((c) => c.kind === 'flags-changed'));
  assert.deepEqual(seenByB.filter((c) => c.kind === 'flags-changed').flatMap((c) => ('uids' in c ? c.uids : [])), (flagged.changes[0] as { uids: number[] }).uids);
  assert.equal(seenByA.length, 0, "a node does not hear its own changes");
  // Many changes in one transaction (a batch of deliveries) fit PostgreSQL's 8000-byte payloads too.
  seenByB.length = 0;
  const many = await a.deliverMany(Array.from({ length: 300 }, (_, i) => delivery(inbox, 1000 + i)));
  await until(() => seenByB.length === 300);
  assert.deepEqual(seenByB.map((c) => (c.kind === 'message-added' ? c.uid : null)), many.result.map((r) => r.uids[0].uid));
  // A rolled-back transaction sends nothing.
  const before = seenByB.length;
  await assert.rejects(a.messages.copy(inbox, [999_999], inbox, true));
  await b.deliver(delivery(inbox, 99));
  await until(() => seenByA.length === 1);
  assert.equal(seenByB.length, before);
});

test('every queue row is claimed by exactly one node; a claim returns only when its lease lapses', { skip }, async (t) => {
  const clock = fakeClock();
  const { a, b } = await twoNodes(t, clock);
  const recipients = Array.from({ length: 300 }, (_, i) => `r${i}@remote.test`);
  await a.deliver({ bytes: Buffer.from('Subject: q\r\n\r\nx\r\n'), local: [], remote: { sender: 's@example.com', recipients, messageId: null } });
  const claimed: number[] = [];
  const work = async (store: Store) => {
    for (;;) {
      const rows = await store.queue.claimDue(7);
      if (rows.length === 0) return;
      claimed.push(...rows.map((r) => r.id));
    }
  };
  await Promise.all([work(a), work(a), work(b), work(b)]);
  assert.equal(claimed.length, recipients.length);
  assert.equal(new Set(claimed).size, recipients.length, 'no row claimed twice');
  // Node B starts again while A is delivering: A's live claims stay A's.
  assert.equal(await b.queue.requeueInterrupted(), 0);
  assert.deepEqual(await b.queue.claimDue(10), []);
  // A crashed: once the lease lapses any node takes the rows again.
  clock.advance(QUEUE_LEASE_MS + 1);
  const again = await b.queue.claimDue(1000);
  assert.equal(again.length, recipients.length);
  assert.ok(again.every((r) => r.attempts === 2));
  await b.settleQueue({ remove: again.map((r) => r.id), defer: [] });
  assert.equal(await a.queue.count(), 0);
  assert.deepEqual(await a.integrityCheck(), ['ok']);
});

test('nodes keep heartbeat rows; a silent or stopped node’s claims return at once, a live one’s do not', { skip }, async (t) => {
  const { a, b } = await twoNodes(t);
  const url = await freshPostgresDatabase(t);
  // Two more nodes on a database of their own: `c` is stopped, `d` goes silent; `e` works after them.
  const [c, d, e] = await Promise.all([0, 1, 2].map(() => openPostgresStore(url, fakeClock(), { connections: 2 })));
  t.after(async () => {
    await d.close();
    await e.close();
  });
  assert.deepEqual((await a.nodes!()).map((n) => [n.alive, n.self]).sort(), [[true, false], [true, true]]);
  assert.equal((await b.nodes!()).length, 2);

  const queue = async (store: Store, n: number) => {
    const recipients = Array.from({ length: n }, (_, i) => `r${i}@remote.test`);
    await store.deliver({ bytes: Buffer.from('Subject: q\r\n\r\nx\r\n'), local: [], remote: { sender: 's@example.com', recipients, messageId: null } });
  };
  await queue(c, 5);
  assert.equal((await c.queue.claimDue(3)).length, 3);
  assert.equal((await e.queue.claimDue(10)).length, 2, 'the live node c keeps its three claims');
  await c.close();
  assert.equal((await e.nodes!()).length, 2, 'c deleted its row when it stopped');
  assert.equal((await e.queue.claimDue(10)).length, 3, 'a stopped node’s claims return without waiting out the lease');

  await e.settleQueue({ remove: (await e.queue.list()).map((r) => r.id), defer: [] });
  await queue(d, 4);
  assert.equal((await d.queue.claimDue(10)).length, 4);
  // d goes silent (as if it hung or was killed): its last heartbeat is older than SILENT_MS.
  const silent = openDatabase(url, { max: 1 });
  t.after(() => silent.close());
  const [self] = (await d.nodes!()).filter((n) => n.self);
  await silent.transaction((sql) => sql.run('UPDATE nodes SET seen_at = seen_at - ? WHERE id = ?', [SILENT_MS + 1000, self.id]));
  assert.deepEqual((await e.nodes!()).map((n) => [n.id === self.id, n.alive]).sort(), [[false, true], [true, false]]);
  const taken = await e.queue.claimDue(10);
  assert.equal(taken.length, 4);
  assert.ok(taken.every((r) => r.attempts === 2));
});
