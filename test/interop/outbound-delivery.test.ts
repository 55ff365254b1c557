// Outbound delivery end to end on loopback: the queue runner delivers queued mail with nodemailer's
// SMTP client to real smtp-server instances the tests start, routed by the transport table, a relay
// host with AUTH over STARTTLS, and MX records from a fake DNS server; retries, bounces (RFC 3464),
// the queue lifetime and a restart with rows pending.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { createQueueRunner } from '../../server/delivery/outbound/index.js';
import { parseMessage, bodyStructure } from '../../server/mime/index.js';
import { startFakeSmtp } from '../helpers/fake-smtp.js';
import { enqueue, inbox, mappedDialer, outboundFixture, sampleMessage } from '../helpers/outbound.js';

const MINUTE = 60_000;
const DAY = 24 * 3600_000;

async function withLocalSender(t: Parameters<typeof outboundFixture>[0], zone: Parameters<typeof outboundFixture>[1] = {}) {
  const f = await outboundFixture(t, zone);
  await f.admin.addDomain({ name: 'local.test' });
  await f.admin.addAccount({ address: 'alice@local.test', password: 'password1' });
  await f.admin.updateSettings({ hostname: 'mail.local.test' });
  return f;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('delivers through the transport table to a fixed next hop, with opportunistic STARTTLS, and logs the trace', async (t) => {
  const f = await withLocalSender(t);
  const remote = await startFakeSmtp(t);
  await f.admin.setTransport({ domain: 'remote.test', route: `smtp:[127.0.0.1]:${remote.port}` });
  const queueId = await enqueue(f.ctx, 'alice@local.test', ['bob@remote.test'], sampleMessage('alice@local.test', 'bob@remote.test'));

  const runner = createQueueRunner(f.ctx, { resolver: f.resolver });
  assert.deepEqual(await runner.runOnce(), { delivered: 1, deferred: 0, bounced: 0 });

  assert.equal(remote.received.length, 1);
  const got = remote.received[0];
  assert.equal(got.from, 'alice@local.test');
  assert.deepEqual(got.to, ['bob@remote.test']);
  assert.equal(got.secure, true, 'STARTTLS was used');
  assert.equal(got.helo, 'mail.local.test');
  assert.match(got.raw.toString(), /Subject: Hello/);
  assert.equal(await f.ctx.store.queue.count(), 0);

  const events = (await f.logged({ queueId, event: 'queue.delivered' })).map((r) => r.event);
  assert.deepEqual(events.filter((e) => e.startsWith('queue.')), ['queue.attempt', 'queue.delivered']);
  const delivered = (await f.admin.queryLog({ queueId, event: 'queue.delivered' }))[0];
  assert.equal(delivered.messageId, '<m1@example.test>');
});

test('opportunistic STARTTLS that fails to negotiate falls back to a plain session', async (t) => {
  const f = await withLocalSender(t);
  const remote = await startFakeSmtp(t, { brokenTls: true });
  await f.admin.setTransport({ domain: 'remote.test', route: `smtp:[127.0.0.1]:${remote.port}` });
  await enqueue(f.ctx, 'alice@local.test', ['bob@remote.test'], sampleMessage('alice@local.test', 'bob@remote.test'));
  assert.deepEqual(await createQueueRunner(f.ctx, { resolver: f.resolver }).runOnce(), { delivered: 1, deferred: 0, bounced: 0 });
  assert.equal(remote.received[0].secure, false);
  assert.equal(remote.connections, 2);
});

test('delivers via a relay host that requires AUTH over STARTTLS, verifying its certificate', async (t) => {
  const f = await withLocalSender(t);
  const relay = await startFakeSmtp(t, { users: { relayuser: 'relay secret' } });
  await f.admin.updateSettings({ relayHost: { host: 'localhost', port: relay.port, tls: 'starttls', username: 'relayuser', password: 'relay secret' } });
  await enqueue(f.ctx, 'alice@local.test', ['bob@far.test', 'carol@other.test'], sampleMessage('alice@local.test', 'bob@far.test'));

  const runner = createQueueRunner(f.ctx, { resolver: f.resolver, ca: relay.cert });
  assert.deepEqual(await runner.runOnce(), { delivered: 2, deferred: 0, bounced: 0 });
  assert.equal(relay.received.length, 1, 'both domains go to the relay in one transaction');
  assert.equal(relay.received[0].user, 'relayuser');
  assert.equal(relay.received[0].secure, true);
  assert.deepEqual(relay.received[0].to, ['bob@far.test', 'carol@other.test']);
  assert.equal(f.dns.queries.length, 0, 'a relay host needs no MX lookup');
});

test('a relay host whose certificate does not verify, or that refuses the credentials, defers the mail', async (t) => {
  const f = await withLocalSender(t);
  const relay = await startFakeSmtp(t, { users: { relayuser: 'relay secret' } });
  await f.admin.updateSettings({ relayHost: { host: 'localhost', port: relay.port, tls: 'starttls', username: 'relayuser', password: 'relay secret' } });
  await enqueue(f.ctx, 'alice@local.test', ['bob@far.test'], sampleMessage('alice@local.test', 'bob@far.test'));

  assert.deepEqual(await createQueueRunner(f.ctx, { resolver: f.resolver }).runOnce(), { delivered: 0, deferred: 1, bounced: 0 });
  assert.match((await f.ctx.store.queue.list())[0].lastError ?? '', /certificate/i);

  await f.admin.updateSettings({ relayHost: { host: 'localhost', port: relay.port, tls: 'starttls', username: 'relayuser', password: 'wrong' } });
  f.clock.advance(10 * MINUTE);
  assert.deepEqual(await createQueueRunner(f.ctx, { resolver: f.resolver, ca: relay.cert }).runOnce(), { delivered: 0, deferred: 1, bounced: 0 });
  assert.match((await f.ctx.store.queue.list())[0].lastError ?? '', /authentication failed.*535/i);
  assert.equal(relay.received.length, 0);
});

test('resolves MX records through the configured DNS server and falls back to the next MX', async (t) => {
  const f = await withLocalSender(t, {
    'remote.test': { MX: [{ priority: 20, exchange: 'mx2.remote.test' }, { priority: 10, exchange: 'mx1.remote.test' }] },
    'mx1.remote.test': { A: ['127.0.0.2'] },
    'mx2.remote.test': { A: ['127.0.0.3'] },
  });
  const remote = await startFakeSmtp(t);
  const dead = await closedPort();
  const dialled: Array<{ host: string; port: number }> = [];
  const dialer = mappedDialer(({ host }) => ({ host: '127.0.0.1', port: host === '127.0.0.3' ? remote.port : dead }), dialled);
  await enqueue(f.ctx, 'alice@local.test', ['bob@remote.test'], sampleMessage('alice@local.test', 'bob@remote.test'));

  assert.deepEqual(await createQueueRunner(f.ctx, { resolver: f.resolver, dialer }).runOnce(), { delivered: 1, deferred: 0, bounced: 0 });
  assert.deepEqual(dialled, [
    { host: '127.0.0.2', port: 25 },
    { host: '127.0.0.3', port: 25 },
  ]);
  assert.equal(remote.received.length, 1);
  assert.deepEqual(
    f.dns.queries.filter((q) => q.type === 'MX'),
    [{ name: 'remote.test', type: 'MX' }],
  );
});

test('a temporary failure is retried after the backoff and then delivered', async (t) => {
  const f = await withLocalSender(t, { 'remote.test': { A: ['127.0.0.1'] } });
  let refusals = 1;
  const remote = await startFakeSmtp(t, { rcpt: () => (refusals-- > 0 ? { code: 451, message: '4.3.0 try again later' } : null) });
  const dialer = mappedDialer(({ host }) => ({ host, port: remote.port }));
  await enqueue(f.ctx, 'alice@local.test', ['bob@remote.test'], sampleMessage('alice@local.test', 'bob@remote.test'));
  const runner = createQueueRunner(f.ctx, { resolver: f.resolver, dialer });

  assert.deepEqual(await runner.runOnce(), { delivered: 0, deferred: 1, bounced: 0 });
  const [row] = await f.ctx.store.queue.list();
  assert.equal(row.state, 'deferred');
  assert.equal(row.attempts, 1);
  assert.equal(row.nextAttemptAt, f.clock.now() + 5 * MINUTE, 'first retry after the minimum backoff');
  assert.match(row.lastError ?? '', /^451 4\.3\.0 try again later/);

  assert.deepEqual(await runner.runOnce(), { delivered: 0, deferred: 0, bounced: 0 }, 'not due yet');
  f.clock.advance(5 * MINUTE);
  assert.deepEqual(await runner.runOnce(), { delivered: 1, deferred: 0, bounced: 0 });
  assert.equal(remote.received.length, 1);
  assert.equal(await f.ctx.store.queue.count(), 0);
});

test('a permanent failure puts exactly one well-formed DSN in the local sender\'s INBOX', async (t) => {
  const f = await withLocalSender(t);
  const remote = await startFakeSmtp(t, { rcpt: (a) => (a.startsWith('bob') || a.startsWith('carol') ? { code: 550, message: '5.1.1 no such user here' } : null) });
  await f.admin.setTransport({ domain: 'remote.test', route: `smtp:[127.0.0.1]:${remote.port}` });
  const bounces: string[] = [];
  f.ctx.bus.on('bounce', (e) => bounces.push(e.recipient));
  const queueId = await enqueue(
    f.ctx,
    'alice@local.test',
    ['bob@remote.test', 'carol@remote.test', 'dave@remote.test'],
    sampleMessage('alice@local.test', 'bob@remote.test', 'Quarterly report'),
  );

  const runner = createQueueRunner(f.ctx, { resolver: f.resolver });
  assert.deepEqual(await runner.runOnce(), { delivered: 1, deferred: 0, bounced: 2 });
  assert.deepEqual(await runner.runOnce(), { delivered: 0, deferred: 0, bounced: 0 });
  assert.equal(await f.ctx.store.queue.count(), 0, 'the bounced rows are gone, and the DSN went to a local INBOX, not the queue');
  assert.deepEqual(remote.received.map((m) => m.to), [['dave@remote.test']]);
  assert.deepEqual(bounces.sort(), ['bob@remote.test', 'carol@remote.test']);

  const messages = await inbox(f.ctx, 'alice@local.test');
  assert.equal(messages.length, 1, 'exactly one DSN');
  const dsn = messages[0];
  assert.match(dsn, /^Return-Path: <>\r\nDelivered-To: alice@local\.test\r\n/);
  assert.match(dsn, /\r\nFrom: Mail Delivery System <MAILER-DAEMON@mail\.local\.test>\r\n/);
  assert.match(dsn, /\r\nAuto-Submitted: auto-replied\r\n/);
  assert.match(dsn, /Content-Type: multipart\/report; report-type=delivery-status;/);

  const bytes = Buffer.from(dsn);
  const parsed = parseMessage(bytes);
  const parts = parsed.root.parts ?? [];
  assert.equal(parts.length, 3);
  const structure = JSON.stringify(bodyStructure(bytes, parsed)).toLowerCase();
  assert.match(structure, /"text","plain".*"message","delivery-status".*"text","rfc822-headers".*"report"/);
  const status = bytes.toString('utf8', parts[1].bodyStart, parts[1].bodyEnd);
  assert.match(status, /^Reporting-MTA: dns; mail\.local\.test\r\n/);
  assert.match(status, new RegExp(`X-Mailroom-Queue-ID: ${queueId}\r\n`));
  for (const who of ['bob', 'carol']) {
    assert.match(status, new RegExp(`Final-Recipient: rfc822; ${who}@remote\\.test\r\nAction: failed\r\nStatus: 5\\.1\\.1\r\nRemote-MTA: dns; 127\\.0\\.0\\.1\r\nDiagnostic-Code: smtp; 550 5\\.1\\.1 no such user here\r\n`));
  }
  assert.doesNotMatch(status, /dave/);
  const headers = bytes.toString('utf8', parts[2].bodyStart, parts[2].bodyEnd);
  assert.match(headers, /^From: alice@local\.test\r\n/);
  assert.match(headers, /Subject: Quarterly report\r\n/);
  assert.doesNotMatch(headers, /Hello there/, 'headers only (no RET=FULL)');
});

test('a DSN for a remote sender is queued with the null sender, and a failing bounce is never bounced', async (t) => {
  const f = await withLocalSender(t);
  const remote = await startFakeSmtp(t, { rcpt: () => ({ code: 550, message: '5.7.1 go away' }) });
  await f.admin.setTransport({ domain: 'remote.test', route: `smtp:[127.0.0.1]:${remote.port}` });
  await f.admin.setTransport({ domain: 'elsewhere.test', route: `smtp:[127.0.0.1]:${remote.port}` });
  await enqueue(f.ctx, 'someone@elsewhere.test', ['bob@remote.test'], sampleMessage('someone@elsewhere.test', 'bob@remote.test'));
  const runner = createQueueRunner(f.ctx, { resolver: f.resolver });

  assert.deepEqual(await runner.runOnce(), { delivered: 0, deferred: 0, bounced: 1 });
  const [dsnRow] = await f.ctx.store.queue.list();
  assert.equal(dsnRow.sender, '');
  assert.equal(dsnRow.recipient, 'someone@elsewhere.test');

  // The DSN itself is refused: it is dropped (and logged), not bounced again.
  assert.deepEqual(await runner.runOnce(), { delivered: 0, deferred: 0, bounced: 1 });
  assert.equal(await f.ctx.store.queue.count(), 0);
  assert.equal((await f.logged({ event: 'queue.bounce-discarded' })).filter((r) => r.event === 'queue.bounce-discarded').length, 1);
});

test('gives up after the queue lifetime with a delivery-time-expired DSN', async (t) => {
  const f = await withLocalSender(t);
  const remote = await startFakeSmtp(t, { rcpt: () => ({ code: 452, message: '4.2.2 mailbox full' }) });
  await f.admin.setTransport({ domain: 'remote.test', route: `smtp:[127.0.0.1]:${remote.port}` });
  await enqueue(f.ctx, 'alice@local.test', ['bob@remote.test'], sampleMessage('alice@local.test', 'bob@remote.test'));
  const runner = createQueueRunner(f.ctx, { resolver: f.resolver });

  assert.deepEqual(await runner.runOnce(), { delivered: 0, deferred: 1, bounced: 0 });
  f.clock.advance(4 * DAY);
  assert.deepEqual(await runner.runOnce(), { delivered: 0, deferred: 1, bounced: 0 });
  assert.equal((await f.ctx.store.queue.list())[0].nextAttemptAt - f.clock.now(), 10 * MINUTE, 'second retry doubles the delay');
  f.clock.advance(DAY);
  assert.deepEqual(await runner.runOnce(), { delivered: 0, deferred: 0, bounced: 1 });
  assert.equal(await f.ctx.store.queue.count(), 0);
  const [dsn] = await inbox(f.ctx, 'alice@local.test');
  assert.match(dsn, /Subject: Undelivered Mail Returned to Sender \(delivery time expired\)/);
  assert.match(dsn, /Action: failed\r\nStatus: 4\.4\.7\r\n/);
  assert.match(dsn, /Diagnostic-Code: smtp; 452 4\.2\.2 mailbox full/);
});

test('rows pending at a crash are delivered after a restart', async (t) => {
  const f = await withLocalSender(t);
  const remote = await startFakeSmtp(t);
  await f.admin.setTransport({ domain: 'remote.test', route: `smtp:[127.0.0.1]:${remote.port}` });
  await enqueue(f.ctx, 'alice@local.test', ['bob@remote.test'], sampleMessage('alice@local.test', 'bob@remote.test', 'one', '<a@x>'));
  await enqueue(f.ctx, 'alice@local.test', ['carol@remote.test'], sampleMessage('alice@local.test', 'carol@remote.test', 'two', '<b@x>'));
  // A crash in the middle of a pass: the rows were claimed, nothing was settled.
  assert.equal((await f.ctx.store.queue.claimDue(10)).length, 2);
  await f.ctx.close();

  const ctx = await f.reopen();
  assert.equal(await ctx.store.queue.count(), 2);
  assert.equal(await ctx.store.queue.requeueInterrupted(), 2, 'what createMailServer.start does');
  assert.deepEqual(await createQueueRunner(ctx, { resolver: f.resolver }).runOnce(), { delivered: 2, deferred: 0, bounced: 0 });
  assert.deepEqual(remote.received.map((m) => m.to[0]).sort(), ['bob@remote.test', 'carol@remote.test']);
});

test('start() delivers in the background, polling for due rows', async (t) => {
  const f = await withLocalSender(t);
  const remote = await startFakeSmtp(t);
  await f.admin.setTransport({ domain: 'remote.test', route: `smtp:[127.0.0.1]:${remote.port}` });
  const runner = createQueueRunner(f.ctx, { resolver: f.resolver, limits: { pollMs: 20 } });
  runner.start();
  await enqueue(f.ctx, 'alice@local.test', ['bob@remote.test'], sampleMessage('alice@local.test', 'bob@remote.test'));
  while (await f.ctx.store.queue.count() > 0) await new Promise((r) => setTimeout(r, 10));
  await runner.stop();
  assert.equal(remote.received.length, 1);
});

test('stop() aborts a session that hangs and leaves its row for the next start', async (t) => {
  const f = await withLocalSender(t);
  const sockets: Socket[] = [];
  const silent = createServer((socket) => sockets.push(socket)); // accepts, never greets
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });
  await f.admin.setTransport({ domain: 'remote.test', route: `smtp:[127.0.0.1]:${(silent.address() as { port: number }).port}` });
  await enqueue(f.ctx, 'alice@local.test', ['bob@remote.test'], sampleMessage('alice@local.test', 'bob@remote.test'));
  const runner = createQueueRunner(f.ctx, { resolver: f.resolver, limits: { pollMs: 20 } });
  runner.start();
  while (sockets.length === 0) await new Promise((r) => setTimeout(r, 10));
  await runner.stop();
  const [row] = await f.ctx.store.queue.list();
  assert.equal(row.state, 'delivering', 'neither deferred nor bounced: the delivery was interrupted');
  assert.equal(row.lastError, null);
  assert.equal(await f.ctx.store.queue.requeueInterrupted(), 1);
});
