import { test } from 'node:test';
import assert from 'node:assert/strict';
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
