// Big message calls on the pool's workers (bulk-calls.ts): the same results as on the main thread,
// one transaction each, and the main thread's own writes wait for them instead of failing.
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
