// rspamd end to end (issue 16): Debian's rspamd (its proxy worker as a milter, started by the test)
// in Mailroom's MX path; swaks is the outside client. rspamd's reject GTUBE is refused with rspamd's
// reply, its add-header GTUBE is filed to Junk, clean mail reaches INBOX with rspamd's result
// headers, and an allowed sender's add-header GTUBE stays in INBOX.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { MilterSetting } from '../../server/settings.js';
import { smtpFixture, standardDomains } from '../protocol/smtp/harness.js';
import { GTUBE, RSPAMD_START_LIMIT_MS, startRspamd, type Rspamd } from '../helpers/rspamd.js';
import { swaks } from '../helpers/swaks.js';

let rspamd: Rspamd;
before(async () => {
  rspamd = await startRspamd();
}, { timeout: RSPAMD_START_LIMIT_MS + 10_000 });
after(() => rspamd?.stop());

test('rspamd milter: reject, Junk, INBOX with headers, allow list', { timeout: 300_000 }, async (t) => {
  const milters = [{ name: 'rspamd', endpoint: `unix:${rspamd.socketPath}`, contentTimeoutMs: 120_000 }] as MilterSetting[];
  const f = await smtpFixture(t, { settings: { milters } });
  await standardDomains(f.admin);
  const send = (from: string, to: string, body: string) => swaks(f.ports.smtp, ['--from', from, '--to', to, '--body', body]);

  const rejected = await send('offer@pushy.example', 'alice@local.example', GTUBE.reject);
  assert.notEqual(rejected.code, 0, rejected.transcript);
  assert.match(rejected.transcript, /<\*\* 554 5\.7\.1 Gtube pattern/);

  assert.equal((await send('offer@pushy.example', 'alice@local.example', GTUBE.addHeader)).code, 0);
  const [junk] = await f.folder('alice@local.example', 'Junk');
  assert.match(junk, /\r\nX-Spam: Yes\r\n/);
  const filed = await f.logRow('delivery.junk', (x) => x.to === 'alice@local.example');
  assert.equal(filed.fields.reason, 'X-Spam: Yes (milter rspamd)');
  assert.equal((await f.inbox('alice@local.example')).length, 0, 'the rejected one was not stored either');

  assert.equal((await send('friend@outside.example', 'bob@local.example', 'Shall we meet for lunch tomorrow at noon?')).code, 0);
  const [clean] = await f.inbox('bob@local.example');
  assert.match(clean, /\r\nX-Spamd-Result: default: False \[-?[\d.]+ \/ [\d.]+\];/);
  assert.match(clean, /\r\nX-Rspamd-Queue-Id: /);

  await f.admin.addSenderListEntry({ list: 'allow', pattern: '@tests.example', domain: 'local.example' });
  assert.equal((await send('lab@tests.example', 'carol@local.example', GTUBE.addHeader)).code, 0);
  const [allowed] = await f.inbox('carol@local.example');
  assert.match(allowed, /\r\nX-Spam: Yes\r\n/, 'marked, but on the domain allow list: INBOX');
  await f.logRow('delivery.allowed', (x) => x.to === 'carol@local.example');
});
