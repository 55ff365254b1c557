import { test } from 'node:test';
import assert from 'node:assert/strict';
import { message, startPop3 } from './harness.js';

test('an over-long command line is refused and the session goes on', async (t) => {
  const f = await startPop3(t);
  const c = await f.connect();
  assert.equal(await c.command(`USER ${'a'.repeat(5000)}`), '-ERR Command line longer than 1024 octets');
  assert.equal(await c.command(`NOOP ${'b'.repeat(1000)}`), '-ERR Syntax: NOOP', 'within the limit, parsed normally');
  assert.equal((await c.multi('CAPA')).status, '+OK Capability list follows');
  await c.quit();
});

test('an over-long SASL response is refused', async (t) => {
  const f = await startPop3(t);
  const c = await f.connect();
  assert.equal(await c.command('AUTH PLAIN'), '+ ');
  assert.equal(await c.command('A'.repeat(20_000)), '-ERR The SASL response is longer than 12288 octets');
  assert.match(await c.command('AUTH'), /^\+OK Mechanisms follow/);
  await c.quit();
});

test('too many bad commands close the connection, without committing deletions', async (t) => {
  const f = await startPop3(t);
  await f.admin.updateSettings({ allowPlaintextAuthFromTrusted: true, limits: { hardErrorLimit: 3 } });
  await f.deliver(message('x', 'y\r\n'));
  const c = await f.login();
  assert.match(await c.command('DELE 1'), /^\+OK/);
  assert.equal(await c.command('XYZZY'), '-ERR Unknown command');
  assert.equal(await c.command('RETR 9'), '-ERR There is no message 9');
  assert.equal(await c.command('FOO'), '-ERR Unknown command; too many errors, closing the connection');
  assert.equal(await c.closed(), '');
  assert.equal(await f.ctx.store.messages.count(f.inboxId), 1);
  assert.equal((await f.logged('pop3.error-limit')).fields.errors, 3);
});

test('connections beyond the per-address limit are turned away', async (t) => {
  const f = await startPop3(t);
  await f.admin.updateSettings({ allowPlaintextAuthFromTrusted: true, limits: { maxConnectionsPerIp: 2 } });
  const a = await f.connect();
  const b = await f.connect({ tls: true });
  const c = await f.connect();
  assert.equal(c.greeting, '-ERR [SYS/TEMP] Too many connections from your address');
  assert.equal(await c.closed(), '');
  const other = await f.connect({ localAddress: '127.0.0.9' });
  assert.match(other.greeting, /^\+OK/, 'other addresses have their own count');
  await a.quit();
  await f.logged('pop3.disconnect');
  const d = await f.connect();
  assert.match(d.greeting, /^\+OK/, 'a slot freed up');
  for (const client of [b, other, d]) await client.quit();
});

test('stopping the listeners ends open sessions without deleting', async (t) => {
  const f = await startPop3(t);
  await f.deliver(message('x', 'y\r\n'));
  const c = await f.login();
  assert.match(await c.command('DELE 1'), /^\+OK/);
  const idle = await f.connect({ tls: true });
  await f.stop();
  await c.closed();
  await idle.closed();
  assert.equal(await f.ctx.store.messages.count(f.inboxId), 1);
});

test('connections beyond the listener cap get -ERR [SYS/TEMP] whatever their address', async (t) => {
  const f = await startPop3(t);
  await f.admin.updateSettings({ limits: { maxPop3Connections: 2 } });
  const a = await f.connect();
  const b = await f.connect({ localAddress: '127.0.0.9' });
  const c = await f.connect({ localAddress: '127.0.0.10' });
  assert.equal(c.greeting, '-ERR [SYS/TEMP] Too many connections, try again later');
  assert.equal(await c.closed(), '');
  await a.quit();
  await f.logged('pop3.disconnect');
  const d = await f.connect({ localAddress: '127.0.0.10' });
  assert.match(d.greeting, /^\+OK/, 'a slot freed up');
  for (const client of [b, d]) await client.quit();
});

test('a command line that trickles in slower than the minimum data rate ends the session', async (t) => {
  const f = await startPop3(t);
  await f.admin.updateSettings({ limits: { minDataBytesPerSecond: 100 } });
  const c = await f.connect();
  // The rate is judged per 30 s window by an interval timer: mocked, so the test does not wait.
  t.mock.timers.enable({ apis: ['setInterval'] });
  c.send('CAPA\r\nUSER ali');
  assert.match((await c.readMulti()).status, /^\+OK/);
  const closed = c.closed();
  let done = false;
  void closed.then(() => (done = true));
  // Until the server waits for the rest of the line there is no timer to fire: tick again.
  for (let i = 0; i < 200 && !done; i++) {
    t.mock.timers.tick(30_000);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.equal(await closed, '-ERR [SYS/TEMP] Data too slow\r\n');
});
