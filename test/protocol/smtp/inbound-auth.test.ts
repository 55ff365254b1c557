// SPF, DKIM and DMARC on the MX listener (issue 6): the SMTP listeners over a context whose resolver
// asks the fake DNS server; the client connects from 127.0.0.9 (untrusted), so the records below
// authorise or refuse that address. Real DNS is never queried.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dkimRecord, generateDkimKey } from '../../../server/delivery/outbound/index.js';
import { signOutbound } from '../../../server/delivery/outbound/dkim.js';
import type { FakeZone } from '../../helpers/fake-dns.js';
import { rcpt, smtpFixture, standardDomains, type SmtpFixture } from './harness.js';
import { inspectDatabase } from '../../../server/store/db.js';

const HOST = 'mx.local.example';

const mail = (from = 'news@sender.test', extraHeaders = '') =>
  `${extraHeaders}From: <${from}>\r\nTo: <bob@local.example>\r\nSubject: Offer\r\nMessage-ID: <offer@sender.test>\r\nDate: Thu, 1 Jan 2026 00:00:00 +0000\r\n\r\nBuy now.\r\n`;

/** SPF authorises `ip` for sender.test; DMARC asks for rejection. */
const zoneFor = (ip: string): FakeZone => ({
  'sender.test': { TXT: [`v=spf1 ip4:${ip} -all`] },
  '_dmarc.sender.test': { TXT: ['v=DMARC1; p=reject'] },
});

async function fixture(t: Parameters<typeof smtpFixture>[0], zone: FakeZone) {
  const f = await smtpFixture(t, { settings: { hostname: HOST }, dns: zone });
  await standardDomains(f.admin);
  return f;
}

/** Sends `body` on the MX listener from 127.0.0.9 (or `from`), envelope sender bounces@sender.test. */
async function sendMx(f: SmtpFixture, body: string, from = '127.0.0.9') {
  const { client } = await f.connect(f.ports.smtp, { from });
  assert.equal((await rcpt(client, 'bounces@sender.test', 'bob@local.example')).code, 250);
  return client.data(body);
}

const ourResults = (stored: string) => stored.match(new RegExp(`^Authentication-Results: ${HOST.replace(/\./g, '\\.')};`, 'gm')) ?? [];

test('SPF pass: the stored copy carries Received-SPF and our Authentication-Results with spf=pass', async (t) => {
  const f = await fixture(t, zoneFor('127.0.0.9'));
  assert.equal((await sendMx(f, mail())).code, 250);
  const [stored] = await f.inbox('bob@local.example');
  assert.match(stored, /^Return-Path: <bounces@sender\.test>\r\nDelivered-To: bob@local\.example\r\nReceived: /);
  assert.match(stored, /^Received-SPF: pass /m);
  assert.equal(ourResults(stored).length, 1);
  assert.match(stored, /spf=pass [^;]*smtp\.mailfrom=bounces@sender\.test/);
  assert.match(stored, /dmarc=pass [^;]*header\.from=sender\.test/);
  const row = await f.logRow('smtp.inbound-auth');
  assert.deepEqual([row.fields.spf, row.fields.dmarc, row.fields.action], ['pass', 'pass', 'accept']);
  assert.ok(f.dns.queries.some((q) => q.name === 'sender.test' && q.type === 'TXT'), 'SPF asked the fake DNS');
});

test('SPF fail under DMARC p=reject: 550 5.7.1 naming the DMARC policy, nothing stored, the refusal logged', async (t) => {
  const f = await fixture(t, zoneFor('192.0.2.1'));
  const reply = await sendMx(f, mail());
  assert.deepEqual([reply.code, reply.enhanced], [550, '5.7.1']);
  assert.match(reply.text, /DMARC policy of sender\.test \(p=reject\)/);
  assert.deepEqual(await f.inbox('bob@local.example'), []);
  assert.equal((inspectDatabase(f.ctx.store).prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n, 0);
  const row = await f.logRow('smtp.data-refused', (x) => x.reason === 'dmarc-reject');
  assert.match(String(row.fields.detail), /DMARC policy of sender\.test/);
});

test('the same failure for a domain set to tag is stored with dmarc=fail in the header', async (t) => {
  const f = await fixture(t, zoneFor('192.0.2.1'));
  await f.admin.setDmarcEnforcement({ domain: 'local.example', onReject: 'tag' });
  assert.equal((await sendMx(f, mail())).code, 250);
  const [stored] = await f.inbox('bob@local.example');
  assert.match(stored, /^Received-SPF: fail /m);
  assert.match(stored, /spf=fail /);
  assert.match(stored, /dmarc=fail /);
});

test('a DKIM-signed message verifies (dkim=pass) and passes DMARC without SPF', async (t) => {
  const zone: FakeZone = { '_dmarc.sender.test': { TXT: ['v=DMARC1; p=reject'] } };
  const f = await fixture(t, zone);
  const now = Date.UTC(2026, 0, 1);
  const key = await generateDkimKey('sender.test', 'sel', 'rsa', now);
  const record = dkimRecord(key);
  f.dns.zone[record.name] = { TXT: [record.value] };
  const signed = await signOutbound(Buffer.from(mail()), { domains: { dkimKey: async (d) => (d === 'sender.test' ? key : undefined) }, now });
  assert.ok(signed.signedBy);
  assert.equal((await sendMx(f, signed.bytes.toString('utf8'))).code, 250);
  const [stored] = await f.inbox('bob@local.example');
  assert.match(stored, /dkim=pass [^;]*header\.i=@sender\.test header\.s=sel/);
  assert.match(stored, /spf=none /);
  assert.match(stored, /dmarc=pass /);
});

test('a forged Authentication-Results for our hostname is removed; one for another host is kept', async (t) => {
  const f = await fixture(t, zoneFor('192.0.2.1'));
  await f.admin.setDmarcEnforcement({ domain: 'local.example', onReject: 'tag' });
  const forged = `Authentication-Results: ${HOST.toUpperCase()}; spf=pass smtp.mailfrom=sender.test;\r\n\tdkim=pass; dmarc=pass\r\nAuthentication-Results: relay.other.example; spf=pass\r\n`;
  assert.equal((await sendMx(f, mail('news@sender.test', forged))).code, 250);
  const [stored] = await f.inbox('bob@local.example');
  assert.equal(ourResults(stored).length, 1, 'only ours');
  assert.doesNotMatch(stored, /dkim=pass|dmarc=pass|smtp.mailfrom=sender.test/, 'the forged verdicts are gone');
  assert.match(stored, /^Authentication-Results: relay\.other\.example; spf=pass\r\n/m);
  assert.equal((await f.logRow('smtp.inbound-auth')).fields.forgedRemoved, true);
});

test('a DNS failure is tagged temperror and the message accepted', async (t) => {
  const f = await fixture(t, { 'sender.test': { servfail: true }, '_dmarc.sender.test': { servfail: true } });
  assert.equal((await sendMx(f, mail())).code, 250);
  const [stored] = await f.inbox('bob@local.example');
  assert.match(stored, /spf=temperror /);
});

test('submission (authenticated) and trusted-relay mail is not checked', async (t) => {
  const f = await fixture(t, zoneFor('192.0.2.1'));
  // The From: below is not alice's own: the admin lets her send as it (issue 11 §3).
  await f.admin.grantSendAs({ user: 'alice@local.example', address: 'news@sender.test' });
  const { client } = await f.connect(f.ports.submissions, { tls: true });
  await client.ehlo();
  assert.equal((await client.send(`AUTH PLAIN ${Buffer.from('\0alice@local.example\0alice-password').toString('base64')}`)).code, 235);
  assert.equal((await client.send('MAIL FROM:<alice@local.example>')).code, 250);
  assert.equal((await client.send('RCPT TO:<bob@local.example>')).code, 250);
  assert.equal((await client.data(mail('news@sender.test'))).code, 250, 'a From that would fail DMARC is the user’s business');
  assert.equal((await sendMx(f, mail(), '127.0.0.1')).code, 250, 'loopback is a trusted relay');
  const copies = await f.inbox('bob@local.example');
  assert.equal(copies.length, 2);
  for (const copy of copies) assert.doesNotMatch(copy, /^(Authentication-Results|Received-SPF):/m);
  assert.deepEqual(f.dns.queries, []);
});
