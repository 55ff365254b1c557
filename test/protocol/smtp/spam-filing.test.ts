// Spam filing through real SMTP (issue 16): a scripted milter marks messages the way spamass-milter
// and rspamd do; marked mail goes to the recipient's Junk folder with the reason in the log, the allow
// list keeps it in INBOX, the block list refuses at RCPT or files to Junk, and headers the sender wrote
// itself count for nothing.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { MilterSetting, SettingsPatch } from '../../../server/settings.js';
import { reply, startFakeMilter } from '../../server/milter/fake-milter.js';
import { message, rcpt, smtpFixture, standardDomains, type SmtpFixture } from './harness.js';

async function fixture(t: TestContext, headers: Array<[string, string]>, settings: SettingsPatch = {}) {
  const milter = await startFakeMilter({ script: (e) => (e.code === 'E' ? [...headers.map(([n, v]) => reply('h', n, v)), reply('c')] : [reply('c')]) });
  t.after(() => milter.close());
  const milters = [{ name: 'spamassassin', endpoint: milter.endpoint }] as MilterSetting[];
  const f = await smtpFixture(t, { settings: { milters, ...settings } });
  await standardDomains(f.admin);
  return f;
}

async function send(f: SmtpFixture, from: string, to: string[], body = message('offer')) {
  const { client } = await f.connect(f.ports.smtp);
  const first = await rcpt(client, from, to[0]);
  if (first.code !== 250) return first;
  for (const r of to.slice(1)) assert.equal((await client.send(`RCPT TO:<${r}>`)).code, 250);
  return client.data(body);
}

test('a milter spam flag files to Junk, with the reason in the trace; the allow list keeps mail in INBOX', async (t) => {
  const f = await fixture(t, [['X-Spam-Flag', 'YES'], ['X-Spam-Status', 'Yes, score=1000.0 required=5.0 tests=GTUBE']]);
  await f.admin.addSenderListEntry({ list: 'allow', pattern: 'friend@outside.example', user: 'bob@local.example' });
  assert.equal((await send(f, 'friend@outside.example', ['alice@local.example', 'bob@local.example'])).code, 250);
  const [junk] = await f.folder('alice@local.example', 'Junk');
  assert.match(junk, /\r\nX-Spam-Flag: YES\r\n/);
  assert.equal((await f.inbox('alice@local.example')).length, 0);
  assert.equal((await f.inbox('bob@local.example')).length, 1);
  assert.equal((await f.folder('bob@local.example', 'Junk')).length, 0);
  const filed = await f.logRow('delivery.junk', (x) => x.to === 'alice@local.example');
  assert.deepEqual([filed.fields.reason, filed.fields.folder], ['X-Spam-Flag: YES (milter spamassassin)', 'Junk']);
  const allowed = await f.logRow('delivery.allowed', (x) => x.to === 'bob@local.example');
  assert.equal(allowed.fields.list, "friend@outside.example on the user's allow list");
});

test('a score counts from spam.junkThreshold on', async (t) => {
  const f = await fixture(t, [['X-Spamd-Result', 'default: False [6.50 / 15.00]']]);
  assert.equal((await send(f, 'x@outside.example', ['alice@local.example'])).code, 250);
  assert.equal((await f.folder('alice@local.example', 'Junk')).length, 1, '6.5 ≥ 5 (the default)');
  await f.admin.updateSettings({ spam: { junkThreshold: 7 } });
  assert.equal((await send(f, 'x@outside.example', ['alice@local.example'])).code, 250);
  assert.equal((await f.inbox('alice@local.example')).length, 1, '6.5 < 7');
});

test("the sender's own X-Spam headers are not a milter's verdict", async (t) => {
  const f = await fixture(t, [['X-Spam-Checked', 'yes']]);
  const forged = 'From: <x@outside.example>\r\nX-Spam-Flag: YES\r\nX-Spam-Score: 99\r\nSubject: forged\r\n\r\nHi.\r\n';
  assert.equal((await send(f, 'x@outside.example', ['alice@local.example'], forged)).code, 250);
  assert.equal((await f.inbox('alice@local.example')).length, 1);
});

test('the block list refuses at RCPT (per user, per domain, by network) or files to Junk', async (t) => {
  const f = await fixture(t, []);
  await f.admin.addSenderListEntry({ list: 'block', pattern: '@pushy.example', user: 'alice@local.example' });
  const refused = await send(f, 'sales@pushy.example', ['alice@local.example']);
  assert.deepEqual([refused.code, refused.enhanced], [550, '5.7.1']);
  assert.match(refused.text, /block list/);
  assert.equal((await send(f, 'sales@pushy.example', ['bob@local.example'])).code, 250, "only alice's list");

  await f.admin.addSenderListEntry({ list: 'block', pattern: '127.0.0.0/24', domain: 'catch.example' });
  assert.equal((await send(f, 'x@outside.example', ['dave@catch.example'])).code, 550, 'the client network, for the domain');
  await f.admin.addSenderListEntry({ list: 'allow', pattern: 'x@outside.example', user: 'dave@catch.example' });
  assert.equal((await send(f, 'x@outside.example', ['dave@catch.example'])).code, 250, "the user's allow entry beats the domain's block");

  await f.admin.updateSettings({ spam: { blockAction: 'junk' } });
  assert.equal((await send(f, 'sales@pushy.example', ['alice@local.example'])).code, 250);
  assert.equal((await f.folder('alice@local.example', 'Junk')).length, 1);
  const filed = await f.logRow('delivery.junk', (x) => x.to === 'alice@local.example');
  assert.equal(filed.fields.reason, "blocked sender (@pushy.example on the user's block list)");
});
