import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDRESS, PASSWORD, message, startPop3 } from './harness.js';

// Linux routes all of 127/8 to the loopback interface: a client bound to 127.0.0.9 reaches a server on
// 127.0.0.1 from an address that is not the host's own 127.0.0.1, so it is not trusted by default.
const OUTSIDER = '127.0.0.9';
const b64 = (text: string) => Buffer.from(text).toString('base64');

test('STLS upgrades the connection; CAPA then drops STLS and login works', async (t) => {
  const f = await startPop3(t, { plaintextFromTrusted: false });
  await f.deliver(message('secret', 'over tls\r\n'));
  const c = await f.connect({ localAddress: OUTSIDER });
  const plainCapa = (await c.multi('CAPA')).lines;
  assert.ok(plainCapa.includes('STLS'));
  assert.ok(!plainCapa.includes('USER') && !plainCapa.some((l) => l.startsWith('SASL')), 'no login offered in clear');
  assert.equal(await c.starttls(), '+OK Begin TLS negotiation');
  assert.ok(c.encrypted);
  const tlsCapa = (await c.multi('CAPA')).lines;
  assert.ok(!tlsCapa.includes('STLS'));
  assert.ok(tlsCapa.includes('USER') && tlsCapa.includes('SASL SCRAM-SHA-256 PLAIN LOGIN'));
  assert.equal(await c.command('STLS'), '-ERR TLS is already active');
  await c.command(`USER ${ADDRESS}`);
  assert.match(await c.command(`PASS ${PASSWORD}`), /^\+OK Logged in, 1 message/);
  assert.deepEqual(f.authContexts.at(-1), { protocol: 'pop3', remoteIp: OUTSIDER, secure: true });
  assert.match((await c.multi('RETR 1')).raw.toString(), /over tls/);
  await c.quit();
  assert.equal((await f.logged('pop3.stls')).fields.ok, true);
});

test('commands pipelined behind STLS in clear are discarded, not run over TLS', async (t) => {
  const f = await startPop3(t, { plaintextFromTrusted: false });
  const c = await f.connect({ localAddress: OUTSIDER });
  // The injected USER must not become this session's pending user after the upgrade.
  c.send(`STLS\r\nUSER ${ADDRESS}\r\n`);
  assert.equal(await c.readLine(), '+OK Begin TLS negotiation');
  await c.upgrade();
  assert.equal(await c.command(`PASS ${PASSWORD}`), '-ERR Send USER first');
  assert.equal((await f.logged('pop3.stls')).fields.droppedPlaintext, `USER ${ADDRESS}\r\n`.length);
  await c.quit();
});

test('USER/PASS and AUTH are refused before TLS from an untrusted address', async (t) => {
  const f = await startPop3(t, { plaintextFromTrusted: true });
  const c = await f.connect({ localAddress: OUTSIDER });
  assert.equal(await c.command(`USER ${ADDRESS}`), '-ERR [AUTH] Login is not allowed without TLS: use STLS first');
  assert.equal(await c.command(`PASS ${PASSWORD}`), '-ERR Send USER first');
  assert.equal(await c.command(`AUTH PLAIN ${b64(`\0${ADDRESS}\0${PASSWORD}`)}`), '-ERR [AUTH] Login is not allowed without TLS: use STLS first');
  assert.equal(await c.command('AUTH'), '-ERR [AUTH] Login is not allowed without TLS: use STLS first');
  assert.deepEqual(f.authContexts, [], 'no password was checked');
  await c.quit();
});

test('the host itself may log in without TLS only when the admin allows it', async (t) => {
  const strict = await startPop3(t, { plaintextFromTrusted: false });
  const c = await strict.connect();
  assert.match(await c.command(`USER ${ADDRESS}`), /^-ERR \[AUTH\]/);
  await c.quit();

  const lenient = await startPop3(t, { plaintextFromTrusted: true });
  const d = await lenient.login();
  assert.deepEqual(lenient.authContexts.at(-1), { protocol: 'pop3', remoteIp: '127.0.0.1', secure: false });
  await d.quit();
});

test('a trusted network may log in without TLS when it allows POP3 and does not require TLS', async (t) => {
  const f = await startPop3(t, { plaintextFromTrusted: true });
  await f.admin.addNetwork({ cidr: '127.0.0.8/29', description: 'office', requireTlsForAuth: true });
  const refused = await f.connect({ localAddress: OUTSIDER });
  assert.match(await refused.command(`USER ${ADDRESS}`), /^-ERR \[AUTH\]/, 'the network requires TLS for auth');
  await refused.quit();

  await f.admin.updateNetwork({ cidr: '127.0.0.8/29', requireTlsForAuth: false });
  const c = await f.login({ localAddress: OUTSIDER });
  await c.quit();

  await f.admin.updateSettings({ allowPlaintextAuthFromTrusted: false });
  const off = await f.connect({ localAddress: OUTSIDER });
  assert.match(await off.command(`USER ${ADDRESS}`), /^-ERR \[AUTH\]/, 'the setting is the master switch');
  await off.quit();
});

test('a network that forbids POP3 is turned away at connect, on both ports', async (t) => {
  const f = await startPop3(t);
  await f.admin.addNetwork({ cidr: '127.0.0.9/32', allowPop3: false });
  for (const tls of [false, true]) {
    const c = await f.connect({ localAddress: OUTSIDER, tls });
    assert.equal(c.greeting, '-ERR [SYS/PERM] POP3 is not allowed from your network');
    assert.equal(await c.closed(), '');
  }
  const local = await f.connect();
  assert.match(local.greeting, /^\+OK/);
  await local.quit();
});

test('implicit TLS (pop3s) serves the same mailbox and offers login from anywhere', async (t) => {
  const f = await startPop3(t, { plaintextFromTrusted: false });
  await f.deliver(message('s', 'implicit\r\n'));
  const c = await f.connect({ tls: true, localAddress: OUTSIDER });
  assert.ok(c.encrypted);
  assert.match(c.greeting, /^\+OK/);
  const capa = (await c.multi('CAPA')).lines;
  assert.ok(!capa.includes('STLS') && capa.includes('USER'));
  assert.equal(await c.command('STLS'), '-ERR TLS is already active');
  assert.match(await c.command(`AUTH PLAIN ${b64(`\0${ADDRESS}\0${PASSWORD}`)}`), /^\+OK Logged in, 1 message/);
  assert.match((await c.multi('RETR 1')).raw.toString(), /implicit/);
  await c.command('DELE 1');
  assert.equal(await c.quit(), '+OK Bye, 1 message(s) deleted');
  assert.equal(await f.ctx.store.messages.count(f.inboxId), 0);
});
