import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { plain } from './client.js';
import { message, rcpt, smtpFixture, standardDomains } from './harness.js';

test('oversize: refused at MAIL FROM by SIZE= and at DATA by counting, nothing stored', async (t) => {
  const f = await smtpFixture(t, { settings: { limits: { maxMessageBytes: 2048 } } });
  await standardDomains(f.admin);
  const { client } = await f.connect(f.ports.smtp);
  const { extensions } = await client.ehlo();
  assert.equal(extensions.get('SIZE'), '2048');
  const declared = await client.send('MAIL FROM:<x@outside.example> SIZE=5000');
  assert.deepEqual([declared.code, declared.enhanced], [552, '5.3.4']);
  assert.equal((await client.send('MAIL FROM:<x@outside.example>')).code, 250);
  assert.equal((await client.send('RCPT TO:<alice@local.example>')).code, 250);
  const big = await client.data(message('big', 'x'.repeat(3000)));
  assert.deepEqual([big.code, big.enhanced], [552, '5.3.4']);
  assert.equal((await f.inbox('alice@local.example')).length, 0);
  assert.equal((await client.send('MAIL FROM:<x@outside.example>')).code, 250, 'the session goes on');
});

test('too many recipients: 452 4.5.3 past the limit, a repeated recipient does not count', async (t) => {
  const f = await smtpFixture(t, { settings: { limits: { maxRecipients: 2 } } });
  await standardDomains(f.admin);
  const { client } = await f.connect(f.ports.smtp);
  assert.equal((await rcpt(client, 'x@outside.example', 'alice@local.example')).code, 250);
  assert.equal((await client.send('RCPT TO:<bob@local.example>')).code, 250);
  assert.equal((await client.send('RCPT TO:<Alice@local.example>')).code, 250);
  const third = await client.send('RCPT TO:<carol@local.example>');
  assert.deepEqual([third.code, third.enhanced], [452, '4.5.3']);
  assert.equal((await client.data(message('two'))).code, 250);
  assert.equal((await f.inbox('alice@local.example')).length, 1);
  assert.equal((await f.inbox('carol@local.example')).length, 0);
});

test('unknown user 550 5.1.1, disabled account 550 5.2.1, disabled domain refused', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  await f.admin.updateAccount({ address: 'carol@local.example', active: false });
  const { client } = await f.connect(f.ports.smtp);
  const unknown = await rcpt(client, 'x@outside.example', 'nobody@local.example');
  assert.deepEqual([unknown.code, unknown.enhanced], [550, '5.1.1']);
  assert.match(unknown.text, /User unknown/);
  const disabled = await client.send('RCPT TO:<carol@local.example>');
  assert.deepEqual([disabled.code, disabled.enhanced], [550, '5.2.1']);
  assert.equal((await client.send('RCPT TO:<team@local.example>')).code, 250, 'an alias still reaches its active members');
  assert.equal((await client.data(message('team'))).code, 250);
  assert.equal((await f.inbox('alice@local.example')).length, 1);
  assert.equal((await f.inbox('carol@local.example')).length, 0);
  await f.admin.updateDomain({ name: 'catch.example', active: false });
  const domainOff = await client.send('MAIL FROM:<x@outside.example>').then(() => client.send('RCPT TO:<dave@catch.example>'));
  assert.deepEqual([domainOff.code, domainOff.enhanced], [550, '5.2.1']);
});

test('over quota at RCPT: 452 4.2.2 by default, 552 5.2.2 when the setting says so', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  await f.admin.updateAccount({ address: 'bob@local.example', quota: 1200 });
  const { client } = await f.connect(f.ports.smtp);
  assert.equal((await rcpt(client, 'x@outside.example', 'bob@local.example')).code, 250);
  assert.equal((await client.data(message('fill', 'y'.repeat(1000)))).code, 250);
  const full = await rcpt(client, 'x@outside.example', 'bob@local.example');
  assert.deepEqual([full.code, full.enhanced], [452, '4.2.2']);
  const viaAlias = await client.send('RCPT TO:<team@local.example>');
  assert.deepEqual([viaAlias.code, viaAlias.enhanced], [452, '4.2.2'], 'an alias with a full member is refused, not silently shortened');
  await f.admin.updateSettings({ overQuotaReply: '552' });
  const { client: next } = await f.connect(f.ports.smtp);
  const permanent = await rcpt(next, 'x@outside.example', 'bob@local.example');
  assert.deepEqual([permanent.code, permanent.enhanced], [552, '5.2.2']);
  const declared = await next.send('RSET').then(() => next.send('MAIL FROM:<x@outside.example> SIZE=100000'));
  assert.equal(declared.code, 250);
  const tooBigForAlice = await next.send('RCPT TO:<alice@local.example>');
  assert.equal(tooBigForAlice.code, 250, 'alice has no quota');
});

test('HELO/EHLO required before MAIL', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const { client } = await f.connect(f.ports.smtp);
  const r = await client.send('MAIL FROM:<x@outside.example>');
  assert.deepEqual([r.code, r.enhanced], [503, '5.5.1']);
});

test('hard error limit: 421 4.7.0 and disconnect; soft limit delays but keeps the session', async (t) => {
  const f = await smtpFixture(t, { settings: { limits: { softErrorLimit: 1, hardErrorLimit: 3, errorDelayMs: 1 } } });
  await standardDomains(f.admin);
  const { client } = await f.connect(f.ports.smtp);
  await client.ehlo();
  await client.send('MAIL FROM:<x@outside.example>');
  assert.equal((await client.send('RCPT TO:<nobody1@local.example>')).code, 550);
  assert.equal((await client.send('RCPT TO:<nobody2@local.example>')).code, 550);
  assert.equal((await client.send('RCPT TO:<nobody3@local.example>')).code, 550);
  const bye = await client.next();
  assert.deepEqual([bye.code, bye.enhanced], [421, '4.7.0']);
  assert.ok(await client.closedByServer());
  await f.logRow('smtp.error-limit');
});

test('connections per IP: the next one gets 421 4.7.0; other addresses are not affected', async (t) => {
  const f = await smtpFixture(t, { settings: { limits: { maxConnectionsPerIp: 2 } } });
  const first = await f.connect(f.ports.smtp);
  const second = await f.connect(f.ports.submission);
  assert.deepEqual([first.greeting.code, second.greeting.code], [220, 220]);
  const third = await f.connect(f.ports.smtp);
  assert.deepEqual([third.greeting.code, third.greeting.enhanced], [421, '4.7.0']);
  assert.equal((await f.connect(f.ports.smtp, { from: '127.0.0.30' })).greeting.code, 220);
  first.client.close();
  // the slot is free again once the server has seen the close (logged right after the release)
  await f.logRow('smtp.close', (x) => x.remote === '127.0.0.9' && x.proto === 'smtp');
  assert.equal((await f.connect(f.ports.smtp)).greeting.code, 220);
});

test('connections beyond the listener cap get 421 whatever their address; logged', async (t) => {
  const f = await smtpFixture(t, { settings: { limits: { maxSmtpConnections: 2 } } });
  const first = await f.connect(f.ports.smtp, { from: '127.0.0.21' });
  await f.connect(f.ports.smtp, { from: '127.0.0.22' });
  const third = await f.connect(f.ports.smtp, { from: '127.0.0.23' });
  assert.equal(third.greeting.code, 421);
  assert.match(third.greeting.text, /Too many connected clients/);
  assert.ok(await third.client.closedByServer());
  await f.logRow('smtp.refused', (x) => x.reason === 'listener-full' && x.limit === 2);
  assert.equal((await f.connect(f.ports.submission, { from: '127.0.0.23' })).greeting.code, 220, 'each listener has its own cap');
  first.client.close();
  await f.logRow('smtp.close', (x) => x.remote === '127.0.0.21');
  assert.equal((await f.connect(f.ports.smtp, { from: '127.0.0.23' })).greeting.code, 220, 'a slot freed up');
});

test('a session past its time limit is closed with 421 4.4.2, whatever it is doing', async (t) => {
  const f = await smtpFixture(t);
  // The deadline is a timer set at connect: mocked here, so the test does not wait an hour.
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { client, greeting } = await f.connect(f.ports.smtp);
  assert.equal(greeting.code, 220);
  assert.equal((await client.send('NOOP')).code, 250);
  t.mock.timers.tick(3600_000);
  const reply = await client.next();
  assert.deepEqual([reply.code, reply.enhanced], [421, '4.4.2']);
  assert.ok(await client.closedByServer());
  // The log sink's batching timer is mocked too: this tick starts its (asynchronous) write, which
  // then arrives without further ticks (logRow's own timeout, also mocked, never fires).
  t.mock.timers.tick(60_000);
  await f.logRow('smtp.session-limit', (x) => x.limitMs === 3600_000);
});

test('DATA slower than the minimum rate is ended with 421 4.4.2; a fast one is not', async (t) => {
  const f = await smtpFixture(t, { settings: { limits: { minDataBytesPerSecond: 100 } } });
  await standardDomains(f.admin);
  // The rate is judged per 30 s window by an interval timer: mocked, so no test waits.
  t.mock.timers.enable({ apis: ['setInterval'] });
  const open = async (from: string) => {
    const { client } = await f.connect(f.ports.smtp, { from });
    await client.ehlo();
    assert.equal((await client.send('MAIL FROM:<sender@outside.example>')).code, 250);
    assert.equal((await client.send('RCPT TO:<bob@local.example>')).code, 250);
    assert.equal((await client.send('DATA')).code, 354);
    return client;
  };
  const slow = await open('127.0.0.31');
  const fast = await open('127.0.0.32');
  slow.write('Subject: slow\r\n\r\n');
  // 300 KiB: past the in-memory threshold, so the server's spool file shows when it has read them.
  fast.write(`Subject: fast\r\n\r\n${`${'x'.repeat(1022)}\r\n`.repeat(300)}`);
  const spooled = () => readdirSync(join(f.dataDir, 'tmp')).reduce((n, name) => n + statSync(join(f.dataDir, 'tmp', name)).size, 0);
  for (let i = 0; i < 500 && spooled() < 300 * 1024; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  t.mock.timers.tick(30_000);
  const reply = await slow.next();
  assert.deepEqual([reply.code, reply.enhanced], [421, '4.4.2']);
  assert.ok(await slow.closedByServer());
  fast.write('.\r\n');
  assert.equal((await fast.next()).code, 250, 'the fast sender sent 300 KiB in the window, over 30 s x 100 B/s');
});

test('messages per user per hour: refused at MAIL FROM with 450 4.7.1 until the hour has passed', async (t) => {
  const f = await smtpFixture(t, { settings: { limits: { messagesPerUserPerHour: 2 } } });
  await standardDomains(f.admin);
  const { client } = await f.connect(f.ports.submissions, { tls: true });
  await client.ehlo();
  assert.equal((await client.send(`AUTH PLAIN ${plain('alice@local.example', 'alice-password')}`)).code, 235);
  for (const n of [1, 2]) {
    assert.equal((await client.send('MAIL FROM:<alice@local.example>')).code, 250);
    assert.equal((await client.send('RCPT TO:<bob@local.example>')).code, 250);
    assert.equal((await client.data(message(`n${n}`))).code, 250);
  }
  const limited = await client.send('MAIL FROM:<alice@local.example>');
  assert.deepEqual([limited.code, limited.enhanced], [450, '4.7.1']);
  f.clock.advance(3600_001);
  assert.equal((await client.send('MAIL FROM:<alice@local.example>')).code, 250);
});
