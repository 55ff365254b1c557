import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { LocalCopy, Store } from '../../../server/store/index.js';
import { DEFAULT_MAILBOXES } from '../../../server/store/mailboxes.js';
import { FLAG_BITS } from '../../../server/store/messages.js';
import { ConflictError } from '../../../server/store/errors.js';
import { fakeClock } from '../../helpers/temp.js';
import { storeTest, type Backend } from '../../helpers/store-backends.js';
import { QUEUE_LEASE_MS } from '../../../server/store/postgres/queue.js';

async function setup(t: TestContext, backend: Backend) {
  const clock = fakeClock();
  const store = await backend.open(t, clock);
  const rows = <T = Record<string, unknown>>(sql: string) => backend.rows<T>(store, sql);
  const domain = await store.domains.add('example.com', 0);
  const account = async (local: string, quota = 0) => {
    const a = await store.accounts.add({ domainId: domain.id, localPart: local, displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: quota });
    await store.mailboxes.createDefaults(a.id);
    return a;
  };
  return { store, clock, domain, account, rows };
}

const copy = async (store: Store, accountId: number, prefix = ''): Promise<LocalCopy> => ({
  mailboxId: (await store.mailboxes.require(accountId, 'INBOX')).id,
  prefix: Buffer.from(prefix),
  flags: 0,
  keywords: [],
  internalDate: 1,
  sentDate: null,
  envelope: '[]',
  bodystructure: '[]',
  parts: '{}',
});

const MESSAGE = Buffer.from('Subject: hi\r\n\r\nhello\r\n');

storeTest('new accounts get the default mailboxes with special-use and distinct UIDVALIDITY', async (t, backend) => {
  const { store, account } = await setup(t, backend);
  const a = await account('alice');
  const boxes = await store.mailboxes.list(a.id);
  assert.deepEqual(boxes.map((b) => [b.name, b.specialUse]).sort(), DEFAULT_MAILBOXES.map((m) => [m.name, m.specialUse]).sort());
  assert.equal(new Set(boxes.map((b) => b.uidValidity)).size, boxes.length);
  assert.ok(await store.mailboxes.get(a.id, 'inbox'), 'INBOX is case-insensitive');
});

storeTest('one delivery to three accounts stores the bytes once and counts usage per account', async (t, backend) => {
  const { store, account, rows } = await setup(t, backend);
  const [a, b, c] = [await account('a'), await account('b'), await account('c')];
  const { result, changes } = await store.deliver({ bytes: MESSAGE, local: await Promise.all([a, b, c].map((x) => copy(store, x.id, `Delivered-To: ${x.address}\r\n`))) });
  assert.equal(result.uids.length, 3);
  assert.equal(changes.filter((ch) => ch.kind === 'message-added').length, 3);
  const blobs = await rows('SELECT refcount, size FROM blobs');
  assert.deepEqual(blobs, [{ refcount: 3, size: MESSAGE.length }]);

  const inboxA = await store.mailboxes.require(a.id, 'INBOX');
  const [meta] = await store.messages.list(inboxA.id);
  const expected = Buffer.concat([Buffer.from(`Delivered-To: a@example.com\r\n`), MESSAGE]);
  assert.equal(meta.size, expected.length);
  assert.deepEqual(await store.messages.read(meta.id), expected);
  assert.deepEqual(await store.messages.readRange(meta.id, 10, 30), expected.subarray(10, 40), 'range across the prefix/blob seam');
  assert.deepEqual(await store.messages.readRange(meta.id, expected.length - 7, 100), expected.subarray(expected.length - 7));
  assert.equal((await store.accounts.get(a.id))!.usedBytes, expected.length);
});

storeTest('readMany reads several messages in the order asked, whole or their first bytes, null for one gone', async (t, backend) => {
  const { store, account } = await setup(t, backend);
  const a = await account('alice');
  const inbox = await store.mailboxes.require(a.id, 'INBOX');
  for (const i of [1, 2, 3]) await store.deliver({ bytes: Buffer.from(`Subject: ${i}\r\n\r\nbody ${i}\r\n`), local: [await copy(store, a.id, `X-N: ${i}\r\n`)] });
  const metas = await store.messages.list(inbox.id);
  const whole = await Promise.all(metas.map((m) => store.messages.read(m.id)));
  await store.messages.expunge(inbox.id, [2]);
  const got = await store.messages.readMany([{ id: metas[2].id }, { id: metas[1].id }, { id: metas[0].id, length: 5 }, { id: metas[0].id, length: 12 }, { id: metas[2].id, length: 0 }]);
  assert.deepEqual(got, [whole[2], null, whole[0]!.subarray(0, 5), whole[0]!.subarray(0, 12), Buffer.alloc(0)], 'prefix only, across the seam, empty');
  assert.deepEqual(await store.messages.readMany([]), []);
});

storeTest('UIDs ascend and MODSEQ grows; expunge releases the blob and the usage', async (t, backend) => {
  const { store, account, rows } = await setup(t, backend);
  const a = await account('alice');
  const inbox = await store.mailboxes.require(a.id, 'INBOX');
  const uids: number[] = [];
  for (const i of [1, 2, 3]) uids.push((await store.deliver({ bytes: Buffer.from(`Subject: ${i}\r\n\r\nx\r\n`), local: [await copy(store, a.id)] })).result.uids[0].uid);
  assert.deepEqual(uids, [1, 2, 3]);
  const before = (await store.mailboxes.byId(inbox.id))!;
  assert.equal(before.uidNext, 4);

  const { result, changes } = await store.messages.expunge(inbox.id, [2, 99]);
  assert.deepEqual(result, [2]);
  assert.equal(changes[0].kind, 'messages-expunged');
  assert.ok((await store.mailboxes.byId(inbox.id))!.highestModseq > before.highestModseq);
  assert.deepEqual((await store.messages.list(inbox.id)).map((m) => m.uid), [1, 3]);
  assert.equal((await rows<{ n: number }>('SELECT count(*) AS n FROM blobs'))[0].n, 2);
  assert.deepEqual(await rows('SELECT uid FROM expunged'), [{ uid: 2 }]);
  const used = (await store.messages.list(inbox.id)).reduce((n, m) => n + m.size, 0);
  assert.equal((await store.accounts.get(a.id))!.usedBytes, used);

  // A new message after an expunge never reuses a UID.
  assert.equal((await store.deliver({ bytes: MESSAGE, local: [await copy(store, a.id)] })).result.uids[0].uid, 4);
});

storeTest('flags are stored as bits and keywords as a list', async (t, backend) => {
  const { store, account } = await setup(t, backend);
  const a = await account('alice');
  await store.deliver({ bytes: MESSAGE, local: [{ ...(await copy(store, a.id)), flags: FLAG_BITS['\\Seen'] | FLAG_BITS['\\Flagged'], keywords: ['$Label1', 'Work'] }] });
  const [m] = await store.messages.list((await store.mailboxes.require(a.id, 'INBOX')).id);
  assert.equal(m.flags, 5);
  assert.deepEqual(m.keywords, ['$Label1', 'Work']);
});

storeTest('remote recipients are queued under one queue id holding the blob; removing rows frees it', async (t, backend) => {
  const { store, account, rows } = await setup(t, backend);
  const a = await account('alice');
  const { result } = await store.deliver({
    bytes: MESSAGE,
    local: [await copy(store, a.id)],
    remote: { sender: 'alice@example.com', recipients: ['x@remote.test', 'y@remote.test'], messageId: '<m1@example.com>' },
  });
  assert.ok(result.queueId);
  const queued = await store.queue.byQueueId(result.queueId!);
  assert.equal(queued.length, 2);
  assert.deepEqual(await rows('SELECT refcount FROM blobs'), [{ refcount: 3 }]);
  for (const row of queued) await store.queue.remove(row.id);
  assert.deepEqual(await rows('SELECT refcount FROM blobs'), [{ refcount: 1 }]);
});

storeTest('queue: due rows are claimed once, deferred, retried, and interrupted ones requeued', async (t, backend) => {
  const { store, clock } = await setup(t, backend);
  // A blob to queue from: a quarantined message holds one.
  const { blobId } = await store.quarantineMessage({ bytes: MESSAGE, sender: 's@example.com', recipients: [], info: {}, milter: 'm', reason: 'r', messageId: null });
  const { queueId } = await store.queue.enqueue({ sender: 's@example.com', recipients: ['r@remote.test'], blobId, messageId: null });
  const [claimed] = await store.queue.claimDue(10);
  assert.equal(claimed.state, 'delivering');
  assert.equal(claimed.attempts, 1);
  assert.deepEqual(await store.queue.claimDue(10), [], 'a delivering row is not claimed twice');
  await store.queue.defer(claimed.id, '451 try later', clock.now() + 60_000);
  assert.deepEqual(await store.queue.claimDue(10), []);
  assert.equal(await store.queue.retryNow(queueId), 1);
  assert.equal((await store.queue.claimDue(10)).length, 1);
  // Several nodes share a PostgreSQL queue: there a claim is a lease, taken back only once it lapsed.
  clock.advance(QUEUE_LEASE_MS + 1);
  assert.equal(await store.queue.requeueInterrupted(), 1);
  assert.equal((await store.queue.get(claimed.id))!.state, 'queued');
});

storeTest('deleting an account removes its mail and releases shared blobs', async (t, backend) => {
  const { store, account, rows } = await setup(t, backend);
  const a = await account('alice');
  const b = await account('bob');
  await store.deliver({ bytes: MESSAGE, local: [await copy(store, a.id), await copy(store, b.id)] });
  const { changes } = await store.deleteAccount(a.id);
  assert.ok(changes.some((c) => c.kind === 'mailbox-deleted'));
  assert.equal(await store.accounts.get(a.id), undefined);
  assert.deepEqual(await rows('SELECT refcount FROM blobs'), [{ refcount: 1 }]);
  await store.deleteAccount(b.id);
  assert.equal((await rows<{ n: number }>('SELECT count(*) AS n FROM blobs'))[0].n, 0);
});

storeTest('account addresses are unique case-insensitively and keep their case', async (t, backend) => {
  const { store, domain, account } = await setup(t, backend);
  await account('Alice');
  await assert.rejects(
    async () => await store.accounts.add({ domainId: domain.id, localPart: 'ALICE', displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: 0 }),
    ConflictError,
  );
  assert.equal((await store.accounts.find('alice', 'example.com'))!.address, 'Alice@example.com');
});

storeTest('aliases keep destinations in order and find who references an address', async (t, backend) => {
  const { store, domain } = await setup(t, backend);
  await store.aliases.add(domain.id, 'team', ['b@example.com', 'a@example.com', 'x@remote.test']);
  assert.deepEqual((await store.aliases.find('TEAM', 'example.com'))!.destinations, ['b@example.com', 'a@example.com', 'x@remote.test']);
  assert.deepEqual((await store.aliases.referencing('A@example.com')).map((a) => a.address), ['team@example.com']);
});

storeTest('rules stay densely ordered per stage through add, move, update and remove', async (t, backend) => {
  const { store } = await setup(t, backend);
  const rule = (description: string) => ({ stage: 'rcpt-to' as const, match: { ip: '192.0.2.0/24' }, action: 'reject' as const, replyCode: 554, replyText: 'no', description, enabled: true });
  const a = await store.rules.add(rule('a'));
  const b = await store.rules.add(rule('b'));
  const c = await store.rules.add(rule('c'), 0);
  assert.deepEqual((await store.rules.list('rcpt-to')).map((r) => r.description), ['c', 'a', 'b']);
  await store.rules.move(c.id, 2);
  assert.deepEqual((await store.rules.list('rcpt-to')).map((r) => [r.description, r.position]), [['a', 0], ['b', 1], ['c', 2]]);
  await store.rules.update(a.id, { ...rule('a'), stage: 'connect' });
  assert.deepEqual((await store.rules.list('rcpt-to')).map((r) => [r.description, r.position]), [['b', 0], ['c', 1]]);
  await store.rules.remove(b.id);
  assert.deepEqual((await store.rules.list('rcpt-to')).map((r) => [r.description, r.position]), [['c', 0]]);
  assert.deepEqual((await store.rules.get(a.id))!.match, { ip: '192.0.2.0/24' });
});

storeTest('log rows are queried by filter, newest window first, and followed by id', async (t, backend) => {
  const { store } = await setup(t, backend);
  const row = (i: number, sessionId: string) => ({ ts: i, level: 'info' as const, component: 'smtp', sessionId, queueId: null, messageId: null, event: `e${i}`, fields: { n: i } });
  const inserted = await store.log.insertMany([1, 2, 3, 4].map((i) => row(i, i % 2 ? 'odd' : 'even')));
  assert.deepEqual(inserted.map((r) => r.event), ['e1', 'e2', 'e3', 'e4']);
  assert.deepEqual((await store.log.query({ limit: 2 })).map((r) => r.event), ['e3', 'e4']);
  assert.deepEqual((await store.log.query({ sessionId: 'odd' })).map((r) => r.event), ['e1', 'e3']);
  assert.deepEqual((await store.log.query({ afterId: inserted[1].id })).map((r) => r.event), ['e3', 'e4']);
  assert.deepEqual((await store.log.query({ text: '"n":4' })).map((r) => r.event), ['e4']);
});

storeTest('settings round-trip JSON; transports and networks store their fields', async (t, backend) => {
  const { store } = await setup(t, backend);
  await store.settings.set('limits', { maxRecipients: 5 });
  assert.deepEqual(await store.settings.get('limits'), { maxRecipients: 5 });
  await store.transports.set('partner.test', { kind: 'smtp', host: '192.0.2.5', port: 2525, mxLookup: false });
  assert.deepEqual((await store.transports.get('PARTNER.test'))!.route, { kind: 'smtp', host: '192.0.2.5', port: 2525, mxLookup: false });
  const n = await store.networks.add('192.168.1.0/24', 'office', { allowSmtp: true, allowImap: true, allowPop3: false, relay: true, requireTlsForAuth: false, expiresAt: null });
  assert.equal(n.relay, true);
  assert.equal((await store.networks.update('192.168.1.0/24', { relay: false })).relay, false);
});
