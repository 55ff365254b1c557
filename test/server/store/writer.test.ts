// Writes on the writer worker (writer.ts): the same results as on the main thread, each call all or
// nothing even when many share one batch, errors that cross the thread keep their class, and the main
// thread's own writes wait for a batch instead of failing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openStore, type Delivery, type Store, type StoreChange } from '../../../server/store/index.js';
import { ExpungedError } from '../../../server/store/errors.js';
import { FLAG_BITS } from '../../../server/store/messages.js';
import { tempDir, fakeClock } from '../../helpers/temp.js';

const FLAGGED = FLAG_BITS['\\Flagged'];
// Above the bulk threshold (1000), so these calls go to a worker.
const MANY = 1500;

const delivery = (store: Store, mailboxId: number, i: number): Delivery => ({
  bytes: Buffer.from(`Subject: ${i}\r\n\r\nbody ${i}\r\n`),
  local: [{ mailboxId, prefix: Buffer.alloc(0), flags: 0, keywords: [], internalDate: 1, sentDate: null, envelope: '[]', bodystructure: '[]', parts: '{}' }],
});

async function setup(t: Parameters<typeof tempDir>[0], readWorkers: number) {
  const store = openStore(join(tempDir(t), 'store.sqlite'), fakeClock(), { readWorkers });
  t.after(async () => await store.close());
  const domain = await store.domains.add('example.com', 0);
  const account = await store.accounts.add({ domainId: domain.id, localPart: 'alice', displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: 0 });
  await store.mailboxes.createDefaults(account.id);
  const inbox = await store.mailboxes.require(account.id, 'INBOX');
  const archive = await store.mailboxes.require(account.id, 'Archive');
  await store.deliverMany(Array.from({ length: MANY }, (_, i) => delivery(store, inbox.id, i)));
  return { store, account, inbox, archive, uids: await store.messages.uids(inbox.id) };
}

const modseqOf = (change: StoreChange) => ('modseq' in change ? change.modseq : 0);

/** What the calls below leave behind, to compare the pool with the main thread. */
async function scenario(store: Store, inbox: number, archive: number, uids: number[]) {
  // A delivery started while the bulk STORE is under way: one of the two commits first, both commit.
  const storing = store.messages.updateFlags(inbox, uids, { action: 'add', flags: FLAGGED, keywords: ['$Bulk'] }, null);
  const delivering = store.deliver(delivery(store, inbox, MANY));
  const [stored, delivered] = await Promise.all([storing, delivering]);
  const meta = await store.messages.meta(inbox, [...uids, delivered.result.uids[0].uid]);
  const copied = await store.messages.copy(inbox, uids, archive);
  await assert.rejects(store.messages.copy(inbox, [...uids, 99_999], archive, true), ExpungedError);
  const moved = await store.messages.move(inbox, uids.slice(0, 1200), archive);
  const expunged = await store.messages.expunge(archive, copied.result.destinationUids);
  return {
    storedModseqs: new Set(stored.result.messages.map((m) => m.modseq)).size,
    storedChanged: stored.result.messages.filter((m) => m.changed).length,
    distinctModseqs: modseqOf(delivered.changes[0]) !== modseqOf(stored.changes[0]),
    flagged: meta.filter((m) => (m.flags & FLAGGED) !== 0 && m.keywords.includes('$Bulk')).length,
    metaCount: meta.length,
    copied: copied.result.destinationUids.length,
    moved: moved.result.sourceUids.length,
    expunged: expunged.result.length,
    inboxLeft: await store.messages.count(inbox),
    archiveLeft: await store.messages.count(archive),
    usedBytes: (await store.accounts.get((await store.mailboxes.byId(inbox))!.accountId))!.usedBytes,
  };
}

test('bulk STORE/COPY/MOVE/EXPUNGE on a worker give what the main thread gives, and a delivery meanwhile both commit', async (t) => {
  const pooled = await setup(t, 2);
  const inline = await setup(t, 0);
  const a = await scenario(pooled.store, pooled.inbox.id, pooled.archive.id, pooled.uids);
  const b = await scenario(inline.store, inline.inbox.id, inline.archive.id, inline.uids);
  assert.deepEqual(a, b);
  assert.deepEqual(
    { storedModseqs: a.storedModseqs, storedChanged: a.storedChanged, distinctModseqs: a.distinctModseqs, flagged: a.flagged, metaCount: a.metaCount },
    { storedModseqs: 1, storedChanged: MANY, distinctModseqs: true, flagged: MANY, metaCount: MANY + 1 },
  );
  assert.deepEqual({ copied: a.copied, moved: a.moved, expunged: a.expunged, inboxLeft: a.inboxLeft, archiveLeft: a.archiveLeft }, { copied: MANY, moved: 1200, expunged: MANY, inboxLeft: MANY + 1 - 1200, archiveLeft: 1200 });
});

test('a bulk STORE and COPY on the writer thread answer exactly what the main thread answers, changes included', async (t) => {
  const pooled = await setup(t, 2);
  const inline = await setup(t, 0);
  const run = async ({ store, inbox, archive, uids }: Awaited<ReturnType<typeof setup>>) => {
    await store.messages.updateFlags(inbox.id, uids.filter((u) => u % 3 === 0), { action: 'add', flags: FLAGGED, keywords: ['$Old'] }, null);
    // Messages delivered after mod-sequence 750, and those stored just now, are left alone.
    const conditional = await store.messages.updateFlags(inbox.id, uids, { action: 'remove', flags: FLAGGED, keywords: [] }, 750);
    const stored = await store.messages.updateFlags(inbox.id, uids, { action: 'add', flags: FLAGGED, keywords: ['$Bulk'] }, null);
    const copied = await store.messages.copy(inbox.id, uids, archive.id);
    return { stored, conditional, copied };
  };
  const a = await run(pooled);
  assert.deepEqual(a, await run(inline));
  assert.equal(a.stored.result.messages.filter((m) => m.keywords.length === 2).length, MANY / 3);
  const modified = a.conditional.result.modified.length;
  assert.ok(modified > MANY / 2 && modified < MANY && modified + a.conditional.result.messages.length === MANY);
  assert.equal(a.copied.changes.filter((c) => c.kind === 'message-added').length, MANY);
});

/** Many small writes asked for at once (they share batches on the writer), one of them failing. */
async function concurrent(store: Store, inbox: number, archive: number, uids: number[], accountId: number) {
  const calls = await Promise.allSettled([
    ...uids.slice(0, 40).map((uid, i) => store.messages.updateFlags(inbox, [uid], { action: 'add', flags: FLAGGED, keywords: [`$k${i % 3}`] }, null)),
    store.messages.copy(inbox, [uids[0], 99_999], archive, true),
    store.deliver(delivery(store, inbox, MANY + 1)),
    store.messages.expunge(inbox, uids.slice(40, 50)),
    store.mailboxes.create(accountId, 'Made here meanwhile', null),
    store.messages.move(inbox, uids.slice(50, 60), archive),
    store.openMailbox(accountId, 'INBOX', { claimRecent: true, changedSince: null }),
    store.accounts.recordLogin(accountId, 42),
  ]);
  const failed = calls.filter((c) => c.status === 'rejected').map((c) => (c as PromiseRejectedResult).reason as Error);
  const inboxMeta = await store.messages.meta(inbox, await store.messages.uids(inbox));
  const opened = await store.openMailbox(accountId, 'INBOX', { claimRecent: false, changedSince: null });
  return {
    failed: failed.map((e) => [e.constructor.name, e instanceof ExpungedError]),
    flagged: inboxMeta.filter((m) => (m.flags & FLAGGED) !== 0).length,
    keywords: opened?.keywords.sort(),
    inboxLeft: inboxMeta.length,
    archiveLeft: await store.messages.count(archive),
    created: (await store.mailboxes.get(accountId, 'Made here meanwhile')) !== undefined,
    lastLogin: (await store.accounts.get(accountId))?.lastLoginAt,
    firstRecent: (await store.mailboxes.byId(inbox))?.firstRecentUid,
  };
}

test('small writes asked for together: each all-or-nothing, a failing one alone, the same state as on the main thread', async (t) => {
  const pooled = await setup(t, 2);
  const inline = await setup(t, 0);
  const a = await concurrent(pooled.store, pooled.inbox.id, pooled.archive.id, pooled.uids, pooled.account.id);
  const b = await concurrent(inline.store, inline.inbox.id, inline.archive.id, inline.uids, inline.account.id);
  assert.deepEqual(a, b);
  assert.deepEqual(a.failed, [['ExpungedError', true]]);
  assert.equal(a.flagged, 40);
  assert.deepEqual(a.keywords, ['$k0', '$k1', '$k2']);
  assert.equal(a.inboxLeft, MANY + 1 - 20);
  assert.equal(a.archiveLeft, 10);
  assert.equal(a.created, true);
  assert.equal(a.lastLogin, 42);
  assert.equal(a.firstRecent, MANY + 2);
});
