import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDRESS, PASSWORD, startPop3 } from './harness.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

test('greets, and CAPA lists the extensions in both states', async (t) => {
  const f = await startPop3(t);
  const c = await f.connect();
  assert.match(c.greeting, /^\+OK localhost\.localdomain Mailroom POP3 server ready$/);
  const before = await c.multi('CAPA');
  assert.equal(before.status, '+OK Capability list follows');
  assert.deepEqual(before.lines, [
    'CAPA',
    'TOP',
    'UIDL',
    'RESP-CODES',
    'AUTH-RESP-CODE',
    'PIPELINING',
    'EXPIRE NEVER',
    'STLS',
    'USER',
    'SASL SCRAM-SHA-256 PLAIN LOGIN',
    'IMPLEMENTATION Mailroom',
  ]);
  assert.equal(await c.command(`USER ${ADDRESS}`), '+OK Send your password');
  assert.equal(await c.command(`PASS ${PASSWORD}`), '+OK Logged in, 0 message(s) (0 octets)');
  assert.deepEqual((await c.multi('CAPA')).lines, before.lines);
  assert.equal(await c.quit(), '+OK Bye, 0 message(s) deleted');
});

test('USER/PASS: wrong password, unknown user, PASS without USER, USER forgotten after a failure', async (t) => {
  const f = await startPop3(t);
  const c = await f.connect();
  assert.equal(await c.command('PASS whatever'), '-ERR Send USER first');
  await c.command(`USER ${ADDRESS}`);
  assert.equal(await c.command('PASS wrong password'), '-ERR [AUTH] Authentication failed');
  assert.equal(await c.command(`PASS ${PASSWORD}`), '-ERR Send USER first', 'a failed PASS forgets the USER');
  await c.command('USER nobody@example.com');
  assert.equal(await c.command(`PASS ${PASSWORD}`), '-ERR [AUTH] Authentication failed');
  await c.command(`USER ${ADDRESS}`);
  assert.equal(await c.command('BOGUS'), '-ERR Unknown command');
  assert.equal(await c.command(`PASS ${PASSWORD}`), '-ERR Send USER first', 'any failed command forgets the USER');
  await c.command(`USER ${ADDRESS}`);
  assert.match(await c.command(`PASS ${PASSWORD}`), /^\+OK Logged in/);
  assert.deepEqual(f.authContexts.at(-1), { protocol: 'pop3', remoteIp: '127.0.0.1', secure: false });
  await c.quit();
});

test('maps blocked and disabled accounts to their response codes', async (t) => {
  const f = await startPop3(t);
  const c = await f.connect();
  await c.command('USER blocked@example.com');
  assert.equal(await c.command(`PASS ${PASSWORD}`), '-ERR [SYS/TEMP] Too many failed logins: try again in 2 minute(s)');
  await f.admin.updateAccount({ address: ADDRESS, active: false });
  await c.command(`USER ${ADDRESS}`);
  assert.equal(await c.command(`PASS ${PASSWORD}`), '-ERR [AUTH] This account is disabled');
  await c.quit();
});

test('commands outside their state are refused; unknown and malformed ones too', async (t) => {
  const f = await startPop3(t);
  const c = await f.connect();
  assert.equal(await c.command('STAT'), '-ERR STAT is not valid before login');
  assert.equal(await c.command('RETR 1'), '-ERR RETR is not valid before login');
  assert.equal(await c.command('NOOP'), '-ERR NOOP is not valid before login');
  assert.equal(await c.command('APOP alice c4c9334bac560ecc979e58001b3e22fb'), '-ERR Unknown command');
  assert.equal(await c.command('USER'), '-ERR Syntax: USER name');
  await c.quit();
  // A new session: each error counts towards the limit (10 by default).
  const d = await f.login();
  assert.equal(await d.command(`USER ${ADDRESS}`), '-ERR USER is not valid after login');
  assert.equal(await d.command('PASS x'), '-ERR PASS is not valid after login');
  assert.equal(await d.command('AUTH PLAIN'), '-ERR AUTH is not valid after login');
  assert.equal(await d.command('STLS'), '-ERR STLS is not valid after login');
  assert.equal(await d.command('RETR x'), '-ERR Invalid message number: x');
  assert.equal(await d.command('LIST 1 2'), '-ERR Syntax: LIST [msg]');
  assert.equal(await d.command(''), '-ERR Empty command');
  await d.quit();
});

test('AUTH PLAIN with an initial response, and with a continuation', async (t) => {
  const f = await startPop3(t);
  const c = await f.connect();
  assert.match(await c.command(`AUTH PLAIN ${b64(`\0${ADDRESS}\0${PASSWORD}`)}`), /^\+OK Logged in/);
  await c.quit();

  const d = await f.connect();
  assert.equal(await d.command('AUTH plain'), '+ ');
  assert.match(await d.command(b64(`${ADDRESS}\0${ADDRESS}\0${PASSWORD}`)), /^\+OK Logged in/);
  assert.equal(await d.command('STAT'), '+OK 0 0');
  await d.quit();
});

test('AUTH LOGIN walks through its two prompts', async (t) => {
  const f = await startPop3(t);
  const c = await f.connect();
  assert.equal(await c.command('AUTH LOGIN'), `+ ${b64('Username:')}`);
  assert.equal(await c.command(b64(ADDRESS)), `+ ${b64('Password:')}`);
  assert.match(await c.command(b64(PASSWORD)), /^\+OK Logged in/);
  await c.quit();
});

test('AUTH failures: wrong password, cancel, bad base64, malformed PLAIN, unknown mechanism', async (t) => {
  const f = await startPop3(t);
  const c = await f.connect();
  assert.equal(await c.command(`AUTH PLAIN ${b64(`\0${ADDRESS}\0nope`)}`), '-ERR [AUTH] Authentication failed');
  assert.equal(await c.command('AUTH PLAIN'), '+ ');
  assert.equal(await c.command('*'), '-ERR Authentication cancelled');
  assert.equal(await c.command('AUTH PLAIN'), '+ ');
  assert.equal(await c.command('not base64!'), '-ERR The SASL response is not valid base64');
  assert.equal(await c.command('AUTH PLAIN ='), '-ERR Authentication failed: PLAIN message must be authzid NUL authcid NUL password');
  assert.equal(await c.command(`AUTH PLAIN ${b64(`bob@example.com\0${ADDRESS}\0${PASSWORD}`)}`), '-ERR [AUTH] Authorization identity rejected: only a master user may act as another user');
  assert.equal(await c.command('AUTH CRAM-MD5'), '-ERR Authentication failed: unsupported SASL mechanism CRAM-MD5');
  const listing = await c.multi('AUTH');
  assert.deepEqual(listing, { status: '+OK Mechanisms follow', lines: ['SCRAM-SHA-256', 'PLAIN', 'LOGIN'], raw: Buffer.from('SCRAM-SHA-256\r\nPLAIN\r\nLOGIN\r\n') });
  assert.match(await c.command(`AUTH PLAIN ${b64(`\0${ADDRESS}\0${PASSWORD}`)}`), /^\+OK/, 'the session is still usable');
  await c.quit();
});

test('a second POP3 login to the same mailbox gets [IN-USE] until the first ends', async (t) => {
  const f = await startPop3(t);
  const first = await f.login();
  const second = await f.connect({ tls: true });
  await second.command(`USER ${ADDRESS}`);
  assert.equal(await second.command(`PASS ${PASSWORD}`), '-ERR [IN-USE] Another POP3 session is using this mailbox');
  await first.quit();
  await second.command(`USER ${ADDRESS}`);
  assert.match(await second.command(`PASS ${PASSWORD}`), /^\+OK Logged in/);
  await second.drop();
  const third = await f.login();
  await third.quit();
});

test('logs connect, auth and disconnect without the password', async (t) => {
  const f = await startPop3(t);
  const c = await f.connect();
  await c.command(`USER ${ADDRESS}`);
  await c.command('PASS hunter2 wrong');
  await c.command(`AUTH PLAIN ${b64(`\0${ADDRESS}\0${PASSWORD}`)}`);
  await c.quit();
  await f.logged('pop3.disconnect');
  const names = f.logs.map((r) => r.event);
  for (const e of ['pop3.connect', 'pop3.auth.fail', 'pop3.auth.ok']) assert.ok(names.includes(e), `${e} in ${names.join(', ')}`);
  const text = JSON.stringify(f.logs);
  assert.ok(!text.includes('hunter2') && !text.includes(PASSWORD), 'no password in the log');
  assert.ok(f.logs.every((r) => r.sessionId === f.logs[0].sessionId && r.fields.remote === '127.0.0.1'));
  assert.equal(f.logs.find((r) => r.event === 'pop3.auth.ok')!.fields.user, ADDRESS);
  assert.equal(f.logs.find((r) => r.event === 'pop3.auth.fail')!.fields.reason, 'invalid');
});
