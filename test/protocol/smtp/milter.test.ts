// Milters in the SMTP path, through real SMTP: a scripted milter (test/server/milter/fake-milter.ts) on
// loopback is configured in the `milters` setting, a scripted client talks to the MX and submission
// listeners, and the tests check what the milter saw, what the client was answered, and what was
// stored, queued or held.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { MilterSetting } from '../../../server/settings.js';
import { inspectDatabase } from '../../../server/store/db.js';
import { releaseMessage } from '../../../server/delivery/quarantine.js';
import { createRecipientResolver } from '../../../server/delivery/recipients.js';
import { eventually, reply, startFakeMilter, type FakeMilterOptions, type Script } from '../../server/milter/fake-milter.js';
import { message, rcpt, smtpFixture, standardDomains, type SmtpFixture } from './harness.js';

type MilterInput = Partial<MilterSetting> & { name: string; endpoint: string };

async function withMilters(t: TestContext, scripts: FakeMilterOptions[], extra: Partial<MilterSetting> = {}) {
  const milters = await Promise.all(scripts.map((s) => startFakeMilter(s)));
  t.after(() => Promise.all(milters.map((m) => m.close())));
  const settings: MilterInput[] = milters.map((m, i) => ({ name: `m${i}`, endpoint: m.endpoint, timeoutMs: 5000, contentTimeoutMs: 5000, ...extra }));
  const f = await smtpFixture(t, { settings: { milters: settings as MilterSetting[] } });
  await standardDomains(f.admin);
  return { f, milters };
}

/** Replies `answer` to events of `code` and continues everything else. */
const on = (code: string, ...answer: Buffer[]): Script => (e) => (e.code === code ? answer : [reply('c')]);

async function queuedBytes(f: SmtpFixture): Promise<string[]> {
  const rows = await f.ctx.store.queue.list();
  return Promise.all(rows.map(async (r) => (await f.ctx.store.blobs.read(r.blobId)).toString()));
}

test('a milter sees CONNECT, HELO, MAIL, RCPT, DATA, the headers, the body and end of message, with the macros', async (t) => {
  const { f, milters } = await withMilters(t, [{}]);
  const [m] = milters;
  const { client } = await f.connect(f.ports.smtp);
  assert.equal((await rcpt(client, 'x@outside.example', 'bob@local.example')).code, 250);
  assert.equal((await client.data(message('seen by the milter'))).code, 250);
  client.close();
  await eventually(() => m.codes().endsWith('Q'), 'QUIT');
  assert.match(m.codes(), /^OD?CD?HD?MD?RD?T(D?L)+D?ND?BD?EQ$/);
  assert.equal(m.events('C')[0].strings[0], '[127.0.0.9]');
  assert.deepEqual(m.events('H')[0].strings, ['client.example']);
  assert.deepEqual(m.events('M')[0].strings, ['<x@outside.example>']);
  assert.deepEqual(m.events('R')[0].strings, ['<bob@local.example>']);
  const macros = m.events('D').map((d) => d.strings);
  const connect = macros.find((d) => d[0] === 'C')!;
  assert.equal(connect[connect.indexOf('{client_addr}') + 1], '127.0.0.9');
  assert.equal(connect[connect.indexOf('j') + 1], 'mx.local.example');
  const mail = macros.find((d) => d[0] === 'M')!;
  assert.match(mail[mail.indexOf('i') + 1], /^\w+\.1$/, 'the queue id macro is the session id and transaction');
  assert.deepEqual(m.events('L').find((e) => e.strings[0] === 'Subject')?.strings, ['Subject', 'seen by the milter']);
  assert.equal(m.events('B')[0].data.toString(), 'Hello.\r\n');
  assert.equal((await f.inbox('bob@local.example')).length, 1);
});

test('header and body edits reach every stored copy and the queued copy', async (t) => {
  const eom = [
    reply('h', 'X-Spam-Checked', 'yes'),
    reply('m', 1, 'Subject', 'rewritten'),
    reply('i', 0, 'X-Top', 'first'),
    reply('m', 1, 'Date', ''),
    reply('b', Buffer.from('replaced body\n')),
    reply('c'),
  ];
  const { f } = await withMilters(t, [{ script: on('E', ...eom) }]);
  const { client } = await f.connect(f.ports.smtp, { from: '127.0.0.1' });
  assert.equal((await rcpt(client, 'alice@local.example', 'team@local.example')).code, 250);
  assert.equal((await client.send('RCPT TO:<friend@outside.example>')).code, 250);
  assert.equal((await client.data(message('original'))).code, 250);
  const copies = [...(await f.inbox('alice@local.example')), ...(await f.inbox('bob@local.example')), ...(await f.inbox('carol@local.example')), ...(await queuedBytes(f))];
  assert.equal(copies.length, 4);
  for (const copy of copies) {
    const [head, body] = copy.split('\r\n\r\n');
    assert.match(head, /\r\nX-Top: first\r\n/);
    assert.ok(head.indexOf('X-Top: first') < head.indexOf('From: '), 'inserted at the top of the message header');
    assert.match(head, /\r\nSubject: rewritten\r\n/);
    assert.match(head, /\r\nX-Spam-Checked: yes$/);
    assert.doesNotMatch(head, /^Date:/m, 'deleted');
    assert.equal(body, 'replaced body\r\n');
  }
});

test('envelope edits: change from, add and delete recipients', async (t) => {
  const eom = [reply('e', '<bounces@local.example>'), reply('+', '<carol@local.example>'), reply('-', '<bob@local.example>'), reply('+', '<nobody@local.example>'), reply('c')];
  const { f } = await withMilters(t, [{ script: on('E', ...eom) }]);
  const { client } = await f.connect(f.ports.smtp);
  assert.equal((await rcpt(client, 'x@outside.example', 'bob@local.example')).code, 250);
  assert.equal((await client.send('RCPT TO:<alice@local.example>')).code, 250);
  assert.equal((await client.data(message('rerouted'))).code, 250);
  assert.equal((await f.inbox('bob@local.example')).length, 0, 'deleted recipient');
  const [alice] = await f.inbox('alice@local.example');
  const [carol] = await f.inbox('carol@local.example');
  assert.match(alice, /^Return-Path: <bounces@local\.example>\r\n/);
  assert.match(carol, /^Return-Path: <bounces@local\.example>\r\nDelivered-To: carol@local\.example\r\n/);
  await f.logRow('milter.add-recipient-skipped', (x) => x.to === 'nobody@local.example' && x.reason === 'unknown-user');
});

test('refusals at each stage become the SMTP reply of that stage', async (t) => {
  await t.test('reject at CONNECT refuses the connection', async (t) => {
    const { f } = await withMilters(t, [{ script: on('C', reply('r')) }]);
    const { greeting } = await f.connect(f.ports.smtp);
    assert.deepEqual([greeting.code, greeting.enhanced, greeting.text], [550, '5.7.1', 'Command rejected']);
  });
  await t.test('tempfail at HELO answers every MAIL of the connection with 451', async (t) => {
    const { f } = await withMilters(t, [{ script: on('H', reply('t')) }]);
    const { client } = await f.connect(f.ports.smtp);
    const first = await rcpt(client, 'x@outside.example', 'bob@local.example');
    assert.deepEqual([first.code, first.enhanced], [451, '4.7.1']);
    const again = await client.send('MAIL FROM:<y@outside.example>');
    assert.deepEqual([again.code, again.enhanced], [451, '4.7.1']);
  });
  await t.test('a reply code with several lines at MAIL', async (t) => {
    const { f } = await withMilters(t, [{ script: on('M', reply('y', '550-5.7.1 Sender blocked\r\n550 5.7.1 see https://example.org/why')) }]);
    const { client } = await f.connect(f.ports.smtp);
    const refused = await rcpt(client, 'x@outside.example', 'bob@local.example');
    assert.deepEqual([refused.code, refused.enhanced, refused.lines], [550, '5.7.1', ['Sender blocked', 'see https://example.org/why']]);
  });
  await t.test('reject at RCPT refuses that recipient only', async (t) => {
    const { f, milters } = await withMilters(t, [{ script: (e) => (e.code === 'R' && e.strings[0] === '<bob@local.example>' ? [reply('r')] : [reply('c')]) }]);
    const { client } = await f.connect(f.ports.smtp);
    const bob = await rcpt(client, 'x@outside.example', 'bob@local.example');
    assert.deepEqual([bob.code, bob.enhanced], [550, '5.7.1']);
    assert.equal((await client.send('RCPT TO:<alice@local.example>')).code, 250);
    assert.equal((await client.data(message('one of two'))).code, 250);
    assert.equal((await f.inbox('alice@local.example')).length, 1);
    assert.equal((await f.inbox('bob@local.example')).length, 0);
    assert.equal(milters[0].events('R').length, 2);
  });
  await t.test('tempfail at DATA refuses the message after it was sent', async (t) => {
    const { f } = await withMilters(t, [{ script: on('T', reply('t')) }]);
    const { client } = await f.connect(f.ports.smtp);
    assert.equal((await rcpt(client, 'x@outside.example', 'bob@local.example')).code, 250);
    const refused = await client.data(message('not now'));
    assert.deepEqual([refused.code, refused.enhanced], [451, '4.7.1']);
    assert.equal((await f.inbox('bob@local.example')).length, 0);
  });
  await t.test('reject at end of message with the milter text (rspamd GTUBE style)', async (t) => {
    const { f } = await withMilters(t, [{ script: on('E', reply('h', 'X-Spam', 'Yes'), reply('y', '554 5.7.1 Gtube pattern')) }]);
    const { client } = await f.connect(f.ports.smtp);
    assert.equal((await rcpt(client, 'x@outside.example', 'bob@local.example')).code, 250);
    const refused = await client.data(message('spam'));
    assert.deepEqual([refused.code, refused.enhanced, refused.text], [554, '5.7.1', 'Gtube pattern']);
    assert.equal((await f.inbox('bob@local.example')).length, 0);
    const { client: next } = await f.connect(f.ports.smtp);
    assert.equal((await rcpt(next, 'x@outside.example', 'bob@local.example')).code, 250, 'a refused message does not taint the next connection');
  });
  await t.test('421 (shutdown) closes the connection', async (t) => {
    const { f } = await withMilters(t, [{ script: on('M', reply('4')) }]);
    const { client } = await f.connect(f.ports.smtp);
    const refused = await rcpt(client, 'x@outside.example', 'bob@local.example');
    assert.deepEqual([refused.code, refused.enhanced], [421, '4.7.0']);
    await assert.rejects(client.send('NOOP'));
  });
});

test('discard (at end of message, or already at RCPT) answers 250 and keeps nothing', async (t) => {
  for (const stage of ['E', 'R']) {
    const { f } = await withMilters(t, [{ script: on(stage, reply('d')) }]);
    const { client } = await f.connect(f.ports.smtp);
    assert.equal((await rcpt(client, 'x@outside.example', 'bob@local.example')).code, 250);
    const done = await client.data(message(`discarded at ${stage}`));
    assert.deepEqual([done.code, done.text], [250, 'Ok']);
    assert.equal((await f.inbox('bob@local.example')).length, 0);
    await f.logRow('smtp.discarded');
  }
});

test('accept at CONNECT takes the milter out of the way for the connection', async (t) => {
  const { f, milters } = await withMilters(t, [{ script: on('C', reply('a')) }]);
  const { client } = await f.connect(f.ports.smtp);
  assert.equal((await rcpt(client, 'x@outside.example', 'bob@local.example')).code, 250);
  assert.equal((await client.data(message('accepted early'))).code, 250);
  assert.equal((await f.inbox('bob@local.example')).length, 1);
  assert.doesNotMatch(milters[0].codes(), /M/);
});

test('quarantine holds the message (edits applied) until the admin releases it', async (t) => {
  const { f } = await withMilters(t, [{ script: on('E', reply('h', 'X-Held', 'yes'), reply('q', 'suspicious attachment'), reply('c')) }]);
  const { client } = await f.connect(f.ports.smtp);
  assert.equal((await rcpt(client, 'x@outside.example', 'bob@local.example')).code, 250);
  const done = await client.data(message('held'));
  assert.equal(done.code, 250);
  const [held] = await f.ctx.store.quarantine.list();
  assert.equal(done.text, `Ok: queued as ${held.quarantineId}`);
  assert.deepEqual([held.milter, held.reason, held.recipients, held.sender, held.messageId], ['m0', 'suspicious attachment', ['bob@local.example'], 'x@outside.example', '<held@test>']);
  assert.equal((await f.inbox('bob@local.example')).length, 0);
  const rows = inspectDatabase(f.ctx.store).prepare('SELECT refcount FROM blobs').all();
  assert.deepEqual(rows, [{ refcount: 1 }], 'the held row keeps its blob');
  const resolver = createRecipientResolver(f.ctx.store);
  const released = await releaseMessage({ store: f.ctx.store, resolver, bus: f.ctx.bus, log: f.ctx.log, now: f.clock.now() }, held.quarantineId);
  assert.deepEqual(released, { released: true, delivered: ['bob@local.example'], unresolved: [] });
  const [copy] = await f.inbox('bob@local.example');
  assert.match(copy, /^Return-Path: <x@outside\.example>\r\nDelivered-To: bob@local\.example\r\nReceived: from client\.example /);
  assert.match(copy, /\r\nX-Held: yes\r\n/);
  assert.deepEqual(await f.ctx.store.quarantine.list(), []);
  assert.deepEqual((await releaseMessage({ store: f.ctx.store, resolver, bus: f.ctx.bus, log: f.ctx.log, now: f.clock.now() }, held.quarantineId)).released, false);
});

test('a milter that is down follows its default action', async (t) => {
  await t.test('tempfail (the default): 451 and nothing accepted', async (t) => {
    const { f, milters } = await withMilters(t, [{}]);
    await milters[0].close();
    const { greeting } = await f.connect(f.ports.smtp);
    assert.deepEqual([greeting.code, greeting.enhanced], [451, '4.7.1']);
  });
  await t.test('accept: the mail goes through without it', async (t) => {
    const { f, milters } = await withMilters(t, [{}], { defaultAction: 'accept' });
    await milters[0].close();
    const { client } = await f.connect(f.ports.smtp);
    assert.equal((await rcpt(client, 'x@outside.example', 'bob@local.example')).code, 250);
    assert.equal((await client.data(message('milter down'))).code, 250);
    assert.equal((await f.inbox('bob@local.example')).length, 1);
    await f.logRow('milter.failed');
  });
  await t.test('a milter that stops answering times out into its default action', async (t) => {
    const { f } = await withMilters(t, [{ script: (e) => (e.code === 'E' ? [] : [reply('c')]) }], { contentTimeoutMs: 300 });
    const { client } = await f.connect(f.ports.smtp);
    assert.equal((await rcpt(client, 'x@outside.example', 'bob@local.example')).code, 250);
    const refused = await client.data(message('too slow'));
    assert.deepEqual([refused.code, refused.enhanced], [451, '4.7.1']);
  });
});

test('milters apply per listener: an mx-only milter does not see submission', async (t) => {
  const { f, milters } = await withMilters(t, [{ script: on('M', reply('r')) }], { listeners: ['mx'] });
  await f.admin.updateSettings({ allowPlaintextAuthFromTrusted: true });
  const { client } = await f.connect(f.ports.submission, { from: '127.0.0.1' });
  await client.ehlo();
  const auth = await client.send(`AUTH PLAIN ${Buffer.from('\0alice@local.example\0alice-password').toString('base64')}`);
  assert.equal(auth.code, 235);
  assert.equal((await client.send('MAIL FROM:<alice@local.example>')).code, 250);
  assert.equal(milters[0].connections.length, 0);
});

test('the milters setting is validated', async (t) => {
  const f = await smtpFixture(t);
  const bad = [
    [{ name: 'a', endpoint: 'tcp:127.0.0.1:1' }, /inet: or unix:/],
    [{ name: 'a', endpoint: 'inet:127.0.0.1:70000' }, /port from 1 to 65535/],
    [{ name: 'a b', endpoint: 'inet:127.0.0.1:1' }, /milter name/],
    [{ name: 'a', endpoint: 'unix:/x', listeners: [] }, /at least one listener/],
    [{ name: 'a', endpoint: 'unix:/x', defaultAction: 'maybe' }, /tempfail or accept/],
  ] as const;
  for (const [milter, message] of bad) await assert.rejects(f.admin.updateSettings({ milters: [milter as unknown as MilterSetting] }), message);
  await assert.rejects(f.admin.updateSettings({ milters: [{ name: 'a', endpoint: 'unix:/x' }, { name: 'A', endpoint: 'unix:/y' }] as MilterSetting[] }), /share a name/);
  const ok = await f.admin.updateSettings({ milters: [{ name: 'rspamd', endpoint: 'inet:127.0.0.1:11332' }] as MilterSetting[] });
  assert.deepEqual(ok.milters, [{ name: 'rspamd', endpoint: 'inet:127.0.0.1:11332', listeners: ['mx', 'submission'], timeoutMs: 30000, contentTimeoutMs: 300000, defaultAction: 'tempfail' }]);
});
