// Queue runner routing and reply handling on loopback: local and reject routes, DNS failures,
// DSN NOTIFY, RCPT batching, DATA refusals and the per-destination concurrency limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createQueueRunner } from '../../server/delivery/outbound/index.js';
import { startFakeSmtp } from '../helpers/fake-smtp.js';
import { enqueue, inbox, outboundFixture, sampleMessage } from '../helpers/outbound.js';

async function fixture(t: Parameters<typeof outboundFixture>[0], zone: Parameters<typeof outboundFixture>[1] = {}) {
  const f = await outboundFixture(t, zone);
  await f.admin.addDomain({ name: 'local.test' });
  await f.admin.addAccount({ address: 'alice@local.test', password: 'password1' });
  await f.admin.updateSettings({ hostname: 'mail.local.test' });
  return f;
}

test('a row whose domain became local is stored in the INBOX; a rejected domain bounces', async (t) => {
  const f = await fixture(t);
  await f.admin.addAccount({ address: 'bob@local.test', password: 'password1' });
  await f.admin.setTransport({ domain: 'blocked.test', route: 'reject' });
  await enqueue(f.ctx, 'carol@far.test', ['bob@local.test', 'nobody@local.test'], sampleMessage('carol@far.test', 'bob@local.test'));
  await enqueue(f.ctx, 'alice@local.test', ['x@blocked.test'], sampleMessage('alice@local.test', 'x@blocked.test', 'Blocked', '<blocked@x>'));

  assert.deepEqual(await createQueueRunner(f.ctx, { resolver: f.resolver }).runOnce(), { delivered: 1, deferred: 0, bounced: 2 });
  const [stored] = await inbox(f.ctx, 'bob@local.test');
  assert.match(stored, /^Return-Path: <carol@far\.test>\r\nDelivered-To: bob@local\.test\r\nFrom: carol@far\.test\r\n/);
  const [dsn] = await inbox(f.ctx, 'alice@local.test');
  assert.match(dsn, /Final-Recipient: rfc822; x@blocked\.test\r\nAction: failed\r\nStatus: 5\.7\.1\r\n/);
  // The unknown local user's DSN goes to carol@far.test: queued with the null sender.
  const rows = await f.ctx.store.queue.list();
  assert.deepEqual(rows.map((r) => [r.sender, r.recipient]), [['', 'carol@far.test']]);
});

test('NXDOMAIN bounces at once, a DNS failure defers', async (t) => {
  const f = await fixture(t, { 'flaky.test': { servfail: true } });
  await enqueue(f.ctx, 'alice@local.test', ['x@nowhere.test'], sampleMessage('alice@local.test', 'x@nowhere.test'));
  await enqueue(f.ctx, 'alice@local.test', ['y@flaky.test'], sampleMessage('alice@local.test', 'y@flaky.test', 'Flaky', '<f@x>'));
  assert.deepEqual(await createQueueRunner(f.ctx, { resolver: f.resolver }).runOnce(), { delivered: 0, deferred: 1, bounced: 1 });
  assert.match((await inbox(f.ctx, 'alice@local.test'))[0], /Status: 5\.1\.2\r\nDiagnostic-Code: X-Mailroom; Host or domain name not found: nowhere\.test/);
  assert.match((await f.ctx.store.queue.list())[0].lastError ?? '', /MX lookup for flaky\.test failed/);
});

test('NOTIFY=NEVER suppresses the DSN; NOTIFY=FAILURE and RET=FULL are honoured', async (t) => {
  const f = await fixture(t);
  const remote = await startFakeSmtp(t, { rcpt: () => ({ code: 550, message: '5.1.1 unknown' }) });
  await f.admin.setTransport({ domain: 'remote.test', route: `smtp:[127.0.0.1]:${remote.port}` });
  await enqueue(f.ctx, 'alice@local.test', ['a@remote.test'], sampleMessage('alice@local.test', 'a@remote.test', 'Quiet', '<q@x>'), { notify: ['NEVER'] });
  await enqueue(f.ctx, 'alice@local.test', ['b@remote.test'], sampleMessage('alice@local.test', 'b@remote.test', 'Loud', '<l@x>'), {
    notify: ['FAILURE'],
    ret: 'FULL',
    envid: 'E1',
    orcpt: 'rfc822;B@remote.test',
  });
  assert.deepEqual(await createQueueRunner(f.ctx, { resolver: f.resolver }).runOnce(), { delivered: 0, deferred: 0, bounced: 2 });
  const messages = await inbox(f.ctx, 'alice@local.test');
  assert.equal(messages.length, 1);
  assert.match(messages[0], /Original-Envelope-Id: E1\r\n/);
  assert.match(messages[0], /Original-Recipient: rfc822;B@remote\.test\r\n/);
  assert.match(messages[0], /Content-Type: message\/rfc822\r\n\r\n[^]*Subject: Loud\r\n[^]*\r\n\r\nHello there\.\r\n/);
});

test('recipients are batched per transaction; a refusal at end of DATA bounces every one of them', async (t) => {
  const f = await fixture(t);
  const remote = await startFakeSmtp(t, { data: (m) => (m.to.includes('r5@remote.test') ? { code: 554, message: '5.6.0 content rejected' } : null) });
  await f.admin.setTransport({ domain: 'remote.test', route: `smtp:[127.0.0.1]:${remote.port}` });
  const recipients = Array.from({ length: 5 }, (_, i) => `r${i + 1}@remote.test`);
  await enqueue(f.ctx, 'alice@local.test', recipients, sampleMessage('alice@local.test', 'r1@remote.test'));
  const runner = createQueueRunner(f.ctx, { resolver: f.resolver, limits: { recipientsPerTransaction: 2 } });
  assert.deepEqual(await runner.runOnce(), { delivered: 4, deferred: 0, bounced: 1 });
  assert.deepEqual(remote.received.map((m) => m.to), [
    ['r1@remote.test', 'r2@remote.test'],
    ['r3@remote.test', 'r4@remote.test'],
  ]);
  assert.match((await inbox(f.ctx, 'alice@local.test'))[0], /Final-Recipient: rfc822; r5@remote\.test\r\nAction: failed\r\nStatus: 5\.6\.0\r\n/);
});

test('a 4xx refusal defers every recipient; sessions to one destination respect the limit', async (t) => {
  const f = await fixture(t);
  let refuse = true;
  const remote = await startFakeSmtp(t);
  const busy = await startFakeSmtp(t, { rcpt: () => (refuse ? { code: 421, message: '4.7.0 too busy' } : null) });
  await f.admin.setTransport({ domain: 'remote.test', route: `smtp:[127.0.0.1]:${remote.port}` });
  await f.admin.setTransport({ domain: 'busy.test', route: `smtp:[127.0.0.1]:${busy.port}` });
  for (let i = 0; i < 6; i++) await enqueue(f.ctx, 'alice@local.test', [`u${i}@remote.test`], sampleMessage('alice@local.test', `u${i}@remote.test`, `n${i}`, `<n${i}@x>`));
  await enqueue(f.ctx, 'alice@local.test', ['a@busy.test', 'b@busy.test'], sampleMessage('alice@local.test', 'a@busy.test', 'busy', '<busy@x>'));

  const runner = createQueueRunner(f.ctx, { resolver: f.resolver, limits: { perDestination: 2 } });
  assert.deepEqual(await runner.runOnce(), { delivered: 6, deferred: 2, bounced: 0 });
  assert.equal(remote.received.length, 6);
  assert.ok(remote.maxConcurrent <= 2, `at most 2 sessions at once, saw ${remote.maxConcurrent}`);
  refuse = false;
  f.clock.advance(5 * 60_000);
  assert.deepEqual(await runner.runOnce(), { delivered: 2, deferred: 0, bounced: 0 });
});
