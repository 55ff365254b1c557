// URLAUTH (RFC 4467): GENURLAUTH signs a URL of the user's own message with the mailbox's key;
// URLFETCH gives its data to whom the access identifier admits (NIL otherwise, or once expired,
// tampered with or reset); RESETKEY makes every earlier URL of the mailbox (or of all of them) useless.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImapTestClient, untagged, type Result, type Value } from './client.js';
import { message, OTHER, PASSWORD, startImap } from './harness.js';

const genurl = (r: Result): string => untagged(r, 'GENURLAUTH')[0].values[1] as string;
/** URLFETCH's url → data pairs. */
function fetched(r: Result): Array<[Value, Value]> {
  const values = untagged(r, 'URLFETCH')[0].values.slice(1);
  const pairs: Array<[Value, Value]> = [];
  for (let i = 0; i < values.length; i += 2) pairs.push([values[i], values[i + 1]]);
  return pairs;
}

test('RFC 4467: GENURLAUTH, URLFETCH by access identifier, EXPIRE, RESETKEY', async (t) => {
  const f = await startImap(t);
  await f.deliver(message('first', 'Body one.\r\n'));
  await f.deliver(message('second', 'Body two.\r\n'));
  const alice = await f.selected();
  assert.ok(untagged(await alice.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values.includes('URLAUTH'));
  const whole = untagged(await alice.transact('OK', 'FETCH 1 BODY.PEEK[]'), '*')[0].values;
  const body1 = (whole[2] as Value[])[1];

  const base = 'imap://alice@example.com/INBOX/;UID=1';
  const own = genurl(await alice.transact('OK', `GENURLAUTH "${base};URLAUTH=user+alice%40example.com" INTERNAL`));
  assert.match(own, /^imap:\/\/alice@example\.com\/INBOX\/;UID=1;URLAUTH=user\+alice%40example\.com:INTERNAL:[0-9a-f]{64}$/);
  // imaptest's form: the user without its domain (taken at the host), ;urlauth in the UID's segment.
  const text = genurl(await alice.transact('OK', 'GENURLAUTH "imap://alice@example.com/INBOX/;uid=2/;section=TEXT;urlauth=authuser" INTERNAL'));
  const anon = genurl(await alice.transact('OK', `GENURLAUTH "${base};EXPIRE=2099-01-01T00:00:00Z;URLAUTH=anonymous" "INTERNAL"`.replace('"INTERNAL"', 'internal')));
  const expired = genurl(await alice.transact('OK', `GENURLAUTH "${base};EXPIRE=2000-01-01T00:00:00Z;URLAUTH=anonymous" INTERNAL`));
  const submit = genurl(await alice.transact('OK', `GENURLAUTH "${base};URLAUTH=submit+alice%40example.com" INTERNAL`));
  const tampered = own.replace(';UID=1;', ';UID=2;');

  assert.deepEqual(fetched(await alice.transact('OK', `URLFETCH "${own}" "${text}" "${anon}" "${expired}" "${submit}" "${tampered}"`)), [
    [own, body1],
    [text, 'Body two.\r\n'],
    [anon, body1],
    [expired, null],
    [submit, null],
    [tampered, null],
  ]);

  // Bob: authuser and anonymous URLs work for him, alice's user+ URL does not.
  const bob = await f.connect();
  await bob.login(OTHER, PASSWORD);
  assert.deepEqual(fetched(await bob.transact('OK', `URLFETCH "${own}" "${text}" "${anon}"`)), [
    [own, null],
    [text, 'Body two.\r\n'],
    [anon, body1],
  ]);
  // Refused: another user's mailbox, a missing one, an unknown mechanism; bad URLs are BAD.
  await alice.transact('NO', 'GENURLAUTH "imap://bob@example.com/INBOX/;UID=1;URLAUTH=anonymous" INTERNAL');
  await alice.transact('NO', 'GENURLAUTH "imap://alice@example.com/Nope/;UID=1;URLAUTH=anonymous" INTERNAL');
  await alice.transact('NO', `GENURLAUTH "${base};URLAUTH=anonymous" XSECRET`);
  await alice.transact('BAD', `GENURLAUTH "${base}" INTERNAL`);
  await alice.transact('BAD', 'GENURLAUTH "/INBOX/;UID=1;URLAUTH=anonymous" INTERNAL');
  await alice.transact('BAD', `GENURLAUTH "${base};URLAUTH=someone" INTERNAL`);
  await alice.transact('BAD', `GENURLAUTH "${base};URLAUTH=anonymous:INTERNAL:00" INTERNAL`);
  await bob.transact('OK', 'URLFETCH "not a url" "imap://x/INBOX/;UID=1;URLAUTH=anonymous:INTERNAL:0123456789abcdef0123456789abcdef"');

  // RESETKEY: the mailbox's old URLs die; a new one works; no mailbox: all of them.
  await alice.transact('NO', 'RESETKEY Nope');
  await alice.transact('OK', 'RESETKEY INBOX INTERNAL');
  assert.deepEqual(fetched(await bob.transact('OK', `URLFETCH "${text}"`)), [[text, null]]);
  const again = genurl(await alice.transact('OK', 'GENURLAUTH "imap://alice@example.com/INBOX/;uid=2/;section=TEXT;urlauth=authuser" INTERNAL'));
  assert.notEqual(again, text);
  assert.deepEqual(fetched(await bob.transact('OK', `URLFETCH "${again}"`)), [[again, 'Body two.\r\n']]);
  await alice.transact('OK', 'RESETKEY');
  assert.deepEqual(fetched(await bob.transact('OK', `URLFETCH "${again}"`)), [[again, null]]);
  await bob.logout();
  await alice.logout();
});

test('RFC 4467: URLAUTH commands need a login', async (t) => {
  const f = await startImap(t);
  const c: ImapTestClient = await f.connect();
  await c.transact('BAD', 'URLFETCH "imap://alice@example.com/INBOX/;UID=1;URLAUTH=anonymous:INTERNAL:0123456789abcdef0123456789abcdef"');
  await c.transact('BAD', 'RESETKEY');
  await c.logout();
});
