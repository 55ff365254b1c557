import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plain } from './client.js';
import { message, smtpFixture, standardDomains } from './harness.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('submissions (465): implicit TLS, AUTH LOGIN, Received header shows TLS and the authenticated sender', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const { client, greeting } = await f.connect(f.ports.submissions, { tls: true });
  assert.equal(greeting.code, 220);
  const { extensions } = await client.ehlo();
  assert.equal(extensions.get('AUTH'), 'PLAIN LOGIN');
  assert.equal(extensions.has('STARTTLS'), false);
  assert.equal((await client.send('AUTH LOGIN')).code, 334);
  assert.equal((await client.send(b64('alice@local.example'))).code, 334);
  const ok = await client.send(b64('alice-password'));
  assert.deepEqual([ok.code, ok.enhanced], [235, '2.7.0']);
  assert.equal((await client.send('MAIL FROM:<alice@local.example>')).code, 250);
  assert.equal((await client.send('RCPT TO:<bob@local.example>')).code, 250);
  assert.equal((await client.data(message('tls'))).code, 250);
  const [stored] = await f.inbox('bob@local.example');
  assert.match(stored, /\r\n\t\(using TLSv1\.[23] with cipher [A-Z0-9_-]+\)\r\n\t\(Authenticated sender: alice@local\.example\)\r\n\tby mx\.local\.example \(Mailroom\) with ESMTPSA id /);
});

test('AUTH before TLS only where allowed: the host itself, or a trusted range when the setting allows it', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  await f.admin.addNetwork({ cidr: '127.0.0.40/32', description: 'old printers' });
  const authOffered = async (from: string) => (await (await f.connect(f.ports.submission, { from })).client.ehlo()).extensions.has('AUTH');
  assert.equal(await authOffered('127.0.0.1'), true, 'loopback is trusted and needs no TLS');
  assert.equal(await authOffered('127.0.0.9'), false);
  assert.equal(await authOffered('127.0.0.40'), false, 'a trusted range requires TLS for AUTH by default');
  const { client } = await f.connect(f.ports.submission, { from: '127.0.0.9' });
  await client.ehlo();
  const refused = await client.send(`AUTH PLAIN ${plain('alice@local.example', 'alice-password')}`);
  assert.equal(refused.code >= 500, true);
  await f.admin.updateSettings({ allowPlaintextAuthFromTrusted: true });
  assert.equal(await authOffered('127.0.0.40'), true);
  assert.equal(await authOffered('127.0.0.9'), false, 'never for untrusted clients');
});

test('disabled account is refused at AUTH', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  await f.admin.updateAccount({ address: 'carol@local.example', active: false });
  const { client } = await f.connect(f.ports.submissions, { tls: true });
  await client.ehlo();
  const r = await client.send(`AUTH PLAIN ${plain('carol@local.example', 'carol-password')}`);
  assert.deepEqual([r.code, r.enhanced], [535, '5.7.8']);
  assert.match(r.text, /disabled/);
});

test('repeated bad passwords: the address is throttled, then banned with 454 4.7.0 even for the right password; logged; the owner is not locked out', async (t) => {
  const f = await smtpFixture(t, { throttle: { delayAfter: 2, blockAfter: 4 }, settings: { limits: { hardErrorLimit: 20 } } });
  await standardDomains(f.admin);
  const { client } = await f.connect(f.ports.submissions, { tls: true });
  await client.ehlo();
  for (let i = 0; i < 4; i++) {
    const r = await client.send(`AUTH PLAIN ${plain('alice@local.example', `guess${i}`)}`);
    assert.deepEqual([r.code, r.enhanced], [535, '5.7.8']);
  }
  const blocked = await client.send(`AUTH PLAIN ${plain('alice@local.example', 'alice-password')}`);
  assert.deepEqual([blocked.code, blocked.enhanced], [454, '4.7.0']);
  const other = (await f.connect(f.ports.submissions, { tls: true, from: '127.0.0.41' })).client;
  await other.ehlo();
  assert.equal((await other.send(`AUTH PLAIN ${plain('alice@local.example', 'alice-password')}`)).code, 235, 'the owner from a clean address is not locked out');
  await f.logRow('auth.block');
  const failure = await f.logRow('smtp.auth', (x) => x.ok === false && x.reason === 'blocked');
  assert.ok(failure.sessionId);
  f.clock.advance(15 * 60_000 + 1);
  const later = (await f.connect(f.ports.submissions, { tls: true })).client;
  await later.ehlo();
  assert.equal((await later.send(`AUTH PLAIN ${plain('bob@local.example', 'bob-password')}`)).code, 235, 'the ban ends');
});

test('sender ownership on submission: own address and own aliases only, unless the admin allows any', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const { client } = await f.connect(f.ports.submissions, { tls: true });
  await client.ehlo();
  assert.equal((await client.send(`AUTH PLAIN ${plain('alice@local.example', 'alice-password')}`)).code, 235);
  const notOwned = await client.send('MAIL FROM:<bob@local.example>');
  assert.deepEqual([notOwned.code, notOwned.enhanced], [553, '5.7.1']);
  const foreign = await client.send('MAIL FROM:<ceo@bank.example>');
  assert.equal(foreign.code, 553);
  assert.equal((await client.send('MAIL FROM:<dave-lookalike@catch.example>')).code, 553, 'a catch-all does not make addresses owned');
  assert.equal((await client.send('MAIL FROM:<ALICE@local.example>')).code, 250);
  await client.send('RSET');
  assert.equal((await client.send('MAIL FROM:<alias-of-alice@local.example>')).code, 250);
  await client.send('RSET');
  assert.equal((await client.send('MAIL FROM:<team@local.example>')).code, 250, 'a list alice is on');
  await client.send('RSET');
  assert.equal((await client.send('MAIL FROM:<>')).code, 553, 'the null sender is for bounces, not for users');
  await client.send('RSET');
  await f.admin.updateSettings({ enforceSenderOwnership: false });
  const { client: relaxed } = await f.connect(f.ports.submissions, { tls: true });
  await relaxed.ehlo();
  await relaxed.send(`AUTH PLAIN ${plain('alice@local.example', 'alice-password')}`);
  assert.equal((await relaxed.send('MAIL FROM:<bob@local.example>')).code, 250);
});
