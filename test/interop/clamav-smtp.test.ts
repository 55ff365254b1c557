// ClamAV end to end (issue 16): Debian's clamd and clamav-milter, started by the test as `nobody`
// with a signature database the test writes (EICAR; no freshclam here), in Mailroom's MX path;
// swaks is the outside client. With OnInfected Reject the EICAR message is refused at end of data
// and nothing is stored; with Quarantine it is held in Mailroom's quarantine; clean mail is
// delivered with clamav-milter's X-Virus-Scanned header.
import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import type { MilterSetting } from '../../server/settings.js';
import { smtpFixture, standardDomains } from '../protocol/smtp/harness.js';
import { clamavMissing, EICAR, EICAR_SIGNATURE, startClamAv, type ClamAv } from '../helpers/clamav.js';
import { swaks } from '../helpers/swaks.js';

const missing = clamavMissing();
let rejecting: ClamAv | undefined;
let quarantining: ClamAv | undefined;
before(async () => {
  if (missing) return;
  rejecting = await startClamAv('Reject');
  quarantining = await startClamAv('Quarantine');
}, { timeout: 300_000 });
after(async () => {
  await quarantining?.stop();
  await rejecting?.stop();
});

async function fixture(t: TestContext, port: number) {
  const milters = [{ name: 'clamav', endpoint: `inet:127.0.0.1:${port}`, contentTimeoutMs: 120_000 }] as MilterSetting[];
  const f = await smtpFixture(t, { settings: { milters } });
  await standardDomains(f.admin);
  return f;
}

const attach = (port: number, to: string, body: string) => swaks(port, ['--from', 'x@outside.example', '--to', to, '--attach-type', 'application/octet-stream', '--attach-body', body]);

test('clamav-milter OnInfected Reject: EICAR is refused at end of data; clean mail is delivered with X-Virus-Scanned', { skip: missing, timeout: 300_000 }, async (t) => {
  const f = await fixture(t, rejecting!.port);
  const infected = await attach(f.ports.smtp, 'alice@local.example', EICAR);
  assert.notEqual(infected.code, 0, infected.transcript);
  assert.match(infected.transcript, /<\*\* 550 5\.7\.1 /);
  assert.equal((await f.inbox('alice@local.example')).length + (await f.folder('alice@local.example', 'Junk')).length, 0, 'nothing stored');

  const clean = await attach(f.ports.smtp, 'bob@local.example', 'just a harmless attachment');
  assert.equal(clean.code, 0, clean.transcript);
  const [inbox] = await f.inbox('bob@local.example');
  assert.match(inbox, /\r\nX-Virus-Scanned: clamav-milter [\d.]+ at /);
  assert.match(inbox, /\r\nX-Virus-Status: Clean\r\n/);
});

test('clamav-milter OnInfected Quarantine: EICAR is held in the quarantine, not delivered', { skip: missing, timeout: 300_000 }, async (t) => {
  const f = await fixture(t, quarantining!.port);
  const infected = await attach(f.ports.smtp, 'alice@local.example', EICAR);
  assert.equal(infected.code, 0, infected.transcript);
  assert.equal((await f.inbox('alice@local.example')).length, 0);
  const held = await f.ctx.store.quarantine.list();
  assert.equal(held.length, 1);
  assert.equal(held[0].milter, 'clamav');
  assert.deepEqual(held[0].recipients, ['alice@local.example']);
  assert.equal(held[0].reason, 'quarantined by clamav-milter');
  const bytes = (await f.ctx.store.blobs.read(held[0].blobId)).toString();
  // ClamAV names signatures from a database it did not ship "<name>.UNOFFICIAL".
  assert.ok(bytes.includes(`\r\nX-Virus-Status: Infected (${EICAR_SIGNATURE}.UNOFFICIAL)\r\n`), bytes.slice(0, 2000));
});
