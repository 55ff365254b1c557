// Debian's swaks as an independent SMTP client (installed by .ci/run): AUTH on 587 and 465, relay
// refusal and relay tricks on 25, as swaks reports them (its exit code and transcript).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { smtpFixture, standardDomains } from '../protocol/smtp/harness.js';
import { swaks, SWAKS_AUTH_FAILED, SWAKS_NO_RCPT_ACCEPTED } from '../helpers/swaks.js';

test('swaks: AUTH PLAIN and LOGIN on submission (STARTTLS) and submissions (TLS on connect)', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const runs: Array<[number, string, string]> = [
    [f.ports.submission, '--tls', 'PLAIN'],
    [f.ports.submission, '--tls', 'LOGIN'],
    [f.ports.submissions, '--tlsc', 'PLAIN'],
    [f.ports.submissions, '--tlsc', 'LOGIN'],
  ];
  for (const [port, tls, method] of runs) {
    const ok = await swaks(port, [tls, '--auth', method, '--auth-user', 'bob@local.example', '--auth-password', 'bob-password', '--from', 'bob@local.example', '--to', 'alice@local.example']);
    assert.equal(ok.code, 0, ok.transcript);
    assert.match(ok.transcript, /<~ {2}235 2\.7\.0 /);
    assert.match(ok.transcript, /<~ {2}250 2\.6\.0 Ok: delivered/);
    const bad = await swaks(port, [tls, '--auth', method, '--auth-user', 'bob@local.example', '--auth-password', 'wrong', '--from', 'bob@local.example', '--to', 'alice@local.example']);
    assert.equal(bad.code, SWAKS_AUTH_FAILED, bad.transcript);
    assert.match(bad.transcript, /<~\* {1,2}535 5\.7\.8 /);
  }
  assert.equal((await f.inbox('alice@local.example')).length, 4);
});

test('swaks: no AUTH offered before STARTTLS on submission', async (t) => {
  const f = await smtpFixture(t);
  await standardDomains(f.admin);
  const r = await swaks(f.ports.submission, ['--quit-after', 'EHLO', '--to', 'alice@local.example']);
  assert.equal(r.code, 0, r.transcript);
  assert.match(r.transcript, /250-STARTTLS|250 STARTTLS/);
  assert.doesNotMatch(r.transcript, /AUTH /);
});

test('swaks: MX refuses unauthenticated relay and the relay tricks; relays from a trusted range', async (t) => {
  const f = await smtpFixture(t, { settings: { limits: { hardErrorLimit: 50 } } });
  await standardDomains(f.admin);
  for (const to of ['victim@other.example', 'victim%other.example@local.example', 'other.example!victim@LOCAL.EXAMPLE', '@local.example:victim@other.example']) {
    const r = await swaks(f.ports.smtp, ['--from', 'x@outside.example', '--to', to]);
    assert.equal(r.code, SWAKS_NO_RCPT_ACCEPTED, r.transcript);
    assert.match(r.transcript, /<\*\* {1,2}55[04] 5\.7\.1 /);
  }
  await f.admin.addNetwork({ cidr: '127.0.0.50/32', description: 'scanner', relay: true });
  const scanner = await swaks(f.ports.smtp, ['--from', 'scanner@local.example', '--to', 'someone@remote.example'], '127.0.0.50');
  assert.equal(scanner.code, 0, scanner.transcript);
  assert.equal(await f.ctx.store.queue.count(), 1);
});
