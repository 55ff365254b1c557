// A bad setting or an address the machine does not have must not keep the server, and above all its
// admin GUI, from starting (issue 11 §4): the failing part is off and reported, the rest runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMailServer, openContext } from '../../server/index.js';
import { PORT_NAMES } from '../../server/settings.js';
import { createPasswordHasher } from '../../server/auth/password-hash.js';
import { createAdminApi } from '../../server/admin/api.js';
import { tempDir } from '../helpers/temp.js';

const ZERO_PORTS = Object.fromEntries(PORT_NAMES.map((name) => [name, 0]));

test('mail listeners that cannot bind are off and reported; the admin listener falls back to loopback', async (t) => {
  const dataDir = tempDir(t);
  const setup = await openContext(dataDir);
  // 192.0.2.1 and 198.51.100.7 (TEST-NET) are valid addresses that this machine does not have.
  await setup.store.settings.set('listenHost', '192.0.2.1');
  await setup.store.settings.set('adminHost', '198.51.100.7');
  // Written by hand or by an older version: no longer valid.
  await setup.store.settings.set('dnsServers', ['not-an-ip']);
  await setup.store.settings.set('limits', { maxRecipients: 0, maxConnectionsPerIp: 5 });
  await setup.close();

  const logged: Array<{ event: string; fields: Record<string, unknown> }> = [];
  const logEcho = (line: string) => {
    const [, , , event, ...json] = line.split(' ');
    logged.push({ event, fields: JSON.parse(json.join(' ')) as Record<string, unknown> });
  };
  const server = await createMailServer({ dataDir, ports: ZERO_PORTS, logEcho }, { hasher: createPasswordHasher({ cost: 'test' }) });
  const events: Array<{ name: string; state: string }> = [];
  server.events.on('listener', (e) => void events.push({ name: e.name, state: e.state }));
  const started = await server.start();

  assert.ok((started.ports.admin ?? 0) > 0, 'the admin listener is up');
  const res = await fetch(`http://127.0.0.1:${started.ports.admin}/api/health`);
  assert.deepEqual(await res.json(), { ok: true }, 'the admin HTTP answers on loopback');
  const mail = PORT_NAMES.filter((n) => n !== 'admin');
  assert.deepEqual(Object.keys(started.failed).sort(), [...mail].sort(), 'every mail listener is off');
  assert.equal(started.failed.smtp?.code, 'EADDRNOTAVAIL');
  assert.equal(started.failed.smtp?.host, '192.0.2.1');
  assert.deepEqual(events.filter((e) => e.state === 'failed').map((e) => e.name).sort(), ['admin', ...mail].sort());
  assert.deepEqual(events.filter((e) => e.state === 'listening').map((e) => e.name), ['admin']);

  const status = await server.admin.getStatus();
  assert.deepEqual(Object.keys(status.failedListeners ?? {}).sort(), [...mail].sort());
  assert.match(status.failedListeners!.imap, /EADDRNOTAVAIL/);

  const settings = server.context.settings();
  assert.deepEqual([settings.dnsServers, settings.limits.maxRecipients, settings.limits.maxConnectionsPerIp], [[], 100, 5], 'bad values on their defaults, good ones kept');
  const of = (event: string) => logged.filter((r) => r.event === event).map((r) => r.fields);
  assert.deepEqual(of('server.setting-invalid').map((f) => f.key).sort(), ['dnsServers', 'limits.maxRecipients']);
  assert.deepEqual(of('server.admin-fallback').map((f) => [f.configured, f.host]), [['198.51.100.7', '127.0.0.1']]);
  assert.deepEqual(Object.keys(of('server.start')[0].failed as object).sort(), [...mail].sort(), 'the start row names what is off');

  // The doctor says the same, with the fix: from the running server, and from the log once it stopped.
  const running = (await server.admin.runDoctor({})).checks.find((c) => c.id === 'listeners')!;
  assert.equal(running.status, 'fail');
  assert.match(running.detail, /smtp: .*EADDRNOTAVAIL/);
  assert.match(running.fix!, /mailroom config set listenHost 0\.0\.0\.0/);
  await server.stop();
  const cli = await openContext(dataDir);
  t.after(() => cli.close());
  const api = createAdminApi({ ...cli, status: () => ({ version: '', startedAt: 0, listeners: {} }) });
  const afterwards = (await api.runDoctor({})).checks.find((c) => c.id === 'listeners')!;
  assert.equal(afterwards.status, 'fail');
  assert.match(afterwards.detail, /imap: .*EADDRNOTAVAIL.* at the last start/);
});

test('an admin listener that cannot bind even on loopback fails the start', async (t) => {
  const first = await createMailServer({ dataDir: tempDir(t), listenHost: '127.0.0.1', ports: ZERO_PORTS }, { hasher: createPasswordHasher({ cost: 'test' }) });
  const { ports } = await first.start();
  t.after(() => first.stop());
  const second = await createMailServer({ dataDir: tempDir(t), listenHost: '127.0.0.1', ports: { ...ZERO_PORTS, admin: ports.admin } }, { hasher: createPasswordHasher({ cost: 'test' }) });
  await assert.rejects(second.start(), (e: NodeJS.ErrnoException) => e.code === 'EADDRINUSE');
});
