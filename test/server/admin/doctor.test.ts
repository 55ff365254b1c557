// runDoctor (issue 11 §7): each check finds the problem it is for, says how to fix it, and reports
// a sound install as ok. Runs over a real data folder with a fake DNS server on loopback.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { openContext } from '../../../server/index.js';
import { createAdminApi } from '../../../server/admin/api.js';
import { createPasswordHasher } from '../../../server/auth/password-hash.js';
import { createDnsResolver } from '../../../server/dns/resolver.js';
import type { DoctorReport } from '../../../server/admin/contract.js';
import { startFakeDns } from '../../helpers/fake-dns.js';
import { fakeClock, tempDir } from '../../helpers/temp.js';

/** `settingsResolver`: the server's own resolver, following the dnsServers setting, instead of the fake DNS. */
async function setup(t: TestContext, settingsResolver = false) {
  const dataDir = tempDir(t);
  const clock = fakeClock(Date.now());
  const dns = await startFakeDns(t, {
    'example.com': { MX: [{ priority: 10, exchange: 'localhost.localdomain' }], TXT: ['v=spf1 mx -all'] },
    'localhost.localdomain': { A: ['192.0.2.25'] },
    '_dmarc.example.com': { TXT: ['v=DMARC1; p=reject'] },
    '25.2.0.192.in-addr.arpa': { PTR: ['localhost.localdomain'] },
  });
  const resolver = settingsResolver ? undefined : createDnsResolver({ servers: () => [dns.server], timeoutMs: 500, tries: 1 });
  const ctx = await openContext(dataDir, { clock, hasher: createPasswordHasher({ cost: 'test' }), resolver });
  t.after(() => ctx.close());
  const api = createAdminApi({ ...ctx, log: ctx.log, status: () => ({ version: 't', startedAt: 0, listeners: {} }) });
  return { api, ctx, clock, dataDir, dns };
}

const byId = (report: DoctorReport) => Object.fromEntries(report.checks.map((c) => [c.id, c]));
const ownerOnly = (dir: string) => {
  chmodSync(dir, 0o700);
  for (const name of readdirSync(dir)) if (name.startsWith('mailroom.sqlite')) chmodSync(join(dir, name), 0o600);
};

test('a sound install: every check ok, integrity on demand', async (t) => {
  const { api, dataDir } = await setup(t);
  await api.addDomain({ name: 'example.com' });
  await api.addNetwork({ cidr: '192.168.1.0/24', relay: true });
  ownerOnly(dataDir);
  const report = await api.runDoctor({});
  const checks = byId(report);
  assert.deepEqual(Object.keys(checks), ['relay', 'certificate', 'permissions', 'disk', 'listeners', 'settings', 'dns', 'records', 'queue', 'quota', 'logins']);
  for (const id of ['relay', 'certificate', 'listeners', 'settings', 'dns', 'records', 'queue', 'quota', 'logins']) assert.equal(checks[id].status, 'ok', `${id}: ${checks[id].detail}`);
  if (process.platform !== 'win32') assert.equal(checks.permissions.status, 'ok', checks.permissions.detail);
  assert.match(checks.relay.detail, /Only private ranges relay without a password \(192\.168\.1\.0\/24\)/);
  assert.match(checks.dns.detail, /answer \(asked for the MX of example\.com\)/);
  assert.match(checks.records.detail, /^example\.com: MX, SPF, DKIM, DMARC and PTR are published\.$/);
  const integrity = byId(await api.runDoctor({ integrity: true })).integrity;
  assert.deepEqual([integrity.status, integrity.detail], ['ok', 'PRAGMA integrity_check: ok.']);
});

test('finds an open relay, invalid stored settings, open permissions, an expiring certificate and an old queue', async (t) => {
  const { api, ctx, clock, dataDir } = await setup(t);
  await api.addNetwork({ cidr: '0.0.0.0/0', relay: true, confirmOpenRelay: true });
  await ctx.store.settings.set('listenHost', 'not an ip');
  await ctx.store.settings.set('ports', { smtp: 2525, imap: 99999 });
  await api.getTlsInfo({}); // the certificate is made now, valid for years
  await ctx.store.deliver({ bytes: Buffer.from('Subject: x\r\n\r\nbody\r\n'), local: [], remote: { sender: 'a@example.org', recipients: ['b@far.test'], messageId: null } });
  chmodSync(dataDir, 0o755);

  clock.advance(25 * 3600_000);
  const checks = byId(await api.runDoctor({}));
  assert.equal(checks.relay.status, 'fail');
  assert.match(checks.relay.fix!, /mailroom network remove 0\.0\.0\.0\/0/);
  assert.equal(checks.settings.status, 'fail');
  assert.match(checks.settings.detail, /listenHost = "not an ip": "not an ip" is not an IP address/);
  assert.match(checks.settings.detail, /ports\.imap = 99999: A port is 1 to 65535/);
  assert.match(checks.settings.fix!, /mailroom config (un)?set listenHost/);
  assert.equal(checks.queue.status, 'warn');
  assert.match(checks.queue.detail, /1 recipient\(s\) queued, 0 after a failed try; the oldest has waited 25\.0 h/);
  if (process.platform !== 'win32') {
    assert.equal(checks.permissions.status, 'warn');
    assert.match(checks.permissions.fix!, /^chmod 700 /);
  }

  await api.updateSettings({ hostname: 'mx.renamed.test' });
  assert.equal(byId(await api.runDoctor({})).certificate.status, 'warn', 'a certificate that does not name the hostname');
  const validTo = (await api.getTlsInfo({})).certificate.validTo;
  clock.advance(validTo - clock.now() - 24 * 3600_000);
  assert.match(byId(await api.runDoctor({})).certificate.detail, /expires on/);
  clock.advance(2 * 24 * 3600_000);
  const expired = byId(await api.runDoctor({})).certificate;
  assert.deepEqual([expired.status, /expired on/.test(expired.detail)], ['fail', true]);
});

test('a resolver that does not answer fails the DNS check with the fix', async (t) => {
  // A loopback UDP port with nobody behind it.
  const closed = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
  const { api } = await setup(t, true);
  await api.updateSettings({ dnsServers: [`127.0.0.1:${closed}`] });
  const dns = byId(await api.runDoctor({})).dns;
  assert.equal(dns.status, 'fail', dns.detail);
  assert.match(dns.detail, new RegExp(`No answer from 127\\.0\\.0\\.1:${closed} for the MX of example\\.com`));
  assert.match(dns.fix!, /mailroom config unset dnsServers/);
});

test('names full and nearly full mailboxes, and a burst of failed logins with the banned addresses', async (t) => {
  const { api, ctx } = await setup(t);
  await api.addDomain({ name: 'example.com' });
  const inbox = async (address: string, quota: number, bytes: number) => {
    await api.addAccount({ address, password: 'long enough pw', quota });
    const account = (await ctx.store.accounts.find(address.split('@')[0], 'example.com'))!;
    const mailboxId = (await ctx.store.mailboxes.require(account.id, 'INBOX')).id;
    const message = Buffer.from(`Subject: x\r\n\r\n${'x'.repeat(bytes)}\r\n`);
    await ctx.store.deliver({ bytes: message, local: [{ mailboxId, prefix: Buffer.alloc(0), flags: 0, keywords: [], internalDate: 1, sentDate: null, envelope: '[]', bodystructure: '[]', parts: '{}' }] });
  };
  await inbox('full@example.com', 1000, 2000);
  await inbox('near@example.com', 1000, 920);
  await inbox('roomy@example.com', 100_000, 100);
  const quota = byId(await api.runDoctor({})).quota;
  assert.equal(quota.status, 'fail', quota.detail);
  assert.match(quota.detail, /^Full: full@example\.com \(\d+%\); new mail to them is refused\. Nearly full: near@example\.com \(9\d%\)\.$/);
  assert.ok(quota.fix);

  // 25 failed logins this hour, as the authenticator logs them (the counters are written with the rows).
  const now = ctx.clock.now();
  await ctx.store.log.insertMany(Array.from({ length: 25 }, (_, i) => ({ ts: now, level: 'warn' as const, component: 'auth', sessionId: null, queueId: null, messageId: null, event: 'auth.fail', fields: { remote: `192.0.2.${i}` } })));
  const logins = byId(await api.runDoctor({})).logins;
  assert.equal(logins.status, 'warn', logins.detail);
  assert.match(logins.detail, /^25 failed logins this hour \(someone may be guessing passwords\); no address is banned\.$/);
});

test('the DNS records check names the records a domain is missing, with where to see what to publish', async (t) => {
  const { api, dns } = await setup(t);
  await api.addDomain({ name: 'example.com' });
  dns.zone['example.com'] = { MX: [{ priority: 10, exchange: 'mx.elsewhere.test' }] };
  const records = byId(await api.runDoctor({})).records;
  assert.equal(records.status, 'fail');
  assert.match(records.detail, /^Missing or wrong: example\.com MX example\.com, example\.com TXT example\.com\.$/);
  assert.match(records.fix!, /Domains → DNS check \(or mailroom dns check example\.com\)/);
});
