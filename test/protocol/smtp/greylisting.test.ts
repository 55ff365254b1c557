// Greylisting through real SMTP (issue 16), on the test clock: an unknown triplet gets 450 4.2.0 at
// RCPT, an early retry too, a retry after the delay passes and the triplet then passes at once; past
// the retry window it starts over; the client counts as its /24; trusted networks, allowed senders,
// authenticated users and the submission listeners are not made to wait.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { greylistClient, judgeTriplet } from '../../../server/policy/greylist.js';
import { plain } from './client.js';
import { message, rcpt, smtpFixture, standardDomains, type SmtpFixture } from './harness.js';

const MINUTE = 60_000;
const settings = { greylisting: { enabled: true, delayMs: 5 * MINUTE, retryWindowMs: 60 * MINUTE, passLifetimeMs: 24 * 60 * MINUTE } };

async function fixture(t: TestContext) {
  const f = await smtpFixture(t, { settings });
  await standardDomains(f.admin);
  return f;
}

async function attempt(f: SmtpFixture, from: string, to: string, client = '127.0.0.9') {
  const { client: c } = await f.connect(f.ports.smtp, { from: client });
  const reply = await rcpt(c, from, to);
  if (reply.code !== 250) return reply;
  return c.data(message('greylisted'));
}

test('an unknown triplet is deferred, an early retry too; a retry after the delay passes and keeps passing', async (t) => {
  const f = await fixture(t);
  const first = await attempt(f, 'news@outside.example', 'alice@local.example');
  assert.deepEqual([first.code, first.enhanced], [450, '4.2.0']);
  assert.match(first.text, /Greylisted, try again in 300 seconds/);
  f.clock.advance(2 * MINUTE);
  const early = await attempt(f, 'news@outside.example', 'alice@local.example');
  assert.equal(early.code, 450);
  assert.match(early.text, /in 180 seconds/, 'the wait is not restarted by an early retry');
  f.clock.advance(3 * MINUTE);
  assert.equal((await attempt(f, 'news@outside.example', 'alice@local.example')).code, 250);
  await f.logRow('smtp.greylist-passed', (x) => x.to === 'alice@local.example');
  f.clock.advance(12 * 60 * MINUTE);
  assert.equal((await attempt(f, 'news@outside.example', 'alice@local.example', '127.0.0.77')).code, 250, 'same /24, within the pass lifetime');
  assert.equal((await f.inbox('alice@local.example')).length, 2);
  const refused = await f.logRow('smtp.rcpt-refused', (x) => x.reason === 'greylisted');
  assert.equal(refused.fields.to, 'alice@local.example');
});

test('each part of the triplet counts; past the retry window the wait starts over', async (t) => {
  const f = await fixture(t);
  assert.equal((await attempt(f, 'a@outside.example', 'alice@local.example')).code, 450);
  f.clock.advance(6 * MINUTE);
  assert.equal((await attempt(f, 'b@outside.example', 'alice@local.example')).code, 450, 'another sender');
  assert.equal((await attempt(f, 'a@outside.example', 'bob@local.example')).code, 450, 'another recipient');
  assert.equal((await attempt(f, 'a@outside.example', 'alice@local.example', '127.0.1.9')).code, 450, 'another /24');
  f.clock.advance(61 * MINUTE);
  assert.equal((await attempt(f, 'b@outside.example', 'alice@local.example')).code, 450, 'retried after the window: starts over');
  f.clock.advance(5 * MINUTE);
  assert.equal((await attempt(f, 'b@outside.example', 'alice@local.example')).code, 250);
});

test('trusted networks, allowed senders, authenticated users and submission skip greylisting', async (t) => {
  const f = await fixture(t);
  await f.admin.addNetwork({ cidr: '127.0.2.0/24', description: 'partner relay' });
  assert.equal((await attempt(f, 'x@outside.example', 'alice@local.example', '127.0.2.5')).code, 250, 'trusted network');
  await f.admin.addSenderListEntry({ list: 'allow', pattern: '@friends.example', user: 'alice@local.example' });
  assert.equal((await attempt(f, 'x@friends.example', 'alice@local.example')).code, 250, "on alice's allow list");
  assert.equal((await attempt(f, 'x@friends.example', 'bob@local.example')).code, 450, "not on bob's");

  const { client } = await f.connect(f.ports.submissions, { tls: true });
  await client.ehlo();
  assert.equal((await client.send(`AUTH PLAIN ${plain('carol@local.example', 'carol-password')}`)).code, 235);
  assert.equal((await client.send('MAIL FROM:<carol@local.example>')).code, 250);
  assert.equal((await client.send('RCPT TO:<alice@local.example>')).code, 250, 'authenticated submission');

  await f.admin.updateSettings({ greylisting: { enabled: false } });
  assert.equal((await attempt(f, 'y@outside.example', 'alice@local.example')).code, 250, 'off');
});

test('the client of a triplet is its /24 or /64', () => {
  assert.equal(greylistClient('192.0.2.77'), '192.0.2.0/24');
  assert.equal(greylistClient('::ffff:192.0.2.77'), '192.0.2.0/24');
  assert.equal(greylistClient('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
});

test('judgeTriplet: delay, window, pass lifetime', () => {
  const g = settings.greylisting;
  const t0 = 1_000_000;
  const seen = { client: 'c', sender: 's', recipient: 'r', firstSeen: t0, lastSeen: t0, passedAt: null };
  assert.deepEqual(judgeTriplet(undefined, t0, g), { action: 'start' });
  assert.deepEqual(judgeTriplet(seen, t0 + MINUTE, g), { action: 'wait', retryInMs: 4 * MINUTE });
  assert.deepEqual(judgeTriplet(seen, t0 + 5 * MINUTE, g), { action: 'pass', firstPass: true });
  assert.deepEqual(judgeTriplet(seen, t0 + 61 * MINUTE, g), { action: 'start' });
  const passed = { ...seen, passedAt: t0, lastSeen: t0 };
  assert.deepEqual(judgeTriplet(passed, t0 + g.passLifetimeMs, g), { action: 'pass', firstPass: false });
  assert.deepEqual(judgeTriplet(passed, t0 + g.passLifetimeMs + 1, g), { action: 'start' });
});
