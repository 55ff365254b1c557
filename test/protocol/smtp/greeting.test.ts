import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PINNED_SMTP_SERVER_VERSION } from '../../../server/smtp/greeting.js';
import { smtpFixture } from './harness.js';

// "At once" is checked by behaviour, not by a clock: a client that sends EHLO the moment TCP is up
// (before any greeting could reach it) is refused with 421 "You talk too soon" by any pause, the
// library's old fixed 100 ms one included. Without a pause it gets the 220 and then its 250.

test('the greeting goes out at once: on submission, from a trusted network on MX, and on MX by default', async (t) => {
  const f = await smtpFixture(t, { settings: { greetPauseMs: 5000 } });
  await f.admin.addNetwork({ cidr: '127.0.0.40/32', description: 'office' });
  for (const [port, from] of [
    [f.ports.submission, '127.0.0.9'],
    [f.ports.submission, '127.0.0.1'],
    [f.ports.smtp, '127.0.0.40'],
    [f.ports.smtp, '127.0.0.1'],
  ] as const) {
    const { client, greeting } = await f.connect(port, { from, talkFirst: 'EHLO early.example' });
    assert.equal(greeting.code, 220, `greeting on ${port} from ${from}`);
    assert.equal((await client.next()).code, 250, `EHLO sent before the greeting is answered on ${port} from ${from}`);
  }
  await f.admin.updateSettings({ greetPauseMs: 0 });
  const { client, greeting } = await f.connect(f.ports.smtp, { talkFirst: 'EHLO early.example' });
  assert.equal(greeting.code, 220, 'no pause configured: an untrusted MX client is greeted at once');
  assert.equal((await client.next()).code, 250);
});

test('early-talker detection: with a pause configured, an untrusted MX client that talks first is refused and logged', async (t) => {
  const f = await smtpFixture(t, { settings: { greetPauseMs: 5000 } });
  const { client, greeting } = await f.connect(f.ports.smtp, { talkFirst: 'EHLO early.example' });
  assert.equal(greeting.code, 421);
  assert.match(greeting.text, /talk too soon/);
  assert.ok(await client.closedByServer());
  const refused = await f.logRow('smtp.refused', (x) => x.reason === 'early-talker');
  assert.equal(refused.fields.greetPauseMs, 5000);
  assert.equal(refused.fields.remote, '127.0.0.9');
});

test('early-talker detection: a client that waits for the greeting passes, and the verdict is logged', async (t) => {
  const f = await smtpFixture(t, { settings: { greetPauseMs: 50 } });
  const { client, greeting } = await f.connect(f.ports.smtp);
  assert.equal(greeting.code, 220);
  assert.equal((await client.ehlo()).reply.code, 250);
  const connected = await f.logRow('smtp.connect', (x) => x.remote === '127.0.0.9');
  assert.deepEqual([connected.fields.greetPauseMs, connected.fields.greetWait], [50, 'passed']);
});

test('the rule tester shows the greeting pause for untrusted clients and none for trusted ones', async (t) => {
  const f = await smtpFixture(t, { settings: { greetPauseMs: 3000 } });
  await f.admin.addNetwork({ cidr: '192.0.2.0/24', description: 'office' });
  const outside = await f.admin.testRules({ ip: '198.51.100.7' });
  assert.equal(outside.greetPauseMs, 3000);
  assert.ok(outside.lines.some((l) => /after a 3000 ms pause.*early talker/.test(l)));
  const office = await f.admin.testRules({ ip: '192.0.2.7' });
  assert.equal(office.greetPauseMs, 0);
  assert.ok(office.lines.some((l) => /^Greeting: at once \(trusted network\)/.test(l)));
});

test('the greeting override is pinned: the installed smtp-server is the version it was written against', () => {
  const main = createRequire(import.meta.url).resolve('smtp-server');
  let dir = dirname(main);
  while (!dir.endsWith('smtp-server')) dir = dirname(dir);
  const installed = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  assert.equal(installed, PINNED_SMTP_SERVER_VERSION, 'smtp-server changed: review server/smtp/greeting.ts against its init() and connect()');
  const declared = (JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> }).dependencies['smtp-server'];
  assert.equal(declared, PINNED_SMTP_SERVER_VERSION, 'package.json pins smtp-server exactly');
});
