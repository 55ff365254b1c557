import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addRule, message, rcpt, smtpFixture, standardDomains } from './harness.js';

test('refuses the classic relay tricks for hosted domains, whatever their case, and relays nothing', async (t) => {
  const f = await smtpFixture(t, { settings: { limits: { hardErrorLimit: 50 } } });
  await standardDomains(f.admin);
  const cases: Array<[string, number, string]> = [
    ['user%other.example@local.example', 550, '5.7.1'],
    ['other.example!user@local.example', 550, '5.7.1'],
    ['user%other.example@catch.example', 550, '5.7.1'], // not swallowed by the catch-all either
    ['user%other.example@LOCAL.EXAMPLE', 550, '5.7.1'],
    ['OTHER.EXAMPLE!user@Local.Example', 550, '5.7.1'],
    ['"user@other.example"@local.example', 501, '5.1.3'],
    ['@local.example:user@other.example', 554, '5.7.1'], // source route stripped: plain relay
    ['@LOCAL.EXAMPLE,@mx.local.example:user@other.example', 554, '5.7.1'],
    ['victim@OTHER.EXAMPLE', 554, '5.7.1'],
    ['victim@other.example.', 501, '5.1.3'],
    ['user%other.example@local.example.', 501, '5.1.3'],
  ];
  const { client } = await f.connect(f.ports.smtp);
  await client.ehlo();
  assert.equal((await client.send('MAIL FROM:<probe@outside.example>')).code, 250);
  for (const [address, code, enhanced] of cases) {
    const r = await client.send(`RCPT TO:<${address}>`);
    assert.deepEqual([address, r.code, r.enhanced], [address, code, enhanced], r.text);
  }
  assert.equal((await client.send('RCPT TO:<bob@LOCAL.EXAMPLE>')).code, 250, 'an upper-case hosted domain is still local');
  assert.equal((await client.data(message('tricks'))).code, 250);
  assert.equal(await f.ctx.store.queue.count(), 0);
  assert.equal((await f.inbox('dave@catch.example')).length, 0);
  assert.equal((await f.inbox('bob@local.example')).length, 1);
});

test('relays for a trusted network with relay permission and for the host itself, not for other ranges', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  await f.admin.addNetwork({ cidr: '127.0.0.10/32', description: 'office scanner', relay: true });
  await f.admin.addNetwork({ cidr: '127.0.0.11/32', description: 'LAN without relay', relay: false });
  const expired = await f.admin.addNetwork({ cidr: '127.0.0.12/32', relay: true, expiresAt: f.clock.now() - 1 });
  assert.equal(expired.expired, true);

  for (const [from, code] of [['127.0.0.10', 250], ['127.0.0.1', 250], ['127.0.0.11', 554], ['127.0.0.12', 554], ['127.0.0.9', 554]] as const) {
    const { client } = await f.connect(f.ports.smtp, { from });
    const r = await rcpt(client, 'scanner@local.example', 'someone@remote.example');
    assert.equal(r.code, code, `${from}: ${r.text}`);
    if (code === 250) assert.equal((await client.data(message(`scan ${from}`))).code, 250);
  }
  const queued = await f.ctx.store.queue.list();
  assert.equal(queued.length, 2);
  assert.ok(queued.every((q) => q.recipient === 'someone@remote.example' && q.sender === 'scanner@local.example'));
});

test('a connect rule blocks an IP range; a trusted range without SMTP permission is refused too', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  await addRule(f, { stage: 'connect', match: { ip: ['127.0.0.16/30'] }, action: 'reject', replyText: 'Your network is blocked', description: 'bad range' });
  await f.admin.addNetwork({ cidr: '127.0.0.20/32', allowSmtp: false, allowImap: true });
  const blocked = await f.connect(f.ports.smtp, { from: '127.0.0.17' });
  assert.equal(blocked.greeting.code, 554);
  assert.equal(blocked.greeting.text, 'Your network is blocked');
  assert.ok(await blocked.client.closedByServer());
  const noSmtp = await f.connect(f.ports.submission, { from: '127.0.0.20' });
  assert.equal(noSmtp.greeting.code, 554);
  assert.match(noSmtp.greeting.text, /not allowed from your network/);
  const fine = await f.connect(f.ports.smtp, { from: '127.0.0.21' });
  assert.equal(fine.greeting.code, 220);
  const row = await f.logRow('policy.decision', (x) => x.stage === 'connect');
  assert.equal(row.fields.rule, 'bad range');
  assert.equal(row.fields.action, 'reject');
});

test('rules at mail-from, rcpt-to and data refuse with their own codes; allow never opens the relay', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  await addRule(f, { stage: 'mail-from', match: { sender: ['spam.example'] }, action: 'reject', replyCode: 550, replyText: 'Sender domain blocked' });
  await addRule(f, { stage: 'rcpt-to', match: { recipient: ['denied.example'] }, action: 'reject' });
  await addRule(f, { stage: 'rcpt-to', match: { recipient: ['carol@local.example'] }, action: 'defer' });
  await addRule(f, { stage: 'rcpt-to', match: { recipient: ['open.example'] }, action: 'allow', description: 'tries to open a relay' });
  await addRule(f, { stage: 'data', match: { sender: ['<>'] }, action: 'reject', replyText: 'No bounces here' });

  const { client } = await f.connect(f.ports.smtp, { from: '127.0.0.1' }); // trusted, may relay
  await client.ehlo();
  const spam = await client.send('MAIL FROM:<x@SPAM.example>');
  assert.deepEqual([spam.code, spam.enhanced, spam.text], [550, '5.7.1', 'Sender domain blocked']);
  assert.equal((await client.send('MAIL FROM:<ok@local.example>')).code, 250);
  const denied = await client.send('RCPT TO:<anyone@denied.example>');
  assert.deepEqual([denied.code, denied.enhanced], [554, '5.7.1']);
  assert.match(denied.text, /Rejected by access rule #\d+/);
  const deferred = await client.send('RCPT TO:<carol@local.example>');
  assert.deepEqual([deferred.code, deferred.enhanced], [450, '4.7.1']);
  client.close();

  const untrusted = (await f.connect(f.ports.smtp)).client;
  const open = await rcpt(untrusted, 'x@outside.example', 'victim@open.example');
  assert.deepEqual([open.code, open.enhanced], [554, '5.7.1'], 'allow does not bypass the built-in relay check');
  await untrusted.send('RSET');
  await untrusted.send('MAIL FROM:<>');
  assert.equal((await untrusted.send('RCPT TO:<alice@local.example>')).code, 250);
  const bounce = await untrusted.data(message('bounce'));
  assert.deepEqual([bounce.code, bounce.enhanced, bounce.text], [554, '5.7.1', 'No bounces here']);
  assert.equal((await f.inbox('alice@local.example')).length, 0);
});

test('require-auth at rcpt-to refuses anonymous senders, accepts authenticated ones', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  await addRule(f, { stage: 'rcpt-to', match: { recipient: ['bob@local.example'] }, action: 'require-auth', description: 'internal only' });
  const { client } = await f.connect(f.ports.smtp);
  const anonymous = await rcpt(client, 'x@outside.example', 'bob@local.example');
  assert.deepEqual([anonymous.code, anonymous.enhanced], [530, '5.7.0']);
  assert.equal((await client.send('RCPT TO:<alice@local.example>')).code, 250);
});

test('a DNSBL rule asks the server resolver (the configured DNS servers), and only listed clients are refused', async (t) => {
  // No `dnsbl` override: the listeners' own lookup, which must go to the context's resolver (the fake DNS).
  const f = await smtpFixture(t, { listener: { dnsbl: undefined }, dns: { '17.0.0.127.bl.example': { A: ['127.0.0.2'] } } });
  await standardDomains(f.admin);
  await addRule(f, { stage: 'connect', match: { dnsbl: ['bl.example'] }, action: 'reject', replyText: 'Listed at bl.example', description: 'dnsbl' });
  const listed = await f.connect(f.ports.smtp, { from: '127.0.0.17' });
  assert.equal(listed.greeting.code, 554);
  assert.equal(listed.greeting.text, 'Listed at bl.example');
  const clean = await f.connect(f.ports.smtp, { from: '127.0.0.21' });
  assert.equal(clean.greeting.code, 220);
  assert.ok(f.dns.queries.some((q) => q.name === '17.0.0.127.bl.example' && q.type === 'A'));
  assert.ok(f.dns.queries.some((q) => q.name === '21.0.0.127.bl.example' && q.type === 'A'));
});
