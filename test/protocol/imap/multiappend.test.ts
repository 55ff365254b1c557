// MULTIAPPEND (RFC 3502): several messages in one APPEND, stored all or none, on a real server over
// a raw socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { message, startImap } from './harness.js';
import { fetches, untagged } from './client.js';

const FIRST =
  'Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\nFrom: Fred Foobar <foobar@Blurdybloop.example.COM>\r\nSubject: afternoon meeting\r\nTo: mooch@owatagu.siam.edu\r\nMessage-Id: <B27397-0100000@Blurdybloop.example.COM>\r\nMIME-Version: 1.0\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\nHello Joe, do you think we can meet at 3:30 tomorrow?\r\n';
const SECOND =
  'Date: Mon, 7 Feb 1994 22:43:04 -0800 (PST)\r\nFrom: Joe Mooch <mooch@OWaTaGu.siam.EDU>\r\nSubject: Re: afternoon meeting\r\nTo: foobar@blurdybloop.example.com\r\nMessage-Id: <a0434793874930@OWaTaGu.siam.EDU>\r\nMIME-Version: 1.0\r\nContent-Type: TEXT/PLAIN; CHARSET=US-ASCII\r\n\r\n3:30 is fine with me.\r\n';

test('RFC 3502 §6.3.11: two messages with their own flags and dates in one APPEND, synchronizing literals', async (t) => {
  const f = await startImap(t);
  const c = await f.login();
  assert.ok(untagged(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values.includes('MULTIAPPEND'));
  await c.transact('OK', 'CREATE saved-messages');
  c.send(`A003 APPEND saved-messages (\\Seen) {${FIRST.length}}\r\n`);
  assert.equal((await c.read()).tag, '+');
  c.send(`${FIRST} (\\Seen) " 7-Feb-1994 22:43:04 -0800" {${SECOND.length}}\r\n`);
  assert.equal((await c.read()).tag, '+');
  c.send(`${SECOND}\r\n`);
  const done = await c.until('A003');
  assert.equal(done.tagged.status, 'OK');
  const box = (await f.ctx.store.mailboxes.get(f.accountId, 'saved-messages'))!;
  assert.equal(done.tagged.code, `APPENDUID ${box.uidValidity} 1:2`);

  await c.transact('OK', 'SELECT saved-messages');
  const items = fetches(await c.transact('OK', 'FETCH 1:2 (FLAGS INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)])')).map((m) => m.items);
  assert.deepEqual(
    items.map((i) => [i['BODY[HEADER.FIELDS (SUBJECT)]'], i.FLAGS]),
    [
      ['Subject: afternoon meeting\r\n\r\n', ['\\Seen', '\\Recent']],
      ['Subject: Re: afternoon meeting\r\n\r\n', ['\\Seen', '\\Recent']],
    ],
  );
  assert.equal(items[1].INTERNALDATE, ' 8-Feb-1994 06:43:04 +0000');
  await c.logout();
});

test('RFC 3502: a MULTIAPPEND that fails stores none of its messages', async (t) => {
  const f = await startImap(t, { quotaBytes: 4000 });
  const c = await f.selected();
  const one = message('one');
  const send = (tag: string, second: string) =>
    c.send(`${tag} APPEND INBOX {${one.length}+}\r\n${one} (\\Flagged) {${Buffer.byteLength(second)}+}\r\n${second}\r\n`);

  // The second message is empty: the first is not stored either.
  send('A1', '');
  assert.equal((await c.until('A1')).tagged.status, 'NO');
  // Together over the quota, though the first alone would fit.
  send('A2', message('two', 'x'.repeat(4000)));
  const over = await c.until('A2');
  assert.equal(over.tagged.code, 'OVERQUOTA');
  // A mailbox that does not exist (RFC 3502's A004 example).
  c.send(`A3 APPEND bogusname (\\Flagged) {${one.length}+}\r\n${one} {${one.length}+}\r\n${one}\r\n`);
  assert.equal((await c.until('A3')).tagged.code, 'TRYCREATE');
  assert.deepEqual(untagged(await c.transact('OK', 'NOOP'), '*', 'EXISTS'), [], 'nothing arrived');
  assert.deepEqual(fetches(await c.transact('OK', 'FETCH 1:* UID')), []);

  // The same pair within the quota: both arrive, reported before the OK.
  send('A4', message('two'));
  const ok = await c.until('A4');
  assert.equal(ok.tagged.status, 'OK');
  assert.deepEqual(untagged(ok, 2, 'EXISTS').length, 1);
  assert.deepEqual(fetches(await c.transact('OK', 'FETCH 2 FLAGS'))[0].items.FLAGS, ['\\Flagged', '\\Recent']);
  await c.logout();
});
