// checkDns (issue 18 §2): each record a domain should publish, asked of the configured resolver (a
// fake DNS server on loopback): published and right is ok, missing or wrong fails with the record to
// publish, no answer is a warning, and PTR is asked for each address of the host name.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { openContext } from '../../../server/index.js';
import { createAdminApi } from '../../../server/admin/api.js';
import { createPasswordHasher } from '../../../server/auth/password-hash.js';
import { createDnsResolver } from '../../../server/dns/resolver.js';
import { reverseName } from '../../../server/admin/services/dns-check.js';
import type { DnsCheckReport } from '../../../server/admin/contract.js';
import { startFakeDns, type FakeZone } from '../../helpers/fake-dns.js';
import { fakeClock, tempDir } from '../../helpers/temp.js';

async function setup(t: TestContext, zone: FakeZone) {
  const dns = await startFakeDns(t, zone);
  const resolver = createDnsResolver({ servers: () => [dns.server], timeoutMs: 500, tries: 1 });
  const ctx = await openContext(tempDir(t), { clock: fakeClock(Date.now()), hasher: createPasswordHasher({ cost: 'test' }), resolver });
  t.after(() => ctx.close());
  const api = createAdminApi({ ...ctx, log: ctx.log, status: () => ({ version: 't', startedAt: 1, listeners: { smtp: 25, submission: 1587, imaps: 993, admin: 8480 } }) });
  await api.updateSettings({ hostname: 'mail.example.com' });
  await api.addDomain({ name: 'example.com' });
  return { api, dns };
}

const byId = (report: DnsCheckReport) => Object.fromEntries(report.records.map((r) => [r.id, r]));

test('a domain published as it should be passes, with the PTR of each host address', async (t) => {
  const { api, dns } = await setup(t, {});
  const dkim = await api.generateDkimKey({ domain: 'example.com' });
  Object.assign(dns.zone, {
    'example.com': { MX: [{ priority: 10, exchange: 'mail.example.com' }], TXT: ['google-site-verification=x', 'v=spf1 mx -all'] },
    'mail.example.com': { A: ['192.0.2.25'], AAAA: ['2001:db8::25'] },
    [dkim.dnsName]: { TXT: [dkim.dnsValue] },
    '_dmarc.example.com': { TXT: ['v=DMARC1; p=reject; rua=mailto:postmaster@example.com'] },
    '25.2.0.192.in-addr.arpa': { PTR: ['mail.example.com'] },
    [reverseName('2001:db8::25')]: { PTR: ['mail.example.com'] },
    'autoconfig.example.com': { A: ['192.0.2.25'] },
  } satisfies FakeZone);
  const report = await api.checkDns({ domain: 'Example.com' });
  assert.equal(report.domain, 'example.com');
  assert.equal(report.status, 'ok', JSON.stringify(report.records.filter((r) => r.status !== 'ok' && !r.optional)));
  const r = byId(report);
  assert.deepEqual(r.mx.found, ['10 mail.example.com']);
  assert.deepEqual(r.host.found, ['192.0.2.25', '2001:db8::25']);
  assert.deepEqual(r.spf.found, ['v=spf1 mx -all']);
  assert.equal(r.dkim.status, 'ok');
  assert.equal(r.dmarc.status, 'ok');
  assert.deepEqual(report.records.filter((x) => x.id === 'ptr').map((x) => [x.name, x.status]), [
    ['25.2.0.192.in-addr.arpa', 'ok'],
    ['5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa', 'ok'],
  ]);
  assert.equal(r.autoconfig.status, 'ok');
  assert.equal(r.autodiscover.status, 'warn', 'an optional record that is missing only warns');
  // SRV records follow the running listeners (submission on 1587 here), listed but not asked.
  assert.deepEqual(report.records.filter((x) => x.type === 'SRV').map((x) => [x.name, x.value, x.status]), [
    ['_submission._tcp.example.com', '0 1 1587 mail.example.com.', 'unchecked'],
    ['_imaps._tcp.example.com', '0 1 993 mail.example.com.', 'unchecked'],
  ]);
  assert.ok(dns.queries.some((q) => q.type === 'PTR'), 'the PTR was asked of the configured resolver');
});

test('missing and wrong records fail with the record to publish; no answer warns', async (t) => {
  const { api, dns } = await setup(t, {
    'example.com': { MX: [{ priority: 10, exchange: 'mx.elsewhere.example' }], TXT: ['v=spf1 include:a.example -all', 'v=spf1 mx -all'] },
    'mail.example.com': { A: ['192.0.2.25'] },
    '_dmarc.example.com': { servfail: true },
    '25.2.0.192.in-addr.arpa': { PTR: ['host-192-0-2-25.isp.example'] },
  });
  const dkim = await api.generateDkimKey({ domain: 'example.com' });
  dns.zone[dkim.dnsName] = { TXT: ['v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAother'] };
  const report = await api.checkDns({ domain: 'example.com' });
  const r = byId(report);
  assert.equal(report.status, 'fail');
  assert.equal(r.mx.status, 'fail');
  assert.match(r.mx.detail, /points elsewhere.*MX 10 mail\.example\.com\./);
  assert.equal(r.spf.status, 'fail');
  assert.match(r.spf.detail, /More than one SPF record/);
  assert.equal(r.dkim.status, 'fail');
  assert.match(r.dkim.detail, /not the one Mailroom signs with/);
  assert.equal(r.dmarc.status, 'warn');
  assert.match(r.dmarc.detail, /No answer for _dmarc\.example\.com \(ESERVFAIL\)/);
  const ptr = report.records.find((x) => x.id === 'ptr')!;
  assert.equal(ptr.status, 'warn');
  assert.match(ptr.detail, /names host-192-0-2-25\.isp\.example, not mail\.example\.com/);

  delete dns.zone['example.com'];
  const gone = byId(await api.checkDns({ domain: 'example.com' }));
  assert.equal(gone.mx.status, 'fail');
  assert.match(gone.mx.detail, /Not published: the name does not exist\. Publish MX example\.com → 10 mail\.example\.com\./);
  await assert.rejects(api.checkDns({ domain: 'nowhere.example' }), { code: 'not-found' });
});
