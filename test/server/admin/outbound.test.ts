// Admin methods added for outbound delivery: queue details and flush, DKIM keys per domain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, createVerify, createSign } from 'node:crypto';
import { createAdminApi } from '../../../server/admin/api.js';
import { AdminError } from '../../../server/admin/contract.js';
import { adminFixture, plainCredentials } from '../../helpers/admin.js';

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));

test('generateDkimKey makes a 2048-bit RSA key and returns the TXT record to publish', async (t) => {
  const { api, store } = await adminFixture(t);
  await api.addDomain({ name: 'Example.COM' });
  const view = await api.generateDkimKey({ domain: 'example.com' });
  assert.equal(view.domain, 'example.com');
  assert.equal(view.selector, 'mailroom');
  assert.equal(view.algorithm, 'rsa');
  assert.equal(view.dnsName, 'mailroom._domainkey.example.com');
  const p = /^v=DKIM1; k=rsa; p=([A-Za-z0-9+/=]+)$/.exec(view.dnsValue)?.[1];
  assert.ok(p, view.dnsValue);
  const publicKey = createPublicKey({ key: Buffer.from(p, 'base64'), format: 'der', type: 'spki' });
  assert.equal(publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  assert.ok(!JSON.stringify(view).includes('PRIVATE KEY'), 'the view never carries the private key');

  // The stored private key matches the published public key.
  const key = (await store.domains.dkimKey('example.com'))!;
  const signature = createSign('sha256').update('x').sign(key.privateKey);
  assert.ok(createVerify('sha256').update('x').verify(publicKey, signature));
  assert.deepEqual(await api.getDkimKey({ domain: 'EXAMPLE.com' }), view);
});

test('a DKIM key can be replaced under a new selector, removed, and needs a hosted domain', async (t) => {
  const { api } = await adminFixture(t);
  await api.addDomain({ name: 'example.com' });
  assert.equal(await api.getDkimKey({ domain: 'example.com' }), null);
  const ed = await api.generateDkimKey({ domain: 'example.com', selector: 'Ed2026', algorithm: 'ed25519' });
  assert.equal(ed.dnsName, 'ed2026._domainkey.example.com');
  assert.match(ed.dnsValue, /^v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=$/);
  assert.equal((await api.getDkimKey({ domain: 'example.com' }))?.selector, 'ed2026');

  await api.removeDkimKey({ domain: 'example.com' });
  assert.equal(await api.getDkimKey({ domain: 'example.com' }), null);
  await assert.rejects(api.removeDkimKey({ domain: 'example.com' }), (e: AdminError) => e.code === 'not-found');
  await assert.rejects(api.generateDkimKey({ domain: 'nowhere.example' }), (e: AdminError) => e.code === 'not-found');
  await assert.rejects(api.generateDkimKey({ domain: 'example.com', selector: 'bad selector' }), (e: AdminError) => e.code === 'invalid' && e.field === 'selector');
  assert.deepEqual(Object.keys(await api.getSettings()).filter((k) => k.startsWith('dkim')), [], 'keys stay out of the settings view');
});

test('showQueued gives the envelope, each recipient and the queued header section', async (t) => {
  const { api, store } = await adminFixture(t);
  const bytes = crlf('From: a@example.com\nSubject: Report\n\nbody text\n');
  const { result } = await store.deliver({ bytes, local: [], remote: { sender: 'a@example.com', recipients: ['x@far.test', 'y@far.test'], messageId: '<r@x>' } });
  await store.queue.defer((await store.queue.byQueueId(result.queueId!))[1].id, '451 4.3.0 later', 5);
  const shown = await api.showQueued({ queueId: result.queueId!.toLowerCase() });
  assert.equal(shown.queueId, result.queueId);
  assert.equal(shown.sender, 'a@example.com');
  assert.equal(shown.messageId, '<r@x>');
  assert.equal(shown.size, bytes.length);
  assert.deepEqual(shown.recipients.map((r) => [r.recipient, r.state, r.lastError]), [
    ['x@far.test', 'queued', null],
    ['y@far.test', 'deferred', '451 4.3.0 later'],
  ]);
  assert.equal(shown.headers, 'From: a@example.com\r\nSubject: Report\r\n');
  await assert.rejects(api.showQueued({ queueId: 'NOPE' }), (e: AdminError) => e.code === 'not-found');
});

test('flushQueue makes every row due now and wakes the runner', async (t) => {
  const { store, settingsCache, clock, bus } = await adminFixture(t);
  let kicks = 0;
  const api = createAdminApi({
    store,
    settingsCache,
    credentials: plainCredentials,
    clock,
    bus,
    log: { debug() {}, info() {}, warn() {}, error() {}, child() { return this; } },
    status: () => ({ version: 't', startedAt: 0, listeners: {} }),
    queue: { kick: () => kicks++ },
  });
  const { result } = await store.deliver({ bytes: crlf('Subject: x\n\ny\n'), local: [], remote: { sender: 'a@example.com', recipients: ['x@far.test'], messageId: null } });
  const [row] = await store.queue.byQueueId(result.queueId!);
  await store.queue.defer(row.id, 'later', clock.now() + 3_600_000);
  assert.deepEqual(await api.flushQueue({}), { retried: 1 });
  assert.equal(kicks, 1);
  assert.equal((await store.queue.claimDue(10)).length, 1, 'due now');
});

test('DMARC enforcement per domain defaults to reject and can be set to tag', async (t) => {
  const { api } = await adminFixture(t);
  await api.addDomain({ name: 'example.com' });
  assert.deepEqual(await api.getDmarcEnforcement({ domain: 'Example.com' }), { domain: 'example.com', onReject: 'reject' });
  assert.deepEqual(await api.setDmarcEnforcement({ domain: 'example.com', onReject: 'tag' }), { domain: 'example.com', onReject: 'tag' });
  assert.deepEqual(await api.getDmarcEnforcement({ domain: 'example.com' }), { domain: 'example.com', onReject: 'tag' });
  await assert.rejects(api.setDmarcEnforcement({ domain: 'example.com', onReject: 'drop' as 'tag' }), (e: AdminError) => e.code === 'invalid');
  await assert.rejects(api.getDmarcEnforcement({ domain: 'other.com' }), (e: AdminError) => e.code === 'not-found');
});
