import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDRESS, OTHER, PASSWORD, startImap } from './harness.js';
import { fetches, quote, untagged } from './client.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

test('greets with its capabilities and lists more after login', async (t) => {
  const f = await startImap(t);
  const c = await f.connect();
  assert.equal(c.greeting.status, 'OK');
  const before = c.greeting.code!.split(' ');
  assert.equal(before[0], 'CAPABILITY');
  for (const cap of ['IMAP4rev1', 'LITERAL+', 'SASL-IR', 'STARTTLS', 'AUTH=PLAIN', 'ID', 'ENABLE', 'IDLE']) assert.ok(before.includes(cap), cap);
  assert.ok(!before.includes('LOGINDISABLED'));
  const login = await c.login(ADDRESS, PASSWORD);
  const after = login.tagged.code!.split(' ');
  for (const cap of ['UIDPLUS', 'MOVE', 'NAMESPACE', 'UNSELECT', 'CHILDREN', 'SPECIAL-USE', 'QUOTA', 'CONDSTORE', 'QRESYNC']) assert.ok(after.includes(cap), cap);
  assert.ok(!after.includes('STARTTLS') && !after.includes('AUTH=PLAIN'));
  const caps = await c.transact('OK', 'CAPABILITY');
  assert.deepEqual(untagged(caps, 'CAPABILITY')[0].values, ['CAPABILITY', ...after.slice(1)]);
  await c.logout();
});

test('LOGIN: wrong password and unknown user fail; LOGIN again after success is refused', async (t) => {
  const f = await startImap(t);
  const c = await f.connect();
  const wrong = await c.transact('NO', `LOGIN ${ADDRESS} "wrong password"`);
  assert.equal(wrong.tagged.code, 'AUTHENTICATIONFAILED');
  await c.transact('NO', `LOGIN nobody@example.com ${quote(PASSWORD)}`);
  await c.login(ADDRESS, PASSWORD);
  const again = await c.transact('BAD', `LOGIN ${ADDRESS} ${quote(PASSWORD)}`);
  assert.equal(again.tagged.text, 'Already logged in');
  await c.logout();
});

test('without TLS and without plaintext permission: LOGINDISABLED, then STARTTLS makes login possible', async (t) => {
  const f = await startImap(t, { plaintextFromTrusted: false });
  const c = await f.connect();
  const caps = c.greeting.code!.split(' ');
  assert.ok(caps.includes('LOGINDISABLED') && caps.includes('STARTTLS'));
  assert.ok(!caps.some((cap) => cap.startsWith('AUTH=')));
  const refused = await c.transact('NO', `LOGIN ${ADDRESS} ${quote(PASSWORD)}`);
  assert.equal(refused.tagged.code, 'PRIVACYREQUIRED');
  await c.transact('NO', `AUTHENTICATE PLAIN ${b64(`\0${ADDRESS}\0${PASSWORD}`)}`);
  await c.starttls();
  assert.ok(c.encrypted);
  const tlsCaps = untagged(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values;
  assert.ok(tlsCaps.includes('AUTH=PLAIN') && !tlsCaps.includes('STARTTLS') && !tlsCaps.includes('LOGINDISABLED'));
  await c.transact('BAD', 'STARTTLS');
  await c.login(ADDRESS, PASSWORD);
  await c.logout();
});

test('STARTTLS drops commands pipelined behind it in plaintext', async (t) => {
  const f = await startImap(t, { plaintextFromTrusted: false });
  const c = await f.connect();
  c.send('S1 STARTTLS\r\nS2 LOGIN alice@example.com "correct horse"\r\n');
  const ok = await c.read();
  assert.equal(ok.tag, 'S1');
  assert.equal(ok.status, 'OK');
  await c.upgrade();
  // The LOGIN sent before the handshake was dropped, never answered or executed.
  assert.equal((await c.transact('BAD', 'SELECT INBOX')).tagged.text, 'Log in first');
  assert.equal(c.unread, '');
  await c.login(ADDRESS, PASSWORD);
  await c.logout();
});

test('implicit TLS port serves logins', async (t) => {
  const f = await startImap(t, { plaintextFromTrusted: false });
  const c = await f.connect({ tls: true });
  assert.ok(c.encrypted);
  assert.ok(!c.greeting.code!.split(' ').includes('STARTTLS'));
  await c.login(ADDRESS, PASSWORD);
  await c.logout();
});

test('AUTHENTICATE PLAIN with SASL-IR, with a continuation, and cancelled', async (t) => {
  const f = await startImap(t);
  const c = await f.connect();
  const ir = await c.transact('OK', `AUTHENTICATE PLAIN ${b64(`\0${ADDRESS}\0${PASSWORD}`)}`);
  assert.match(ir.tagged.code!, /^CAPABILITY /);
  await c.logout();

  const d = await f.connect();
  d.send('A1 AUTHENTICATE PLAIN\r\n');
  const go = await d.read();
  assert.equal(go.tag, '+');
  d.send(`${b64(`\0${ADDRESS}\0wrong`)}\r\n`);
  const failed = await d.until('A1');
  assert.equal(failed.tagged.status, 'NO');
  assert.equal(failed.tagged.code, 'AUTHENTICATIONFAILED');

  d.send('A2 AUTHENTICATE PLAIN\r\n');
  assert.equal((await d.read()).tag, '+');
  d.send('*\r\n');
  assert.equal((await d.until('A2')).tagged.status, 'BAD');

  d.send('A3 AUTHENTICATE PLAIN\r\n');
  assert.equal((await d.read()).tag, '+');
  d.send('not base64!\r\n');
  assert.equal((await d.until('A3')).tagged.status, 'BAD');

  await d.transact('NO', 'AUTHENTICATE CRAM-MD5');
  await d.transact('OK', `AUTHENTICATE PLAIN ${b64(`\0${ADDRESS}\0${PASSWORD}`)}`);
  await d.logout();
});

test('AUTHENTICATE PLAIN with another authzid: NO [AUTHORIZATIONFAILED] unless a master user, who then acts as that user', async (t) => {
  const f = await startImap(t);
  await f.deliver('Subject: for bob\r\n\r\nhi\r\n', { accountId: (await f.ctx.store.accounts.find('bob', 'example.com'))!.id });
  const c = await f.connect();
  const refused = await c.transact('NO', `AUTHENTICATE PLAIN ${b64(`${OTHER}\0${ADDRESS}\0${PASSWORD}`)}`);
  assert.equal(refused.tagged.code, 'AUTHORIZATIONFAILED');
  assert.match(refused.tagged.text ?? '', /master user/);

  await f.admin.setMasterUser({ address: ADDRESS, master: true });
  await c.transact('NO', `AUTHENTICATE PLAIN ${b64(`nobody@example.com\0${ADDRESS}\0${PASSWORD}`)}`);
  await c.transact('NO', `AUTHENTICATE PLAIN ${b64(`${OTHER}\0${ADDRESS}\0wrong`)}`);
  await c.transact('OK', `AUTHENTICATE PLAIN ${b64(`${OTHER}\0${ADDRESS}\0${PASSWORD}`)}`);
  const selected = await c.transact('OK', 'SELECT INBOX');
  assert.deepEqual(untagged(selected, 1, 'EXISTS').length, 1, "bob's INBOX, not alice's (empty)");
  const fetched = await c.transact('OK', 'FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]');
  assert.match(String(fetches(fetched)[0].items['BODY[HEADER.FIELDS (SUBJECT)]']), /for bob/);
  await c.logout();
});

test('commands in the wrong state are BAD and do not end the session', async (t) => {
  const f = await startImap(t);
  const c = await f.connect();
  assert.equal((await c.transact('BAD', 'SELECT INBOX')).tagged.text, 'Log in first');
  await c.transact('BAD', 'FETCH 1 FLAGS');
  await c.login(ADDRESS, PASSWORD);
  assert.equal((await c.transact('BAD', 'FETCH 1 FLAGS')).tagged.text, 'No mailbox selected');
  await c.transact('BAD', 'EXPUNGE');
  await c.transact('OK', 'NOOP');
  await c.logout();
});

test('ID, NAMESPACE, ENABLE', async (t) => {
  const f = await startImap(t);
  const c = await f.connect();
  const id = await c.transact('OK', 'ID ("name" "test-client" "version" "1")');
  assert.deepEqual(untagged(id, 'ID')[0].values, ['ID', ['name', 'Mailroom']]);
  await c.login(ADDRESS, PASSWORD);
  const ns = await c.transact('OK', 'NAMESPACE');
  assert.deepEqual(untagged(ns, 'NAMESPACE')[0].values, ['NAMESPACE', [['', '/']], [['Other Users/', '/']], [['Shared/', '/']]]);
  const enabled = await c.transact('OK', 'ENABLE QRESYNC X-UNKNOWN');
  assert.deepEqual(untagged(enabled, 'ENABLED')[0].values, ['ENABLED', 'QRESYNC']);
  const again = await c.transact('OK', 'ENABLE CONDSTORE');
  assert.deepEqual(untagged(again, 'ENABLED')[0].values, ['ENABLED'], 'QRESYNC enabled CONDSTORE already');
  await c.logout();
});
