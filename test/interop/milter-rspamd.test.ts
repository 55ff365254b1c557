// Debian's rspamd as a real milter (its proxy worker in milter mode, scanning in-process, no redis, no
// system service): started here with its own configuration in a temp folder, listening on a free
// 127.0.0.1 port and on a Unix socket. rspamd negotiates "no reply" for every event but end of message,
// so this also checks that the client never waits for a reply the milter will not send.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMilterChain, type MessageVerdict } from '../../server/milter/index.js';
import { GTUBE, RSPAMD_START_LIMIT_MS, startRspamd, type Rspamd } from '../helpers/rspamd.js';

const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } };

let rspamd: Rspamd;
let port: number;
let socketPath: string;

before(async () => {
  rspamd = await startRspamd();
  ({ milterPort: port, socketPath } = rspamd);
});

after(() => rspamd?.stop());

async function scan(endpoint: string, body: string): Promise<MessageVerdict> {
  const chain = createMilterChain({ hostname: 'mx.local.example', milters: [{ name: 'rspamd', endpoint, contentTimeoutMs: 60_000 }] }, { log: silent });
  const s = chain.open();
  try {
    for (const verdict of [
      await s.connect({ hostname: 'client.example', address: '192.0.2.7', port: 40000 }),
      await s.helo('client.example'),
      await s.mail('sender@example.org', [], { i: '4AB1C2' }),
      await s.rcpt('alice@local.example'),
      await s.data(),
    ]) {
      assert.deepEqual(verdict, { action: 'continue' });
    }
    const message = [
      'From: sender@example.org',
      'To: alice@local.example',
      'Subject: interop',
      'Message-ID: <interop-1@example.org>',
      'Date: Wed, 02 Dec 2026 16:00:00 +0000',
      '',
      body,
      '',
    ].join('\r\n');
    return await s.message(Buffer.from(message));
  } finally {
    s.quit();
  }
}

describe('rspamd as a milter', { timeout: RSPAMD_START_LIMIT_MS + 120_000 }, () => {
  it('rejects GTUBE with its SMTP reply (TCP)', async () => {
    const verdict = await scan(`inet:127.0.0.1:${port}`, GTUBE.reject);
    assert.equal(verdict.action, 'reject');
    assert.deepEqual(verdict.action === 'reject' && [verdict.reply.code, verdict.reply.enhanced, verdict.reply.text], [554, '5.7.1', 'Gtube pattern']);
  });

  it('rejects GTUBE over its Unix socket too', async () => {
    const verdict = await scan(`unix:${socketPath}`, GTUBE.reject);
    assert.deepEqual(verdict.action === 'reject' && verdict.reply.code, 554);
  });

  it('marks the add-header pattern with X-Spam: Yes (a header change applied to the message)', async () => {
    const verdict = await scan(`inet:127.0.0.1:${port}`, GTUBE.addHeader);
    assert.equal(verdict.action, 'continue');
    if (verdict.action !== 'continue') return;
    assert.match(verdict.message.toString(), /\r\nX-Spam: Yes\r\n\r\nYJS\*/);
    assert.ok(verdict.modifications.some((m) => m.kind === 'change-header' && m.name === 'X-Spam'));
  });

  it('rewrites the subject for the rewrite-subject pattern', async () => {
    const verdict = await scan(`inet:127.0.0.1:${port}`, GTUBE.rewriteSubject);
    assert.match(verdict.action === 'continue' ? verdict.message.toString() : '', /\r\nSubject: \*\*\* SPAM \*\*\* interop\r\n/);
  });

  it('adds its folded result headers to ordinary mail', async () => {
    const verdict = await scan(`inet:127.0.0.1:${port}`, 'Lunch tomorrow at noon?');
    assert.equal(verdict.action, 'continue');
    const text = verdict.action === 'continue' ? verdict.message.toString() : '';
    assert.match(text, /\r\nX-Spamd-Result: default: False \[[\d.]+ \/ [\d.]+\];\r\n\t/);
    assert.match(text, /\r\nX-Rspamd-Queue-Id: 4AB1C2\r\n/);
    assert.ok(text.endsWith('\r\n\r\nLunch tomorrow at noon?\r\n'));
  });
});
