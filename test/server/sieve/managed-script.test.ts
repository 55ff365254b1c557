// The script Mailroom generates for out-of-office and forwarding: it compiles in every shape and
// behaves as the settings say when the engine runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { managedScript, type ManagedVacation } from '../../../server/sieve/managed-script.js';
import { brief, run } from './helpers.js';

const vacation = (over: Partial<ManagedVacation> = {}): ManagedVacation => ({
  subject: 'Away "until" Monday',
  text: 'I am away.\nBack on Monday \\ Tuesday.',
  html: null,
  start: null,
  end: null,
  days: 3,
  addresses: [],
  ...over,
});

test('nothing set: no script', () => {
  assert.equal(managedScript({ vacation: null, forward: null }), null);
});

test('an out-of-office without dates always answers, with the text escaped intact', async () => {
  const script = managedScript({ vacation: vacation({ addresses: ['info@example.com'] }), forward: null })!;
  const result = await run(script);
  assert.deepEqual(result.actions.map(brief), ['vacation 259200s', 'implicit keep']);
  const [action] = result.actions;
  assert.ok(action.type === 'vacation');
  assert.equal(action.subject, 'Away "until" Monday');
  assert.equal(action.reason, 'I am away.\nBack on Monday \\ Tuesday.');
  assert.deepEqual(action.addresses, ['info@example.com']);
});

test('start and end days bound the out-of-office, both days included (UTC)', async () => {
  const script = managedScript({ vacation: vacation({ start: '2026-12-02', end: '2026-12-24' }), forward: null })!;
  const at = (iso: string) => run(script, undefined, { now: new Date(iso) });
  assert.deepEqual((await at('2026-12-01T23:59:59Z')).actions.map(brief), ['implicit keep']);
  assert.deepEqual((await at('2026-12-02T00:00:00Z')).actions.map(brief), ['vacation 259200s', 'implicit keep']);
  assert.deepEqual((await at('2026-12-24T23:59:59Z')).actions.map(brief), ['vacation 259200s', 'implicit keep']);
  assert.deepEqual((await at('2026-12-25T00:00:00Z')).actions.map(brief), ['implicit keep']);
});

test('an HTML answer is a multipart/alternative :mime reason', async () => {
  const script = managedScript({ vacation: vacation({ html: '<p>Away</p>' }), forward: null })!;
  const [action] = (await run(script)).actions;
  assert.ok(action.type === 'vacation' && action.mime);
  assert.match(action.reason, /^Content-Type: multipart\/alternative; boundary="mailroom-vacation-alternative"\r\n/);
  assert.ok(action.reason.includes(Buffer.from('<p>Away</p>').toString('base64')));
});

test('forwarding with and without a copy here, beside an out-of-office', async () => {
  const keep = managedScript({ vacation: null, forward: { to: ['a@phone.example', 'b@else.example'], keepCopy: true } })!;
  assert.deepEqual((await run(keep)).actions.map(brief), ['redirect a@phone.example :copy', 'redirect b@else.example :copy', 'implicit keep']);
  const away = managedScript({ vacation: vacation(), forward: { to: ['a@phone.example'], keepCopy: false } })!;
  assert.deepEqual((await run(away)).actions.map(brief), ['vacation 259200s', 'redirect a@phone.example']);
});
