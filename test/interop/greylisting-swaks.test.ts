// Greylisting as swaks sees it (issue 16): the first try is deferred with 450 4.2.0 at RCPT (swaks
// reports no recipient accepted), a retry after the delay (on the test clock) is delivered, and a
// trusted network is never deferred.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { smtpFixture, standardDomains } from '../protocol/smtp/harness.js';
import { swaks, SWAKS_NO_RCPT_ACCEPTED } from '../helpers/swaks.js';

test('swaks: deferred first, delivered after the delay; a trusted network is not deferred', async (t) => {
  const f = await smtpFixture(t, { settings: { greylisting: { enabled: true, delayMs: 60_000 } } });
  await standardDomains(f.admin);
  const args = ['--from', 'news@outside.example', '--to', 'alice@local.example'];
  const first = await swaks(f.ports.smtp, args);
  assert.equal(first.code, SWAKS_NO_RCPT_ACCEPTED, first.transcript);
  assert.match(first.transcript, /<\*\* 450 4\.2\.0 <alice@local\.example>: Recipient address rejected: Greylisted, try again in 60 seconds/);
  f.clock.advance(61_000);
  const retry = await swaks(f.ports.smtp, args);
  assert.equal(retry.code, 0, retry.transcript);
  assert.match(retry.transcript, /<- {2}250 2\.6\.0 /);

  await f.admin.addNetwork({ cidr: '127.0.3.0/24', description: 'backup MX' });
  const trusted = await swaks(f.ports.smtp, ['--from', 'other@outside.example', '--to', 'bob@local.example'], '127.0.3.1');
  assert.equal(trusted.code, 0, trusted.transcript);
  assert.equal((await f.inbox('alice@local.example')).length, 1);
  assert.equal((await f.inbox('bob@local.example')).length, 1);
});
