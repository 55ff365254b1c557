import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreChange } from '../../../server/store/index.js';
import { message, rcpt, smtpFixture, standardDomains } from './harness.js';
import { inspectDatabase } from '../../../server/store/db.js';

test('an alias to three accounts is stored once, with a Delivered-To per copy and new-mail events after commit', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const changes: StoreChange[] = [];
  f.ctx.bus.on('change', (c) => void changes.push(c));
  const { client } = await f.connect(f.ports.smtp);
  assert.equal((await rcpt(client, 'x@outside.example', 'team@local.example')).code, 250);
  assert.equal((await client.send('RCPT TO:<alice@local.example>')).code, 250, 'alice twice: still one copy');
  const done = await client.data(message('to the team'));
  assert.equal(done.code, 250);
  const blobs = inspectDatabase(f.ctx.store).prepare('SELECT refcount FROM blobs').all() as Array<{ refcount: number }>;
  assert.deepEqual(blobs, [{ refcount: 3 }]);
  for (const user of ['alice', 'bob', 'carol']) {
    const [copy] = await f.inbox(`${user}@local.example`);
    assert.ok(copy.startsWith(`Return-Path: <x@outside.example>\r\nDelivered-To: ${user}@local.example\r\nReceived: `), copy.slice(0, 120));
    assert.doesNotMatch(copy, /\tfor </, 'no "for" with several recipients (Bcc privacy)');
  }
  assert.deepEqual(changes.map((c) => c.kind), ['message-added', 'message-added', 'message-added']);
  const row = await f.logRow('smtp.accepted');
  assert.equal(row.fields.messageId, '<totheteam@test>');
  const stored = await f.logRow('delivery.stored', (x) => x.to === 'carol@local.example');
  assert.equal(stored.sessionId, row.sessionId, 'one message can be followed through its session');
});

test('catch-all takes unknown local parts of its domain', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const { client } = await f.connect(f.ports.smtp);
  assert.equal((await rcpt(client, 'x@outside.example', 'Whoever@Catch.Example')).code, 250);
  assert.equal((await client.data(message('catch'))).code, 250);
  const [copy] = await f.inbox('dave@catch.example');
  assert.match(copy, /^Return-Path: <x@outside\.example>\r\nDelivered-To: dave@catch\.example\r\n/);
});

test('the transport table: reject refuses a domain, smtp: routes a hosted domain to the queue', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  await f.admin.addDomain({ name: 'branch.example' });
  await f.admin.setTransport({ domain: 'branch.example', route: 'smtp:[10.0.0.5]:25' });
  await f.admin.setTransport({ domain: 'nope.example', route: 'reject' });
  const { client } = await f.connect(f.ports.smtp, { from: '127.0.0.1' });
  const nope = await rcpt(client, 'x@local.example', 'a@nope.example');
  assert.deepEqual([nope.code, nope.enhanced], [550, '5.7.1']);
  assert.equal((await client.send('RCPT TO:<someone@branch.example>')).code, 250);
  assert.equal((await client.data(message('branch'))).code, 250);
  assert.deepEqual((await f.ctx.store.queue.list()).map((q) => q.recipient), ['someone@branch.example']);
});

test('bare-LF messages are stored with CRLF; dot-stuffed lines are unstuffed', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const { client } = await f.connect(f.ports.smtp);
  assert.equal((await rcpt(client, 'x@outside.example', 'bob@local.example')).code, 250);
  assert.equal((await client.send('DATA')).code, 354);
  client.write('Subject: lf\n\n..leading dot\nline two\r\n.\r\n');
  assert.equal((await client.next()).code, 250);
  const [copy] = await f.inbox('bob@local.example');
  assert.ok(copy.endsWith('Subject: lf\r\n\r\n.leading dot\r\nline two\r\n'), JSON.stringify(copy.slice(-60)));
  const row = inspectDatabase(f.ctx.store).prepare('SELECT size, parts, envelope FROM messages JOIN message_mime USING (id)').get() as { size: number; parts: string; envelope: string };
  assert.equal(row.size, Buffer.byteLength(copy));
  const parts = JSON.parse(row.parts) as { size: number; root: { headerStart: number; bodyStart: number; bodyEnd: number } };
  assert.equal(parts.size, row.size);
  assert.equal(parts.root.headerStart, 0);
  assert.equal(copy.slice(parts.root.bodyStart, parts.root.bodyEnd), '.leading dot\r\nline two\r\n');
  assert.equal((JSON.parse(row.envelope) as unknown[])[1], 'lf');
});
