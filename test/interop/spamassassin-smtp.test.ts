// SpamAssassin end to end (issue 16): Debian's spamd and spamass-milter, started by the test as
// `nobody`, in Mailroom's MX path; swaks is the outside client. GTUBE is marked by SpamAssassin and
// filed to Junk (with the reason in the trace), or refused when spamass-milter rejects (-r); clean
// mail reaches INBOX with SpamAssassin's headers; an allowed sender's GTUBE stays in INBOX; a
// blocked sender is refused at RCPT; a stopped milter follows its default action.
import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import type { MilterSetting } from '../../server/settings.js';
import { smtpFixture, standardDomains } from '../protocol/smtp/harness.js';
import { GTUBE_SA, startSpamassMilter, startSpamd, type Running } from '../helpers/spamassassin.js';
import { swaks, SWAKS_NO_RCPT_ACCEPTED } from '../helpers/swaks.js';
import { freePort } from '../helpers/daemon.js';

let spamd: Running;
let tagging: Running;
let rejecting: Running;
before(async () => {
  spamd = await startSpamd();
  tagging = await startSpamassMilter(spamd.port);
  rejecting = await startSpamassMilter(spamd.port, ['-r', '15']);
}, { timeout: 400_000 });
after(async () => {
  await rejecting?.stop();
  await tagging?.stop();
  await spamd?.stop();
});

const milter = (port: number, extra: Partial<MilterSetting> = {}) => [{ name: 'spamassassin', endpoint: `inet:127.0.0.1:${port}`, contentTimeoutMs: 120_000, ...extra }] as MilterSetting[];

async function fixture(t: TestContext, port: number, extra: Partial<MilterSetting> = {}) {
  const f = await smtpFixture(t, { settings: { milters: milter(port, extra) } });
  await standardDomains(f.admin);
  return f;
}

const send = (port: number, from: string, to: string, body: string) => swaks(port, ['--from', from, '--to', to, '--body', body]);

test('spamass-milter + spamd: GTUBE to Junk, clean mail to INBOX with the headers, allow and block lists', { timeout: 300_000 }, async (t) => {
  const f = await fixture(t, tagging.port);
  const spam = await send(f.ports.smtp, 'offer@pushy.example', 'alice@local.example', GTUBE_SA);
  assert.equal(spam.code, 0, spam.transcript);
  const [junk] = await f.folder('alice@local.example', 'Junk');
  assert.match(junk, /\r\nX-Spam-Flag: YES\r\n/);
  assert.match(junk, /\r\nX-Spam-Status: Yes, score=\d+/);
  const filed = await f.logRow('delivery.junk', (x) => x.to === 'alice@local.example');
  assert.match(String(filed.fields.reason), /\(milter spamassassin\)$/);

  const clean = await send(f.ports.smtp, 'friend@outside.example', 'bob@local.example', 'Shall we meet for lunch tomorrow at noon?');
  assert.equal(clean.code, 0, clean.transcript);
  const [inbox] = await f.inbox('bob@local.example');
  assert.match(inbox, /\r\nX-Spam-Status: No, score=-?\d/);
  assert.match(inbox, /\r\nX-Spam-Checker-Version: SpamAssassin /);

  await f.admin.addSenderListEntry({ list: 'allow', pattern: 'lab@tests.example', user: 'carol@local.example' });
  assert.equal((await send(f.ports.smtp, 'lab@tests.example', 'carol@local.example', GTUBE_SA)).code, 0);
  const [allowed] = await f.inbox('carol@local.example');
  assert.match(allowed, /\r\nX-Spam-Flag: YES\r\n/, 'marked, but on the allow list: INBOX');
  assert.equal((await f.folder('carol@local.example', 'Junk')).length, 0);

  await f.admin.addSenderListEntry({ list: 'block', pattern: '@pushy.example' });
  const blocked = await send(f.ports.smtp, 'offer@pushy.example', 'bob@local.example', 'Hello');
  assert.equal(blocked.code, SWAKS_NO_RCPT_ACCEPTED, blocked.transcript);
  assert.match(blocked.transcript, /<\*\* 550 5\.7\.1 <bob@local\.example>: Recipient address rejected: the sender is on a block list/);
});

test('spamass-milter -r 15: GTUBE is refused at end of data, nothing stored', { timeout: 300_000 }, async (t) => {
  const f = await fixture(t, rejecting.port);
  const r = await send(f.ports.smtp, 'offer@pushy.example', 'alice@local.example', GTUBE_SA);
  assert.notEqual(r.code, 0, r.transcript);
  assert.match(r.transcript, /<\*\* 5\d\d 5\.7\.1 /);
  assert.equal((await f.inbox('alice@local.example')).length + (await f.folder('alice@local.example', 'Junk')).length, 0);
});

test('a milter that is down: tempfail gives 451, accept delivers unscanned', { timeout: 120_000 }, async (t) => {
  const down = await freePort();
  const f = await fixture(t, down, { defaultAction: 'tempfail' });
  const r = await send(f.ports.smtp, 'x@outside.example', 'alice@local.example', 'Hello');
  assert.notEqual(r.code, 0, r.transcript);
  assert.match(r.transcript, /<\*\* 451 4\.7\.1 /);
  await f.admin.updateSettings({ milters: milter(down, { defaultAction: 'accept' }) });
  assert.equal((await send(f.ports.smtp, 'x@outside.example', 'alice@local.example', 'Hello')).code, 0);
  assert.equal((await f.inbox('alice@local.example')).length, 1);
});
