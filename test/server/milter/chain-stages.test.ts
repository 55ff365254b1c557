// The chain against scripted milters on real sockets: what goes on the wire per SMTP stage, and how
// each milter reply becomes a verdict.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createMilterChain, type MilterDefinition, type MilterSession } from '../../../server/milter/index.js';
import { eventually, reply, startFakeMilter, type FakeMilter, type FakeMilterOptions } from './fake-milter.js';

const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } };
const CLIENT = { hostname: 'client.example', address: '192.0.2.7', port: 40000 };
const MESSAGE = Buffer.from('From: a@example.org\r\nSubject:  two spaces\r\n\r\nHello\r\n');

const started: FakeMilter[] = [];
const sessions: MilterSession[] = [];
after(async () => {
  for (const s of sessions) s.quit();
  await Promise.all(started.map((m) => m.close()));
});

async function milter(options: FakeMilterOptions = {}): Promise<FakeMilter> {
  const m = await startFakeMilter(options);
  started.push(m);
  return m;
}

function session(milters: FakeMilter[], extra: Partial<MilterDefinition> = {}): MilterSession {
  const chain = createMilterChain(
    { hostname: 'mx.example', milters: milters.map((m, i) => ({ name: `m${i}`, endpoint: m.endpoint, ...extra })) },
    { log: silent },
  );
  const s = chain.open();
  sessions.push(s);
  return s;
}

/** Runs a whole transaction; returns the message verdict. */
async function transaction(s: MilterSession, message = MESSAGE) {
  assert.deepEqual(await s.connect(CLIENT), { action: 'continue' });
  assert.deepEqual(await s.helo('client.example'), { action: 'continue' });
  assert.deepEqual(await s.mail('a@example.org', ['SIZE=60'], { i: 'Q1', auth_authen: 'alice' }), { action: 'continue' });
  assert.deepEqual(await s.rcpt('b@example.com'), { action: 'continue' });
  assert.deepEqual(await s.data(), { action: 'continue' });
  return s.message(message);
}

describe('milter chain: what each stage sends', () => {
  it('negotiates version 6 with every action, then sends macros and events in SMTP order (TCP)', async () => {
    const m = await milter();
    const s = session([m]);
    const verdict = await transaction(s);
    assert.equal(verdict.action, 'continue');
    s.quit();
    await eventually(() => m.codes().endsWith('Q'), 'QUIT');
    // Like Postfix, the end-of-header macros go before each header and the end-of-message ones before each body chunk.
    assert.equal(m.codes(), 'ODCHDMDRDTDLDLDNDBDEQ');
    const [optneg] = m.events('O');
    assert.equal(optneg.data.toString('hex'), '00000006000001ff001ff7ff');
    const [connectMacros, mailMacros, rcptMacros, ...perEvent] = m.events('D').map((d) => d.strings);
    assert.deepEqual(connectMacros, ['C', 'j', 'mx.example', '{daemon_name}', 'mx.example', 'v', 'Mailroom', '_', 'client.example [192.0.2.7]', '{client_addr}', '192.0.2.7', '{client_name}', 'client.example', '{client_port}', '40000']);
    assert.deepEqual(mailMacros, ['M', 'i', 'Q1', '{auth_authen}', 'alice', '{mail_addr}', 'a@example.org']);
    assert.deepEqual(rcptMacros, ['R', 'i', 'Q1', '{rcpt_addr}', 'b@example.com']);
    assert.deepEqual(perEvent, ['T', 'L', 'L', 'N', 'B', 'E'].map((code) => [code, 'i', 'Q1']));
    assert.deepEqual([...m.events('C')[0].data], [...Buffer.from('client.example\x004'), 0x9c, 0x40, ...Buffer.from('192.0.2.7\0')]);
    assert.deepEqual(m.events('H')[0].strings, ['client.example']);
    assert.deepEqual(m.events('M')[0].strings, ['<a@example.org>', 'SIZE=60']);
    assert.deepEqual(m.events('R')[0].strings, ['<b@example.com>']);
    assert.deepEqual(m.events('L').map((e) => e.strings), [['From', 'a@example.org'], ['Subject', ' two spaces']]);
    assert.deepEqual(m.events('B')[0].data.toString(), 'Hello\r\n');
  });

  it('speaks the same over a Unix socket', async () => {
    const m = await milter({ unix: true });
    const s = session([m]);
    assert.equal((await transaction(s)).action, 'continue');
    assert.match(m.codes(), /^OD?C.*E$/);
  });

  it('sends the body in chunks of at most 65535 bytes', async () => {
    const m = await milter();
    const body = Buffer.alloc(150000, 'x');
    await transaction(session([m]), Buffer.concat([Buffer.from('A: 1\r\n\r\n'), body]));
    assert.deepEqual(m.events('B').map((b) => b.data.length), [65535, 65535, 18930]);
  });

  it('sends only the macros a milter asked for with SETSYMLIST', async () => {
    const symlist = Buffer.concat([Buffer.from([0, 0, 0, 2]), Buffer.from('{auth_authen}\0')]);
    const m = await milter({ negotiationExtra: symlist });
    await transaction(session([m]));
    assert.deepEqual(m.events('D').find((d) => d.strings[0] === 'M')?.strings, ['M', '{auth_authen}', 'alice']);
  });

  it('honours no-* flags (events not sent, macros still sent) and a leading-space request', async () => {
    const m = await milter({ protocol: (1 << 1) | (1 << 9) | (1 << 4) | (1 << 20) });
    const s = session([m]);
    await s.connect(CLIENT);
    await s.helo('client.example', { tls_version: 'TLSv1.3' });
    await s.mail('a@example.org');
    await s.data();
    await s.message(MESSAGE);
    assert.equal(m.codes(), 'ODCDDMLLNE');
    assert.deepEqual(m.events('D')[1].strings, ['H', '{tls_version}', 'TLSv1.3']);
    assert.deepEqual(m.events('L').map((e) => e.strings[1]), [' a@example.org', '  two spaces']);
  });

  it('does not wait for replies the milter negotiated away (rspamd answers only at end of message)', async () => {
    const noReplies = (0x7f << 12) | (1 << 7) | (1 << 19);
    const m = await milter({ protocol: noReplies, script: (e) => (e.code === 'E' ? [reply('h', 'X-Seen', 'yes'), reply('a')] : []) });
    const verdict = await transaction(session([m]));
    assert.equal(verdict.action, 'continue');
    assert.match(verdict.action === 'continue' ? verdict.message.toString() : '', /X-Seen: yes\r\n\r\nHello/);
  });

  it('leaves out DATA and unknown commands for a version 2 milter', async () => {
    const m = await milter({ version: 2 });
    const s = session([m]);
    await s.connect(CLIENT);
    await s.mail('a@example.org');
    assert.deepEqual(await s.unknown('XFOO'), { action: 'continue' });
    assert.deepEqual(await s.data(), { action: 'continue' });
    await s.message(MESSAGE);
    assert.doesNotMatch(m.codes(), /[TU]/);
  });

  it('sends an unknown SMTP command to a version 6 milter and takes its refusal', async () => {
    const m = await milter({ script: (e) => [reply(e.code === 'U' ? 'r' : 'c')] });
    const s = session([m]);
    await s.connect(CLIENT);
    await s.mail('a@example.org');
    assert.equal((await s.unknown('XFOO bar')).action, 'reject');
    assert.deepEqual(m.events('U')[0].strings, ['XFOO bar']);
  });

  it('sends ABORT on abort() and before a second MAIL in the same transaction', async () => {
    const m = await milter();
    const s = session([m]);
    await s.connect(CLIENT);
    await s.mail('a@example.org');
    s.abort();
    await s.mail('b@example.org');
    await s.mail('c@example.org');
    assert.equal(m.codes().replace(/D/g, ''), 'OCMAMAM');
  });
});

describe('milter chain: replies become verdicts', () => {
  it('rejects one recipient and goes on with the next', async () => {
    const m = await milter({ unix: true, script: (e) => [reply(e.code === 'R' && e.strings[0] === '<spam@example.com>' ? 'r' : 'c')] });
    const s = session([m]);
    await s.connect(CLIENT);
    await s.mail('a@example.org');
    const refused = await s.rcpt('spam@example.com');
    assert.equal(refused.action, 'reject');
    assert.equal(refused.action === 'reject' && `${refused.reply.code} ${refused.reply.enhanced} ${refused.reply.text}`, '550 5.7.1 Command rejected');
    assert.deepEqual(await s.rcpt('b@example.com'), { action: 'continue' });
  });

  it('turns a multi-line SMFIR_REPLYCODE into the reply and its lines', async () => {
    const m = await milter({ script: (e) => [e.code === 'M' ? reply('y', '550-5.7.1 Sender blocked\r\n550 5.7.1 see the log') : reply('c')] });
    const s = session([m]);
    await s.connect(CLIENT);
    const verdict = await s.mail('a@example.org');
    assert.deepEqual(verdict.action === 'reject' && [verdict.reply.code, verdict.reply.enhanced, verdict.lines, verdict.milter], [550, '5.7.1', ['Sender blocked', 'see the log'], 'm0']);
  });

  it('keeps a tempfail at CONNECT for the whole connection without asking the milter again', async () => {
    const m = await milter({ script: (e) => [reply(e.code === 'C' ? 't' : 'c')] });
    const s = session([m]);
    const first = await s.connect(CLIENT);
    assert.equal(first.action === 'tempfail' && `${first.reply.code} ${first.reply.enhanced}`, '451 4.7.1');
    assert.deepEqual(await s.helo('x'), first);
    assert.deepEqual(await s.mail('a@example.org'), first);
    assert.deepEqual(await s.message(MESSAGE), first);
    assert.doesNotMatch(m.codes(), /[HM]/);
  });

  it('silences a milter that accepts at CONNECT while the next milter still sees everything', async () => {
    const first = await milter({ script: () => [reply('a')] });
    const second = await milter();
    assert.equal((await transaction(session([first, second]))).action, 'continue');
    assert.doesNotMatch(first.codes(), /[HMRTLE]/);
    assert.match(second.codes(), /H.*M.*R.*T.*L.*E/);
  });

  it('skips the rest of a message the milter accepted at MAIL, and hears the next transaction', async () => {
    let accepted = false;
    const m = await milter({ script: (e) => [reply(e.code === 'M' && !accepted && (accepted = true) ? 'a' : 'c')] });
    const s = session([m]);
    await s.connect(CLIENT);
    await s.mail('a@example.org');
    await s.rcpt('b@example.com');
    assert.equal((await s.message(MESSAGE)).action, 'continue');
    await s.mail('c@example.org');
    await s.rcpt('d@example.com');
    assert.equal(m.codes().replace(/D/g, ''), 'OCMMR');
  });

  it('discards at RCPT', async () => {
    const m = await milter({ script: (e) => [reply(e.code === 'R' ? 'd' : 'c')] });
    const s = session([m]);
    await s.connect(CLIENT);
    await s.mail('a@example.org');
    assert.deepEqual(await s.rcpt('b@example.com'), { action: 'discard', milter: 'm0' });
  });

  it('ignores DISCARD at CONNECT (it has no message to drop), as Postfix does', async () => {
    const m = await milter({ script: (e) => [reply(e.code === 'C' ? 'd' : 'c')] });
    const s = session([m]);
    assert.deepEqual(await s.connect(CLIENT), { action: 'continue' });
    assert.deepEqual(await s.helo('x'), { action: 'continue' });
    assert.match(m.codes(), /H/);
  });

  it('answers 421 and asks to disconnect on SMFIR_SHUTDOWN', async () => {
    const m = await milter({ script: (e) => [reply(e.code === 'H' ? '4' : 'c')] });
    const s = session([m]);
    await s.connect(CLIENT);
    const verdict = await s.helo('x');
    assert.deepEqual(verdict.action === 'tempfail' && [verdict.reply.code, verdict.disconnect], [421, true]);
  });

  it('collects end-of-message modifications, progress and quarantine, and applies them', async () => {
    const eom = [
      reply('p'),
      reply('h', 'X-Spam', 'Yes'),
      reply('m', 1, 'Subject', 'rewritten'),
      reply('i', 0, 'X-Top', 'first'),
      reply('e', '<bounce@example.org>'),
      reply('+', '<archive@example.org>'),
      reply('-', '<b@example.com>'),
      reply('b', Buffer.from('replaced ')),
      reply('b', Buffer.from('body\r\n')),
      reply('p'),
      reply('q', 'looks like spam'),
      reply('c'),
    ];
    const m = await milter({ script: (e) => (e.code === 'E' ? eom : [reply('c')]) });
    const verdict = await transaction(session([m]));
    assert.equal(verdict.action, 'continue');
    if (verdict.action !== 'continue') return;
    assert.equal(verdict.message.toString(), 'X-Top: first\r\nFrom: a@example.org\r\nSubject: rewritten\r\nX-Spam: Yes\r\n\r\nreplaced body\r\n');
    assert.deepEqual(verdict.quarantine, { milter: 'm0', reason: 'looks like spam' });
    assert.deepEqual(
      verdict.modifications.filter((x) => !x.kind.endsWith('header') && x.kind !== 'replace-body'),
      [
        { kind: 'change-from', sender: '<bounce@example.org>', args: null, milter: 'm0' },
        { kind: 'add-recipient', recipient: '<archive@example.org>', args: null, milter: 'm0' },
        { kind: 'delete-recipient', recipient: '<b@example.com>', milter: 'm0' },
      ],
    );
  });

  it('drops the modifications when the milter rejects at end of message', async () => {
    const m = await milter({ script: (e) => (e.code === 'E' ? [reply('h', 'X-A', 'b'), reply('y', '554 5.7.1 Gtube pattern')] : [reply('c')]) });
    const verdict = await transaction(session([m]));
    assert.deepEqual(verdict.action === 'reject' && [verdict.reply.code, verdict.reply.text], [554, 'Gtube pattern']);
  });

  it('stops sending body chunks after SMFIR_SKIP and goes on to end of message', async () => {
    const m = await milter({ script: (e) => [reply(e.code === 'B' ? 's' : 'c')] });
    await transaction(session([m]), Buffer.concat([Buffer.from('A: 1\r\n\r\n'), Buffer.alloc(200000, 'y')]));
    assert.equal(m.events('B').length, 1);
    assert.match(m.codes(), /BDE$/);
  });

  it('lets each milter see the message as the ones before it left it', async () => {
    const first = await milter({ script: (e) => (e.code === 'E' ? [reply('h', 'X-First', 'was here'), reply('c')] : [reply('c')]) });
    const second = await milter({ script: (e) => (e.code === 'E' ? [reply('m', 1, 'X-First', 'edited'), reply('c')] : [reply('c')]) });
    const verdict = await transaction(session([first, second]));
    assert.ok(second.events('L').some((e) => e.strings[0] === 'X-First' && e.strings[1] === 'was here'));
    assert.match(verdict.action === 'continue' ? verdict.message.toString() : '', /X-First: edited\r\n\r\n/);
    assert.deepEqual(verdict.action === 'continue' && verdict.modifications.map((x) => x.milter), ['m0', 'm1']);
  });

  it('does not show a recipient the first milter rejected to the second', async () => {
    const first = await milter({ script: (e) => [reply(e.code === 'R' ? 'r' : 'c')] });
    const second = await milter();
    const s = session([first, second]);
    await s.connect(CLIENT);
    await s.mail('a@example.org');
    assert.equal((await s.rcpt('b@example.com')).action, 'reject');
    assert.equal(second.events('R').length, 0);
  });
});
