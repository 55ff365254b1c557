import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openStore, type LocalCopy, type Store } from '../../../server/store/index.js';
import { DEFAULT_MAILBOXES } from '../../../server/store/mailboxes.js';
import { FLAG_BITS } from '../../../server/store/messages.js';
import { ConflictError } from '../../../server/store/errors.js';
import { tempDir, fakeClock } from '../../helpers/temp.js';

function setup(t: Parameters<typeof tempDir>[0]) {
  const clock = fakeClock();
  const store = openStore(join(tempDir(t), 'store.sqlite'), clock);
  t.after(() => store.close());
  const domain = store.domains.add('example.com', 0);
  const account = (local: string, quota = 0) => {
    const a = store.accounts.add({ domainId: domain.id, localPart: local, displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: quota });
    store.mailboxes.createDefaults(a.id);
    return a;
  };
  return { store, clock, domain, account };
}

const copy = (store: Store, accountId: number, prefix = ''): LocalCopy => ({
  mailboxId: store.mailboxes.require(accountId, 'INBOX').id,
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

test('new accounts get the default mailboxes with special-use and distinct UIDVALIDITY', (t) => {
  const { store, account } = setup(t);
  const a = account('alice');
  const boxes = store.mailboxes.list(a.id);
  assert.deepEqual(boxes.map((b) => [b.name, b.specialUse]).sort(), DEFAULT_MAILBOXES.map((m) => [m.name, m.specialUse]).sort());
  assert.equal(new Set(boxes.map((b) => b.uidValidity)).size, boxes.length);
  assert.ok(store.mailboxes.get(a.id, 'inbox'), 'INBOX is case-insensitive');
});

test('one delivery to three accounts stores the bytes once and counts usage per account', (t) => {
  const { store, account } = setup(t);
  const [a, b, c] = ['a', 'b', 'c'].map((l) => account(l));
  const { result, changes } = store.deliver({ bytes: MESSAGE, local: [a, b, c].map((x) => copy(store, x.id, `Delivered-To: ${x.address}\r\n`)) });
  assert.equal(result.uids.length, 3);
  assert.equal(changes.filter((ch) => ch.kind === 'message-added').length, 3);
  const blobs = store.db.prepare('SELECT refcount, size FROM blobs').all();
  assert.deepEqual(blobs, [{ refcount: 3, size: MESSAGE.length }]);

  const inboxA = store.mailboxes.require(a.id, 'INBOX');
  const [meta] = store.messages.list(inboxA.id);
  const expected = Buffer.concat([Buffer.from(`Delivered-To: a@example.com\r\n`), MESSAGE]);
  assert.equal(meta.size, expected.length);
  assert.deepEqual(store.messages.read(meta.id), expected);
  assert.deepEqual(store.messages.readRange(meta.id, 10, 30), expected.subarray(10, 40), 'range across the prefix/blob seam');
  assert.deepEqual(store.messages.readRange(meta.id, expected.length - 7, 100), expected.subarray(expected.length - 7));
  assert.equal(store.accounts.get(a.id)!.usedBytes, expected.length);
});

test('UIDs ascend and MODSEQ grows; expunge releases the blob and the usage', (t) => {
  const { store, account } = setup(t);
  const a = account('alice');
  const inbox = store.mailboxes.require(a.id, 'INBOX');
  const uids = [1, 2, 3].map((i) => store.deliver({ bytes: Buffer.from(`Subject: ${i}\r\n\r\nx\r\n`), local: [copy(store, a.id)] }).result.uids[0].uid);
  assert.deepEqual(uids, [1, 2, 3]);
  const before = store.mailboxes.byId(inbox.id)!;
  assert.equal(before.uidNext, 4);

  const { result, changes } = store.messages.expunge(inbox.id, [2, 99]);
  assert.deepEqual(result, [2]);
  assert.equal(changes[0].kind, 'messages-expunged');
  assert.ok(store.mailboxes.byId(inbox.id)!.highestModseq > before.highestModseq);
  assert.deepEqual(store.messages.list(inbox.id).map((m) => m.uid), [1, 3]);
  assert.equal((store.db.prepare('SELECT count(*) AS n FROM blobs').get() as { n: number }).n, 2);
  assert.deepEqual(store.db.prepare('SELECT uid FROM expunged').all(), [{ uid: 2 }]);
  const used = store.messages.list(inbox.id).reduce((n, m) => n + m.size, 0);
  assert.equal(store.accounts.get(a.id)!.usedBytes, used);

  // A new message after an expunge never reuses a UID.
  assert.equal(store.deliver({ bytes: MESSAGE, local: [copy(store, a.id)] }).result.uids[0].uid, 4);
});

test('flags are stored as bits and keywords as a list', (t) => {
  const { store, account } = setup(t);
  const a = account('alice');
  store.deliver({ bytes: MESSAGE, local: [{ ...copy(store, a.id), flags: FLAG_BITS['\\Seen'] | FLAG_BITS['\\Flagged'], keywords: ['$Label1', 'Work'] }] });
  const [m] = store.messages.list(store.mailboxes.require(a.id, 'INBOX').id);
  assert.equal(m.flags, 5);
  assert.deepEqual(m.keywords, ['$Label1', 'Work']);
});

test('remote recipients are queued under one queue id holding the blob; removing rows frees it', (t) => {
  const { store, account } = setup(t);
  const a = account('alice');
  const { result } = store.deliver({
    bytes: MESSAGE,
    local: [copy(store, a.id)],
    remote: { sender: 'alice@example.com', recipients: ['x@remote.test', 'y@remote.test'], messageId: '<m1@example.com>' },
  });
  assert.ok(result.queueId);
  const rows = store.queue.byQueueId(result.queueId!);
  assert.equal(rows.length, 2);
  assert.deepEqual(store.db.prepare('SELECT refcount FROM blobs').all(), [{ refcount: 3 }]);
  for (const row of rows) store.queue.remove(row.id);
  assert.deepEqual(store.db.prepare('SELECT refcount FROM blobs').all(), [{ refcount: 1 }]);
});

test('queue: due rows are claimed once, deferred, retried, and interrupted ones requeued', (t) => {
  const { store, clock } = setup(t);
  const blobId = store.db.transaction(() => store.blobs.acquire(MESSAGE, 0))();
  const { queueId } = store.queue.enqueue({ sender: 's@example.com', recipients: ['r@remote.test'], blobId, messageId: null });
  const [claimed] = store.queue.claimDue(10);
  assert.equal(claimed.state, 'delivering');
  assert.equal(claimed.attempts, 1);
  assert.deepEqual(store.queue.claimDue(10), [], 'a delivering row is not claimed twice');
  store.queue.defer(claimed.id, '451 try later', clock.now() + 60_000);
  assert.deepEqual(store.queue.claimDue(10), []);
  assert.equal(store.queue.retryNow(queueId), 1);
  assert.equal(store.queue.claimDue(10).length, 1);
  assert.equal(store.queue.requeueInterrupted(), 1);
  assert.equal(store.queue.get(claimed.id)!.state, 'queued');
});

test('deleting an account removes its mail and releases shared blobs', (t) => {
  const { store, account } = setup(t);
  const a = account('alice');
  const b = account('bob');
  store.deliver({ bytes: MESSAGE, local: [copy(store, a.id), copy(store, b.id)] });
  const { changes } = store.deleteAccount(a.id);
  assert.ok(changes.some((c) => c.kind === 'mailbox-deleted'));
  assert.equal(store.accounts.get(a.id), undefined);
  assert.deepEqual(store.db.prepare('SELECT refcount FROM blobs').all(), [{ refcount: 1 }]);
  store.deleteAccount(b.id);
  assert.equal((store.db.prepare('SELECT count(*) AS n FROM blobs').get() as { n: number }).n, 0);
});

test('account addresses are unique case-insensitively and keep their case', (t) => {
  const { store, domain, account } = setup(t);
  account('Alice');
  assert.throws(
    () => store.accounts.add({ domainId: domain.id, localPart: 'ALICE', displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: 0 }),
    ConflictError,
  );
  assert.equal(store.accounts.find('alice', 'example.com')!.address, 'Alice@example.com');
});

test('aliases keep destinations in order and find who references an address', (t) => {
  const { store, domain } = setup(t);
  store.aliases.add(domain.id, 'team', ['b@example.com', 'a@example.com', 'x@remote.test']);
  assert.deepEqual(store.aliases.find('TEAM', 'example.com')!.destinations, ['b@example.com', 'a@example.com', 'x@remote.test']);
  assert.deepEqual(store.aliases.referencing('A@example.com').map((a) => a.address), ['team@example.com']);
});

test('rules stay densely ordered per stage through add, move, update and remove', (t) => {
  const { store } = setup(t);
  const rule = (description: string) => ({ stage: 'rcpt-to' as const, match: { ip: '192.0.2.0/24' }, action: 'reject' as const, replyCode: 554, replyText: 'no', description, enabled: true });
  const a = store.rules.add(rule('a'));
  const b = store.rules.add(rule('b'));
  const c = store.rules.add(rule('c'), 0);
  assert.deepEqual(store.rules.list('rcpt-to').map((r) => r.description), ['c', 'a', 'b']);
  store.rules.move(c.id, 2);
  assert.deepEqual(store.rules.list('rcpt-to').map((r) => [r.description, r.position]), [['a', 0], ['b', 1], ['c', 2]]);
  store.rules.update(a.id, { ...rule('a'), stage: 'connect' });
  assert.deepEqual(store.rules.list('rcpt-to').map((r) => [r.description, r.position]), [['b', 0], ['c', 1]]);
  store.rules.remove(b.id);
  assert.deepEqual(store.rules.list('rcpt-to').map((r) => [r.description, r.position]), [['c', 0]]);
  assert.deepEqual(store.rules.get(a.id)!.match, { ip: '192.0.2.0/24' });
});

test('log rows are queried by filter, newest window first, and followed by id', (t) => {
  const { store } = setup(t);
  const row = (i: number, sessionId: string) => ({ ts: i, level: 'info' as const, component: 'smtp', sessionId, queueId: null, messageId: null, event: `e${i}`, fields: { n: i } });
  const inserted = store.log.insertMany([1, 2, 3, 4].map((i) => row(i, i % 2 ? 'odd' : 'even')));
  assert.deepEqual(inserted.map((r) => r.event), ['e1', 'e2', 'e3', 'e4']);
  assert.deepEqual(store.log.query({ limit: 2 }).map((r) => r.event), ['e3', 'e4']);
  assert.deepEqual(store.log.query({ sessionId: 'odd' }).map((r) => r.event), ['e1', 'e3']);
  assert.deepEqual(store.log.query({ afterId: inserted[1].id }).map((r) => r.event), ['e3', 'e4']);
  assert.deepEqual(store.log.query({ text: '"n":4' }).map((r) => r.event), ['e4']);
});

test('settings round-trip JSON; transports and networks store their fields', (t) => {
  const { store } = setup(t);
  store.settings.set('limits', { maxRecipients: 5 });
  assert.deepEqual(store.settings.get('limits'), { maxRecipients: 5 });
  store.transports.set('partner.test', { kind: 'smtp', host: '192.0.2.5', port: 2525, mxLookup: false });
  assert.deepEqual(store.transports.get('PARTNER.test')!.route, { kind: 'smtp', host: '192.0.2.5', port: 2525, mxLookup: false });
  const n = store.networks.add('192.168.1.0/24', 'office', { allowSmtp: true, allowImap: true, allowPop3: false, relay: true, requireTlsForAuth: false, expiresAt: null });
  assert.equal(n.relay, true);
  assert.equal(store.networks.update('192.168.1.0/24', { relay: false }).relay, false);
});
