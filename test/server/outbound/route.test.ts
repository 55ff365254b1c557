// Routing (transport table, hosted domain, relay host, MX) and next-hop resolution (RFC 5321 §5.1,
// RFC 7505 null MX) against the fake DNS server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planRoute, resolveHops, recipientDomain } from '../../../server/delivery/outbound/route.js';
import { createDnsResolver, dnsFailure } from '../../../server/dns/resolver.js';
import { defaultSettings } from '../../../server/settings.js';
import { startFakeDns, type FakeZone } from '../../helpers/fake-dns.js';
import { adminFixture } from '../../helpers/admin.js';

async function hops(t: Parameters<typeof startFakeDns>[0], zone: FakeZone, domain: string, ours = 'mail.local.test') {
  const dns = await startFakeDns(t, zone);
  const resolver = createDnsResolver({ servers: () => [dns.server], timeoutMs: 1000, tries: 1 });
  return resolveHops({ via: 'mx', domain, port: 25 }, resolver, ours);
}

const addresses = (plan: Awaited<ReturnType<typeof hops>>) => (plan.ok ? plan.hops.map((h) => `${h.host}/${h.address}`) : plan);

test('MX hosts are tried by preference, IPv4 before IPv6, with opportunistic unverified TLS', async (t) => {
  const plan = await hops(
    t,
    {
      'remote.test': { MX: [{ priority: 20, exchange: 'backup.remote.test' }, { priority: 10, exchange: 'mx.remote.test' }] },
      'mx.remote.test': { A: ['192.0.2.1'], AAAA: ['2001:db8::1'] },
      'backup.remote.test': { A: ['192.0.2.2'] },
    },
    'remote.test',
  );
  assert.deepEqual(addresses(plan), ['mx.remote.test/192.0.2.1', 'mx.remote.test/2001:db8::1', 'backup.remote.test/192.0.2.2']);
  assert.ok(plan.ok && plan.hops.every((h) => h.tls === 'opportunistic' && !h.verify && h.port === 25));
});

test('no MX record means the domain itself (implicit MX); an unresolvable MX host is skipped', async (t) => {
  assert.deepEqual(addresses(await hops(t, { 'remote.test': { A: ['192.0.2.9'] } }, 'remote.test')), ['remote.test/192.0.2.9']);
  assert.deepEqual(
    addresses(
      await hops(
        t,
        { 'remote.test': { MX: [{ priority: 5, exchange: 'gone.remote.test' }, { priority: 10, exchange: 'mx.remote.test' }] }, 'mx.remote.test': { A: ['192.0.2.3'] } },
        'remote.test',
      ),
    ),
    ['mx.remote.test/192.0.2.3'],
  );
});

test('NXDOMAIN, null MX and a loop back to us are permanent; a DNS failure is temporary', async (t) => {
  assert.deepEqual(await hops(t, {}, 'nowhere.test'), {
    ok: false,
    outcome: 'permanent',
    status: '5.1.2',
    diagnostic: 'Host or domain name not found: nowhere.test (MX lookup: NXDOMAIN)',
  });
  const nullMx = await hops(t, { 'nomail.test': { MX: [{ priority: 0, exchange: '' }] } }, 'nomail.test');
  assert.equal(!nullMx.ok && nullMx.status, '5.1.10');
  const loop = await hops(t, { 'local.test': { MX: [{ priority: 10, exchange: 'mail.local.test' }, { priority: 20, exchange: 'backup.test' }] } }, 'local.test');
  assert.equal(!loop.ok && loop.status, '5.4.6');
  const better = await hops(
    t,
    { 'local.test': { MX: [{ priority: 5, exchange: 'primary.test' }, { priority: 10, exchange: 'mail.local.test' }] }, 'primary.test': { A: ['192.0.2.5'] } },
    'local.test',
  );
  assert.deepEqual(addresses(better), ['primary.test/192.0.2.5'], 'as a backup MX we only hand mail to better MXs');
  const servfail = await hops(t, { 'flaky.test': { servfail: true } }, 'flaky.test');
  assert.equal(!servfail.ok && servfail.outcome, 'temporary');
  assert.equal(!servfail.ok && servfail.status, '4.4.3');
  const noAddress = await hops(t, { 'remote.test': { MX: [{ priority: 10, exchange: 'mx.remote.test' }] }, 'mx.remote.test': {} }, 'remote.test');
  assert.equal(!noAddress.ok && noAddress.outcome, 'temporary');
  const noHost = await hops(t, { 'remote.test': { TXT: ['v=spf1 -all'] } }, 'remote.test');
  assert.equal(!noHost.ok && noHost.status, '5.1.2', 'implicit MX without an address');
});

test('dnsFailure classifies node resolver errors', () => {
  assert.equal(dnsFailure(Object.assign(new Error('x'), { code: 'ENOTFOUND' })), 'nxdomain');
  assert.equal(dnsFailure(Object.assign(new Error('x'), { code: 'ENODATA' })), 'nodata');
  assert.equal(dnsFailure(Object.assign(new Error('x'), { code: 'ETIMEOUT' })), 'temporary');
  assert.equal(dnsFailure(null), 'temporary');
});

test('the resolver picks up a changed server list without a restart', async (t) => {
  const a = await startFakeDns(t, { 'x.test': { A: ['192.0.2.1'] } });
  const b = await startFakeDns(t, { 'x.test': { A: ['192.0.2.2'] } });
  let servers = [a.server];
  const resolver = createDnsResolver({ servers: () => servers, timeoutMs: 1000, tries: 1 });
  assert.deepEqual(await resolver.resolve4('x.test'), ['192.0.2.1']);
  servers = [b.server];
  assert.deepEqual(await resolver.resolve4('x.test'), ['192.0.2.2']);
  assert.deepEqual(await resolver.resolveTxt('x.test').catch((e: { code: string }) => e.code), 'ENODATA');
});

test('planRoute: transport table first, then hosted domains, then the relay host, then MX', async (t) => {
  const { api, store } = await adminFixture(t);
  await api.addDomain({ name: 'local.test' });
  await api.setTransport({ domain: 'fixed.test', route: 'smtp:[10.0.0.5]:2525' });
  await api.setTransport({ domain: 'via.test', route: 'smtp:mx.via.test:587' });
  await api.setTransport({ domain: 'blocked.test', route: 'reject' });
  const s = defaultSettings();
  assert.deepEqual(await planRoute('fixed.test', store, s), {
    kind: 'smtp',
    key: 'fixed:10.0.0.5:2525',
    target: { via: 'fixed', host: '10.0.0.5', port: 2525, tls: 'opportunistic', verify: false },
  });
  assert.deepEqual(await planRoute('via.test', store, s), { kind: 'smtp', key: 'mx:mx.via.test:587', target: { via: 'mx', domain: 'mx.via.test', port: 587 } });
  assert.deepEqual(await planRoute('blocked.test', store, s), { kind: 'reject' });
  assert.deepEqual(await planRoute('local.test', store, s), { kind: 'local' });
  assert.deepEqual(await planRoute('far.test', store, s), { kind: 'smtp', key: 'mx:far.test:25', target: { via: 'mx', domain: 'far.test', port: 25 } });
  const relayed = { ...s, relayHost: { host: 'smtp.isp.test', port: 465, tls: 'implicit' as const, username: 'u', password: 'p' } };
  assert.deepEqual(await planRoute('far.test', store, relayed), {
    kind: 'smtp',
    key: 'relay:smtp.isp.test:465',
    target: { via: 'fixed', host: 'smtp.isp.test', port: 465, tls: 'implicit', verify: true, auth: { user: 'u', pass: 'p' } },
  });
  assert.deepEqual((await planRoute('fixed.test', store, relayed)).kind, 'smtp', 'a transport entry beats the relay host');
  assert.equal(recipientDomain('Bob@Bücher.Example'), 'xn--bcher-kva.example');
  assert.equal(recipientDomain('x@[192.0.2.7]'), '192.0.2.7');
  assert.equal(recipientDomain('x@[IPv6:2001:db8::7]'), '2001:db8::7');
  const literal = await planRoute('192.0.2.7', store, s);
  assert.ok(literal.kind === 'smtp' && literal.target.via === 'mx');
  const direct = await resolveHops(literal.target, createDnsResolver({ servers: () => ['127.0.0.1:1'] }), 'mail.local.test');
  assert.deepEqual(direct.ok && direct.hops.map((h) => [h.host, h.address, h.port]), [['192.0.2.7', '192.0.2.7', 25]], 'no DNS for an address literal');
});
