// The first-run wizard's TLS and ports steps, server side: getTlsInfo / importCertificate check and
// store a PEM chain and key in the data folder; testPorts binds each port and explains failures.
//
// Not tested here: the EACCES branch (a port below 1024 refused to an unprivileged user). These tests
// run as root, which may bind any port, so that refusal cannot be provoked; its wording is covered by
// the branch in server/net/port-probe.ts `testPortSet` only.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { createAdminApi } from '../../../server/admin/api.js';
import { testPortSet, tryBind } from '../../../server/net/port-probe.js';
import { AdminError } from '../../../server/admin/contract.js';
import { openStore } from '../../../server/store/index.js';
import { EventBus } from '../../../server/events.js';
import { createLogSink } from '../../../server/log.js';
import { createSelfSigned, loadOrCreateCertificate } from '../../../server/tls/certificate.js';
import { createLiveTlsIdentity } from '../../../server/tls/live-identity.js';
import { plainCredentials } from '../../helpers/admin.js';
import { issue } from '../../helpers/certificates.js';
import { tempDir } from '../../helpers/temp.js';
import { loadSettingsCache } from '../../../server/settings-cache.js';

const YEAR = 365 * 86_400_000;

async function fixture(t: TestContext, listeners: Record<string, number> = {}) {
  const dataDir = tempDir(t);
  const clock = { now: () => Date.now() };
  const store = openStore(join(dataDir, 'mailroom.sqlite'), clock);
  const bus = new EventBus();
  const sink = createLogSink({ repo: store.log, clock, bus });
  t.after(async () => {
    await sink.close();
    await store.close();
  });
  await store.settings.set('hostname', 'mail.example.test');
  // As at server start: the listeners load (here: generate) the identity once.
  const tls = loadOrCreateCertificate(dataDir, 'mail.example.test', clock.now());
  const live = createLiveTlsIdentity({ dataDir, hostname: () => 'mail.example.test', now: () => clock.now(), log: sink.root });
  const api = createAdminApi({ store, settingsCache: await loadSettingsCache(store.settings, clock), credentials: plainCredentials, clock, bus, log: sink.root, dataDir, runningTls: live.current, reloadTls: live.reload, status: () => ({ version: 't', startedAt: 0, listeners }) });
  return { api, dataDir, tls };
}

const refused = (field: string, pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof AdminError, String(e));
  assert.equal(e.code, 'invalid');
  assert.equal(e.field, field);
  assert.match(e.message, pattern);
  return true;
};

function holdPort(t: TestContext, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve) => {
    const server: Server = createServer().listen({ host, port: 0 }, () => resolve((server.address() as AddressInfo).port));
    t.after(() => server.close());
  });
}

test('getTlsInfo describes the generated self-signed certificate', async (t) => {
  const { api, tls } = await fixture(t);
  const info = await api.getTlsInfo();
  const x509 = new X509Certificate(tls.cert);
  assert.equal(info.certificate.commonName, 'mail.example.test');
  assert.match(info.certificate.subject, /^CN=mail\.example\.test, O=Mailroom \(self-signed\)$/);
  assert.deepEqual(info.certificate.altNames, ['DNS:mail.example.test', 'DNS:localhost', 'IP Address:127.0.0.1']);
  assert.equal(info.certificate.issuer, info.certificate.subject);
  assert.equal(info.certificate.selfSigned, true);
  assert.equal(info.certificate.fingerprint256, x509.fingerprint256);
  assert.equal(info.certificate.keyType, 'RSA 2048');
  assert.ok(info.certificate.validTo > Date.now() + 9 * YEAR);
  assert.equal(info.namesHostname, true);
  assert.equal(info.restartNeeded, false);
});

test('importCertificate stores a CA-issued chain and key; the key file is 0600; the running listeners take it at once', async (t) => {
  const { api, dataDir } = await fixture(t);
  const ca = issue({ commonName: 'Test CA', ca: true });
  const server = issue({ commonName: 'mail.example.test', issuer: ca });
  const result = await api.importCertificate({ certPem: `subject=CN = mail.example.test\n${server.cert}\n${ca.cert}`, keyPem: server.key });
  assert.equal(result.certificate.selfSigned, false);
  assert.equal(result.certificate.issuer, 'CN=Test CA');
  assert.equal(result.certificate.chainLength, 2);
  assert.equal(result.namesHostname, true);
  assert.equal(result.restartNeeded, false);
  assert.match(result.message, /imported\. New connections use it now; open ones keep the old one until they reconnect\./);

  const stored = readFileSync(join(dataDir, 'tls', 'cert.pem'), 'utf8');
  assert.doesNotMatch(stored, /subject=/, 'only the certificate blocks are kept');
  assert.equal(new X509Certificate(stored).fingerprint256, new X509Certificate(server.cert).fingerprint256);
  assert.equal(readFileSync(join(dataDir, 'tls', 'key.pem'), 'utf8').trim(), server.key.trim());
  assert.equal(statSync(join(dataDir, 'tls', 'key.pem')).mode & 0o777, 0o600);
  // What the next start loads is the imported pair.
  const next = loadOrCreateCertificate(dataDir, 'mail.example.test', Date.now());
  assert.equal(next.generated, false);
  assert.equal(next.cert, stored);
  assert.deepEqual((await api.getTlsInfo()).certificate, result.certificate);
});

test('a certificate for another name is imported with a warning that clients will complain', async (t) => {
  const { api } = await fixture(t);
  const other = createSelfSigned('other.example', Date.now());
  const result = await api.importCertificate({ certPem: other.cert, keyPem: other.key });
  assert.equal(result.namesHostname, false);
  assert.match(result.message, /does not name mail\.example\.test/);
});

test('renewSelfSigned makes a new self-signed certificate for the current hostname', async (t) => {
  const { api, dataDir } = await fixture(t);
  await api.updateSettings({ hostname: 'mx.renamed.test' });
  assert.equal((await api.getTlsInfo()).namesHostname, false, 'the certificate made at start names the old hostname');
  const result = await api.renewSelfSigned();
  assert.equal(result.certificate.commonName, 'mx.renamed.test');
  assert.equal(result.certificate.selfSigned, true);
  assert.equal(result.namesHostname, true);
  assert.equal(result.restartNeeded, false);
  assert.match(result.message, /New connections use it now/);
  assert.equal(statSync(join(dataDir, 'tls', 'key.pem')).mode & 0o777, 0o600);
});

test('importCertificate refuses a key that belongs to another certificate, and keeps the old files', async (t) => {
  const { api, dataDir } = await fixture(t);
  const before = readFileSync(join(dataDir, 'tls', 'cert.pem'), 'utf8');
  const a = createSelfSigned('mail.example.test', Date.now());
  const b = createSelfSigned('mail.example.test', Date.now());
  await assert.rejects(api.importCertificate({ certPem: a.cert, keyPem: b.key }), refused('keyPem', /does not belong to the certificate for mail\.example\.test/));
  assert.equal(readFileSync(join(dataDir, 'tls', 'cert.pem'), 'utf8'), before);
});

test('importCertificate refuses an expired certificate and one not valid yet, naming the date', async (t) => {
  const { api } = await fixture(t);
  const expired = createSelfSigned('mail.example.test', Date.now() - 11 * YEAR);
  await assert.rejects(api.importCertificate({ certPem: expired.cert, keyPem: expired.key }), refused('certPem', /expired on .*\d{4}/));
  const future = issue({ commonName: 'mail.example.test', from: Date.now() + YEAR, to: Date.now() + 2 * YEAR });
  await assert.rejects(api.importCertificate({ certPem: future.cert, keyPem: future.key }), refused('certPem', /not valid yet/));
});

test('importCertificate refuses garbage, swapped fields, a broken block and a chain out of order', async (t) => {
  const { api } = await fixture(t);
  const good = createSelfSigned('mail.example.test', Date.now());
  await assert.rejects(api.importCertificate({ certPem: 'hello', keyPem: good.key }), refused('certPem', /not in PEM form/));
  await assert.rejects(api.importCertificate({ certPem: good.cert, keyPem: 'hello' }), refused('keyPem', /not in PEM form/));
  await assert.rejects(api.importCertificate({ certPem: good.key, keyPem: good.cert }), refused('certPem', /holds a private key/));
  await assert.rejects(api.importCertificate({ certPem: good.cert, keyPem: good.cert }), refused('keyPem', /holds a certificate/));
  await assert.rejects(api.importCertificate({ certPem: '', keyPem: good.key }), refused('certPem', /Paste the certificate chain/));
  const broken = good.cert.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA');
  await assert.rejects(api.importCertificate({ certPem: broken, keyPem: good.key }), refused('certPem', /cannot be read as X\.509|does not belong/));
  const brokenKey = good.key.replace(/\n[A-Za-z0-9+/]{40}/, '\n');
  await assert.rejects(api.importCertificate({ certPem: good.cert, keyPem: brokenKey }), refused('keyPem', /cannot be read/));

  const ca = issue({ commonName: 'Test CA', ca: true });
  const leaf = issue({ commonName: 'mail.example.test', issuer: ca });
  await assert.rejects(api.importCertificate({ certPem: ca.cert + leaf.cert, keyPem: leaf.key }), refused('keyPem', /does not belong/));
  const unrelated = issue({ commonName: 'Other CA', ca: true });
  await assert.rejects(api.importCertificate({ certPem: leaf.cert + unrelated.cert, keyPem: leaf.key }), refused('certPem', /did not issue certificate 1/));
});

test('without a data folder the TLS methods say so', async (t) => {
  const clock = { now: () => Date.now() };
  const store = openStore(join(tempDir(t), 'x.sqlite'), clock);
  const bus = new EventBus();
  const sink = createLogSink({ repo: store.log, clock, bus });
  t.after(async () => {
    await sink.close();
    await store.close();
  });
  const api = createAdminApi({ store, settingsCache: await loadSettingsCache(store.settings, clock), credentials: plainCredentials, clock, bus, log: sink.root, status: () => ({ version: 't', startedAt: 0, listeners: {} }) });
  await assert.rejects(api.getTlsInfo(), (e: AdminError) => e.code === 'not-found' && /no data folder/.test(e.message));
});

test('testPorts: a free port is OK, one held by another program is explained with an alternative', async (t) => {
  const busy = await holdPort(t);
  const { api } = await fixture(t);
  const report = await api.testPorts({ host: '127.0.0.1', ports: { smtp: busy, imap: 0 } });
  const [smtp, imap] = report.results;
  assert.equal(smtp.status, 'in-use');
  assert.equal(smtp.ok, false);
  assert.equal(smtp.code, 'EADDRINUSE');
  assert.match(smtp.explanation, /Another program \(maybe another mail server\) uses port \d+; or use the alternative port \d+\./);
  assert.ok(smtp.alternative !== undefined && smtp.alternative !== busy);
  assert.equal(await tryBind('127.0.0.1', smtp.alternative), undefined, 'the alternative binds');
  assert.equal(imap.status, 'free');
  assert.equal(imap.ok, true);
  assert.equal(report.allOk, false);
  assert.match(report.note, /next start/);
});

test('testPorts: a port this Mailroom already listens on counts as OK', async (t) => {
  const own = await holdPort(t);
  const { api } = await fixture(t, { submission: own });
  const report = await api.testPorts({ host: '127.0.0.1', ports: { submission: own } });
  assert.deepEqual(report.results.map((r) => [r.status, r.ok]), [['mailroom', true]]);
  assert.match(report.results[0].explanation, /this Mailroom \(its submission listener\)/);
  assert.equal(report.allOk, true);
});

test('testPorts: a port chosen twice is refused on the second listener', async () => {
  const results = await testPortSet(
    [
      { name: 'imap', port: 0, host: '127.0.0.1' },
      { name: 'smtp', port: 40_025, host: '127.0.0.1' },
      { name: 'pop3', port: 40_025, host: '127.0.0.1' },
    ],
    {},
  );
  assert.deepEqual(results.map((r) => r.status), ['free', 'free', 'duplicate']);
  assert.match(results[2].explanation, /also chosen for smtp/);
  assert.ok(results[2].alternative !== undefined && results[2].alternative !== 40_025);
});

test('testPorts offers the well-known alternative for a standard port (25 → 2525)', async (t) => {
  if ((await tryBind('127.0.0.1', 2525)) !== undefined) return t.skip('port 2525 is in use on this machine');
  // Hold 25 ourselves (we run as root); if something else holds it already, the result is the same.
  const held = createServer();
  await new Promise<void>((resolve) => held.once('error', () => resolve()).listen({ host: '127.0.0.1', port: 25 }, resolve));
  t.after(() => held.close());
  const [smtp] = await testPortSet([{ name: 'smtp', port: 25, host: '127.0.0.1' }], {});
  assert.ok(smtp.status === 'in-use' || smtp.status === 'privileged', smtp.status);
  assert.equal(smtp.alternative, 2525);
  assert.match(smtp.explanation, /alternative port 2525/);
});

test('testPorts refuses a port out of range and an unknown listener name', async (t) => {
  const { api } = await fixture(t);
  await assert.rejects(api.testPorts({ ports: { smtp: 70_000 } }), (e: AdminError) => e.code === 'invalid' && /0 to 65535/.test(e.message));
  await assert.rejects(api.testPorts({ ports: { gopher: 70 } as never }), (e: AdminError) => e.code === 'invalid');
});

test('testPorts explains an address that is not this machine’s', async (t) => {
  const { api } = await fixture(t);
  const report = await api.testPorts({ host: '192.0.2.123', ports: { imap: 0 } });
  assert.equal(report.results[0].status, 'unavailable');
  assert.match(report.results[0].explanation, /not an address of this machine/);
});
