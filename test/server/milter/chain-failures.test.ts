// A milter that is down, slow, or breaks the protocol: its default action decides, once, and it is
// left alone for the rest of the connection. Bad configuration is refused when the chain is made.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { createMilterChain, MilterConfigError, type MilterDefinition } from '../../../server/milter/index.js';
import { reply, startFakeMilter, type FakeMilter, type FakeMilterOptions } from './fake-milter.js';

const CLIENT = { hostname: null, address: '2001:db8::7', port: 40001 };
const MESSAGE = Buffer.from('Subject: hi\r\n\r\nbody\r\n');

interface Logged {
  event: string;
  fields: Record<string, unknown>;
}

function recordingLog(into: Logged[]) {
  const log = {
    debug() {},
    info() {},
    warn(event: string, fields: Record<string, unknown> = {}) {
      into.push({ event, fields });
    },
    error() {},
    child() {
      return log;
    },
  };
  return log;
}

const started: FakeMilter[] = [];
after(() => Promise.all(started.map((m) => m.close())));

async function milter(options: FakeMilterOptions): Promise<FakeMilter> {
  const m = await startFakeMilter(options);
  started.push(m);
  return m;
}

/** A TCP endpoint where nothing listens any more. */
async function deadEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no address');
  return `inet:127.0.0.1:${address.port}`;
}

function open(definitions: MilterDefinition[], logged: Logged[] = []) {
  return createMilterChain({ hostname: 'mx.example', milters: definitions }, { log: recordingLog(logged) }).open();
}

const describeVerdict = (v: { action: string; reply?: { code: number; enhanced: string } }) => (v.reply ? `${v.action} ${v.reply.code} ${v.reply.enhanced}` : v.action);

describe('milter default action', () => {
  const cases: [MilterDefinition['defaultAction'], string][] = [
    ['tempfail', 'tempfail 451 4.7.1'],
    ['reject', 'reject 550 5.5.0'],
    ['accept', 'continue'],
  ];
  for (const [defaultAction, expected] of cases) {
    it(`answers every stage with ${expected} when the milter is down and the default is ${defaultAction}`, async () => {
      const logged: Logged[] = [];
      const s = open([{ name: 'down', endpoint: await deadEndpoint(), defaultAction }], logged);
      assert.equal(describeVerdict(await s.connect(CLIENT)), expected);
      assert.equal(describeVerdict(await s.helo('x')), expected);
      assert.equal(describeVerdict(await s.mail('a@example.org')), expected);
      const message = await s.message(MESSAGE);
      assert.equal(describeVerdict(message), expected);
      if (message.action === 'continue') assert.equal(message.message, MESSAGE);
      assert.equal(logged.length, 1);
      assert.equal(logged[0].event, 'milter.failed');
      assert.match(String(logged[0].fields.error), /cannot connect/);
      s.quit();
    });
  }

  it('defaults to tempfail when no default action is configured', async () => {
    const s = open([{ name: 'down', endpoint: await deadEndpoint() }]);
    assert.equal(describeVerdict(await s.connect(CLIENT)), 'tempfail 451 4.7.1');
  });

  it('applies the default action when the milter does not answer within the command timeout, then leaves it alone', async () => {
    const logged: Logged[] = [];
    const m = await milter({ script: (e) => (e.code === 'M' ? [] : [reply('c')]) });
    const s = open([{ name: 'slow', endpoint: m.endpoint, commandTimeoutMs: 100 }], logged);
    assert.equal(describeVerdict(await s.connect(CLIENT)), 'continue');
    assert.equal(describeVerdict(await s.mail('a@example.org')), 'tempfail 451 4.7.1');
    assert.match(String(logged[0].fields.error), /did not answer within 100 ms/);
    assert.equal(describeVerdict(await s.rcpt('b@example.com')), 'tempfail 451 4.7.1');
    assert.doesNotMatch(m.codes(), /R/);
  });

  it('applies the content timeout to end of message', async () => {
    const m = await milter({ script: (e) => (e.code === 'E' ? [] : [reply('c')]) });
    const s = open([{ name: 'slow', endpoint: m.endpoint, contentTimeoutMs: 100, defaultAction: 'reject' }]);
    await s.connect(CLIENT);
    await s.mail('a@example.org');
    assert.equal(describeVerdict(await s.message(MESSAGE)), 'reject 550 5.5.0');
  });

  it('keeps waiting at end of message while the milter sends SMFIR_PROGRESS within each content timeout', async () => {
    // Eight pauses of 150 ms take well over the 500 ms timeout; each progress packet restarts it.
    const progress = Array.from({ length: 7 }, () => reply('p'));
    const m = await milter({ script: (e) => (e.code === 'E' ? { paced: [...progress, reply('h', 'X-Slow', 'done'), reply('c')], everyMs: 150 } : [reply('c')]) });
    const s = open([{ name: 'slow', endpoint: m.endpoint, contentTimeoutMs: 500 }]);
    await s.connect(CLIENT);
    await s.mail('a@example.org');
    const verdict = await s.message(MESSAGE);
    assert.match(verdict.action === 'continue' ? verdict.message.toString() : describeVerdict(verdict), /X-Slow: done/);
  });

  it('skips a milter that hangs up (default accept) while the next milter keeps working', async () => {
    const broken = await milter({ script: (e) => (e.code === 'R' ? 'close' : [reply('c')]) });
    const healthy = await milter({ script: (e) => [reply(e.code === 'R' ? 'r' : 'c')] });
    const s = open([
      { name: 'broken', endpoint: broken.endpoint, defaultAction: 'accept' },
      { name: 'healthy', endpoint: healthy.endpoint },
    ]);
    await s.connect(CLIENT);
    await s.mail('a@example.org');
    assert.equal(describeVerdict(await s.rcpt('b@example.com')), 'reject 550 5.7.1');
    assert.equal(healthy.events('R').length, 1);
    assert.equal(describeVerdict(await s.rcpt('c@example.com')), 'reject 550 5.7.1');
    assert.equal(broken.events('R').length, 1);
  });

  const violations: [string, FakeMilterOptions][] = [
    ['a protocol version above 6', { version: 7 }],
    ['a protocol version below 2', { version: 1 }],
    ['unknown action bits', { actions: 0x200 }],
    ['a modification it did not negotiate', { actions: 0, script: (e) => (e.code === 'E' ? [reply('h', 'X-A', 'b'), reply('c')] : [reply('c')]) }],
    ['a modification outside end of message', { script: (e) => (e.code === 'M' ? [reply('h', 'X-A', 'b'), reply('c')] : [reply('c')]) }],
    ['quarantine outside end of message', { script: (e) => (e.code === 'R' ? [reply('q', 'why')] : [reply('c')]) }],
    ['a malformed reply code', { script: (e) => (e.code === 'R' ? [reply('y', '250 fine')] : [reply('c')]) }],
    ['an unknown reply', { script: (e) => (e.code === 'R' ? [reply('z')] : [reply('c')]) }],
    ['a change of a header with no name', { script: (e) => (e.code === 'E' ? [reply('m', 1, '', 'v'), reply('c')] : [reply('c')]) }],
  ];
  for (const [name, options] of violations) {
    it(`treats ${name} as a failure: default action, logged`, async () => {
      const logged: Logged[] = [];
      const m = await milter(options);
      const s = open([{ name: 'odd', endpoint: m.endpoint }], logged);
      const verdicts = [await s.connect(CLIENT), await s.mail('a@example.org'), await s.rcpt('b@example.com'), await s.message(MESSAGE)];
      assert.ok(verdicts.some((v) => describeVerdict(v) === 'tempfail 451 4.7.1'), verdicts.map(describeVerdict).join(', '));
      assert.equal(logged.filter((l) => l.event === 'milter.failed').length, 1);
      s.quit();
    });
  }
});

describe('milter chain configuration', () => {
  const bad: [string, MilterDefinition[]][] = [
    ['an endpoint without transport', [{ name: 'a', endpoint: '127.0.0.1:11332' }]],
    ['an inet endpoint without port', [{ name: 'a', endpoint: 'inet:localhost' }]],
    ['a port out of range', [{ name: 'a', endpoint: 'inet:localhost:70000' }]],
    ['a unix endpoint without path', [{ name: 'a', endpoint: 'unix:' }]],
    ['a zero timeout', [{ name: 'a', endpoint: 'unix:/x', commandTimeoutMs: 0 }]],
    ['an unknown default action', [{ name: 'a', endpoint: 'unix:/x', defaultAction: 'quarantine' as 'accept' }]],
    ['a name with spaces', [{ name: 'my milter', endpoint: 'unix:/x' }]],
    ['two milters with one name', [{ name: 'a', endpoint: 'unix:/x' }, { name: 'a', endpoint: 'unix:/y' }]],
  ];
  for (const [name, milters] of bad) {
    it(`refuses ${name}`, () => assert.throws(() => createMilterChain({ hostname: 'mx', milters }, { log: recordingLog([]) }), MilterConfigError));
  }

  it('accepts inet with a bracketed IPv6 host, and unix paths', () => {
    const chain = createMilterChain(
      { hostname: 'mx', milters: [{ name: 'v6', endpoint: 'inet:[::1]:11332' }, { name: 'sock', endpoint: 'unix:/run/milter.sock' }] },
      { log: recordingLog([]) },
    );
    assert.deepEqual(chain.names, ['v6', 'sock']);
  });

  it('continues every stage of an empty chain and hands the message back unchanged', async () => {
    const s = createMilterChain({ hostname: 'mx', milters: [] }, { log: recordingLog([]) }).open();
    assert.deepEqual(await s.connect(CLIENT), { action: 'continue' });
    assert.deepEqual(await s.message(MESSAGE), { action: 'continue', message: MESSAGE, modifications: [], quarantine: null });
  });
});
