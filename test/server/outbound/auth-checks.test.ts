// Inbound SPF/DKIM/DMARC checks (server/auth-checks) against records served by the fake DNS server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authenticate } from 'mailauth';
import { checkInboundAuth, dmarcActionFor, startSpf, stripForgedResults } from '../../../server/auth-checks/index.js';
import { createDnsResolver } from '../../../server/dns/resolver.js';
import { dkimRecord, generateDkimKey } from '../../../server/delivery/outbound/index.js';
import { signOutbound } from '../../../server/delivery/outbound/dkim.js';
import { startFakeDns, type FakeZone } from '../../helpers/fake-dns.js';

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));
const message = (from = 'news@sender.test') =>
  crlf(`From: ${from}\nTo: bob@local.test\nSubject: Offer\nDate: Thu, 1 Jan 2026 00:00:00 +0000\nMessage-ID: <x@sender.test>\n\nBuy now.\n`);

async function setup(t: Parameters<typeof startFakeDns>[0], zone: FakeZone) {
  const dns = await startFakeDns(t, zone);
  return { dns, resolver: createDnsResolver({ servers: () => [dns.server], timeoutMs: 1000, tries: 1 }) };
}

async function signed(bytes: Buffer, zone: FakeZone) {
  const key = await generateDkimKey('sender.test', 'sel', 'rsa', Date.UTC(2026, 0, 1));
  const record = dkimRecord(key);
  zone[record.name] = { TXT: [record.value] };
  const out = await signOutbound(bytes, { domains: { dkimKey: async (d) => (d === 'sender.test' ? key : undefined) }, now: Date.UTC(2026, 0, 1) });
  assert.ok(out.signedBy);
  return out.bytes;
}

const base = { ip: '192.0.2.10', helo: 'mta.sender.test', sender: 'bounces@sender.test', hostname: 'mx.local.test' };

test('SPF pass, DKIM pass and DMARC pass produce an accepting Authentication-Results header', async (t) => {
  const zone: FakeZone = {
    'sender.test': { TXT: ['v=spf1 ip4:192.0.2.0/24 -all'] },
    '_dmarc.sender.test': { TXT: ['v=DMARC1; p=reject'] },
  };
  const { resolver } = await setup(t, zone);
  const result = await checkInboundAuth({ ...base, message: await signed(message(), zone) }, { resolver, dmarcRejectAction: 'reject' });
  assert.equal(result.action, 'accept');
  assert.deepEqual(result.spf, { result: 'pass', domain: 'sender.test' });
  assert.deepEqual(result.dkim, [{ result: 'pass', domain: 'sender.test', selector: 'sel', aligned: true }]);
  assert.deepEqual(result.dmarc, { result: 'pass', domain: 'sender.test', policy: 'reject' });
  assert.match(result.headers, /^Received-SPF: pass /m);
  assert.match(result.headers, /^Authentication-Results: mx\.local\.test;\r\n/m);
  assert.match(result.headers, /dkim=pass header\.i=@sender\.test header\.s=sel/);
  assert.match(result.headers, /spf=pass .*smtp\.mailfrom=bounces@sender\.test/s);
  assert.match(result.headers, /dmarc=pass .*header\.from=sender\.test/s);
  assert.ok(result.headers.endsWith('\r\n'));
  assert.doesNotMatch(result.headers.replace(/\r\n/g, ''), /[\r\n]/, 'CRLF line ends only');
});

test('a spoofed From under p=reject fails DMARC: rejected, or tagged when the domain chose to tag', async (t) => {
  const zone: FakeZone = {
    'sender.test': { TXT: ['v=spf1 ip4:198.51.100.0/24 -all'] },
    '_dmarc.sender.test': { TXT: ['v=DMARC1; p=reject'] },
  };
  const { resolver } = await setup(t, zone);
  const input = { ...base, message: message() };
  const rejected = await checkInboundAuth(input, { resolver, dmarcRejectAction: 'reject' });
  assert.equal(rejected.spf.result, 'fail');
  assert.deepEqual(rejected.dkim, []);
  assert.equal(rejected.dmarc?.result, 'fail');
  assert.equal(rejected.action, 'reject');
  assert.deepEqual(rejected.reply, { code: 550, enhanced: '5.7.1', text: 'Message rejected: it fails the DMARC policy of sender.test (p=reject)' });

  const tagged = await checkInboundAuth(input, { resolver, dmarcRejectAction: 'tag' });
  assert.equal(tagged.action, 'accept');
  assert.match(tagged.headers, /dmarc=fail /);
});

test('a broken DKIM signature fails, and p=quarantine or no DMARC record never rejects', async (t) => {
  const zone: FakeZone = {
    'sender.test': { TXT: ['v=spf1 -all'] },
    '_dmarc.sender.test': { TXT: ['v=DMARC1; p=quarantine'] },
    'other.test': { TXT: ['v=spf1 ip4:192.0.2.10 -all'] },
  };
  const { resolver } = await setup(t, zone);
  const tampered = Buffer.from((await signed(message(), zone)).toString().replace('Buy now.', 'Buy later.'));
  const result = await checkInboundAuth({ ...base, message: tampered }, { resolver, dmarcRejectAction: 'reject' });
  assert.notEqual(result.dkim[0].result, 'pass');
  assert.equal(result.dmarc?.result, 'fail');
  assert.equal(result.action, 'accept', 'quarantine is tagged, not refused');

  const none = await checkInboundAuth({ ...base, sender: 'x@other.test', message: message('a@other.test') }, { resolver, dmarcRejectAction: 'reject' });
  assert.equal(none.spf.result, 'pass');
  assert.equal(none.dmarc?.result, 'none');
  assert.equal(none.action, 'accept');
});

test('a DNS failure is a temperror and the message is accepted', async (t) => {
  const { resolver } = await setup(t, { 'sender.test': { servfail: true }, '_dmarc.sender.test': { servfail: true } });
  const result = await checkInboundAuth({ ...base, message: message() }, { resolver, dmarcRejectAction: 'reject' });
  assert.equal(result.spf.result, 'temperror');
  assert.equal(result.action, 'accept');
});

test('the null sender is checked as postmaster@HELO', async (t) => {
  const { resolver } = await setup(t, { 'mta.sender.test': { TXT: ['v=spf1 ip4:192.0.2.10 -all'] } });
  const result = await checkInboundAuth({ ...base, sender: '', message: message() }, { resolver, dmarcRejectAction: 'reject' });
  assert.deepEqual(result.spf, { result: 'pass', domain: 'mta.sender.test' });
});

test('forged Authentication-Results claiming our name are removed, others kept', () => {
  const raw = crlf('Authentication-Results: MX.local.test; dkim=pass\n\tspf=pass\nAuthentication-Results: other.example; spf=fail\nSubject: x\n\nbody\n');
  assert.equal(stripForgedResults(raw, 'mx.local.test').toString(), crlf('Authentication-Results: other.example; spf=fail\nSubject: x\n\nbody\n').toString());
  const clean = crlf('Subject: x\n\nAuthentication-Results: mx.local.test; body text\n');
  assert.equal(stripForgedResults(clean, 'mx.local.test'), clean);
});

test('dmarcActionFor rejects only when every recipient domain rejects (the default)', async () => {
  const domains = { get: async (name: string) => ({ dmarcOnReject: name === 'tagged.test' ? ('tag' as const) : null }) };
  assert.equal(await dmarcActionFor(domains, ['a.test']), 'reject');
  assert.equal(await dmarcActionFor(domains, ['a.test', 'tagged.test']), 'tag');
  assert.equal(await dmarcActionFor(domains, []), 'tag');
});

test('the composed checks give what mailauth authenticate gives: same headers, same DMARC verdict, with SPF started early or not', async (t) => {
  const zone: FakeZone = {
    'sender.test': { TXT: ['v=spf1 ip4:192.0.2.0/24 -all'] },
    '_dmarc.sender.test': { TXT: ['v=DMARC1; p=reject'] },
    'spoof.test': { TXT: ['v=spf1 ip4:198.51.100.0/24 -all'] },
    '_dmarc.spoof.test': { TXT: ['v=DMARC1; p=reject; pct=100'] },
    'quarantine.test': { TXT: ['v=spf1 -all'] },
    '_dmarc.quarantine.test': { TXT: ['v=DMARC1; p=quarantine'] },
    'other.test': { TXT: ['v=spf1 ip4:192.0.2.10 -all'] },
    'mta.sender.test': { TXT: ['v=spf1 ip4:192.0.2.10 -all'] },
    'broken.test': { servfail: true },
    '_dmarc.broken.test': { servfail: true },
  };
  const signedMessage = await signed(message(), zone);
  const { resolver } = await setup(t, zone);
  const cases = [
    { name: 'spf, dkim, dmarc pass', ...base, message: signedMessage },
    { name: 'dkim broken', ...base, message: Buffer.from(signedMessage.toString().replace('Buy now.', 'Buy later.')) },
    { name: 'spoofed from under p=reject', ...base, sender: 'x@spoof.test', message: message('a@spoof.test') },
    { name: 'quarantine', ...base, sender: 'x@quarantine.test', message: message('a@quarantine.test') },
    { name: 'no dmarc record', ...base, sender: 'x@other.test', message: message('a@other.test') },
    { name: 'dns failure', ...base, sender: 'x@broken.test', message: message('a@broken.test') },
    { name: 'null sender', ...base, sender: '', message: message() },
    { name: 'IP literal HELO, mapped IPv4', ...base, ip: '::ffff:192.0.2.10', helo: '[192.0.2.10]', message: message() },
    { name: 'no From field', ...base, message: crlf('Subject: none\n\nbody\n') },
    // The in-memory DKIM path (auth-checks/dkim.ts) and the cases it hands to mailauth's stream.
    { name: 'signed, bare LF line ends', ...base, message: Buffer.from(signedMessage.toString().replace(/\r\n/g, '\n')) },
    { name: 'signed, header only', ...base, message: Buffer.from(signedMessage.toString().replace(/\r\n\r\n[^]*$/, '\r\n')) },
    { name: 'signed, empty body', ...base, message: Buffer.from(signedMessage.toString().replace(/\r\n\r\n[^]*$/, '\r\n\r\n')) },
  ];
  for (const c of cases) {
    // What checkInboundAuth called before it was composed from mailauth's parts.
    const ip = c.ip.replace(/^::ffff:/i, '');
    const helo = c.helo.trim();
    const expected = await authenticate(c.message, {
      ip,
      helo,
      sender: c.sender !== '' ? c.sender : `postmaster@${helo.replace(/^\[|\]$/g, '')}`,
      mta: c.hostname,
      resolver: (name, rrtype) => resolver.resolve(name, rrtype) as Promise<string[][] | string[]>,
      disableArc: false,
      disableBimi: true,
      trustReceived: false,
    });
    const late = await checkInboundAuth(c, { resolver, dmarcRejectAction: 'reject' });
    const early = await checkInboundAuth(c, { resolver, dmarcRejectAction: 'reject', spf: startSpf(c, resolver) });
    for (const got of [late, early]) {
      assert.equal(got.headers, expected.headers.replace(/\r?\n/g, '\r\n'), c.name);
      assert.equal(got.spf.result, expected.spf ? expected.spf.status.result : 'none', c.name);
      assert.equal(got.dmarc?.result ?? null, expected.dmarc ? expected.dmarc.status.result : null, c.name);
      assert.equal(got.dmarc?.policy ?? null, expected.dmarc ? (expected.dmarc.policy ?? null) : null, c.name);
      const enforced = expected.dmarc !== false && expected.dmarc.status.result === 'fail' && expected.dmarc.policy === 'reject' && (expected.dmarc.pct ?? 100) >= 100;
      assert.equal(got.action, enforced ? 'reject' : 'accept', c.name);
    }
  }
  // The cases reach each DMARC outcome, a refusal among them.
  const outcomes = await Promise.all(cases.map(async (c) => checkInboundAuth(c, { resolver, dmarcRejectAction: 'reject' })));
  assert.deepEqual(new Set(outcomes.map((o) => o.dmarc?.result ?? 'no From')), new Set(['pass', 'fail', 'none', 'temperror', 'no From']));
  assert.ok(outcomes.some((o) => o.action === 'reject'));
});
