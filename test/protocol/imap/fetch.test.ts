import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLAG_BITS } from '../../../server/store/messages.js';
import { message, startImap } from './harness.js';
import { fetches, untagged, type Value } from './client.js';

const MULTIPART = [
  'From: Ann <ann@example.org>',
  'To: alice@example.com',
  'Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=',
  'Date: Fri, 02 Jan 2026 09:30:00 +0100',
  'Message-ID: <mp1@example.org>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="XX"',
  '',
  'preamble',
  '--XX',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'First part.',
  '--XX',
  'Content-Type: application/octet-stream',
  'Content-Transfer-Encoding: base64',
  'Content-Disposition: attachment; filename="a.bin"',
  '',
  'AAECAw==',
  '--XX--',
  '',
].join('\r\n');

test('SELECT answers FLAGS, EXISTS, RECENT, UNSEEN, UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, READ-WRITE', async (t) => {
  const f = await startImap(t);
  await f.deliver(message('one'), { flags: FLAG_BITS['\\Seen'] });
  await f.deliver(message('two'), { keywords: ['$Forwarded'] });
  const c = await f.login();
  const r = await c.transact('OK', 'SELECT INBOX');
  assert.equal(r.tagged.code, 'READ-WRITE');
  assert.deepEqual(untagged(r, 'FLAGS')[0].values, ['FLAGS', ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft', '$Forwarded']]);
  assert.deepEqual(untagged(r, 2, 'EXISTS').length, 1);
  assert.deepEqual(untagged(r, 2, 'RECENT').length, 1);
  const codes = r.untagged.filter((u) => u.status === 'OK').map((u) => u.code);
  const inbox = await f.ctx.store.mailboxes.require(f.accountId, 'INBOX');
  assert.deepEqual(codes, [
    'PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded \\*)',
    'UNSEEN 2',
    `UIDVALIDITY ${inbox.uidValidity}`,
    'UIDNEXT 3',
    `HIGHESTMODSEQ ${inbox.highestModseq}`,
    `MAILBOXID (F${inbox.id}-${inbox.uidValidity})`,
  ]);
  // \Recent belongs to the first session only; EXAMINE is read-only and claims nothing.
  const d = await f.login();
  const e = await d.transact('OK', 'EXAMINE INBOX');
  assert.equal(e.tagged.code, 'READ-ONLY');
  assert.equal(untagged(e, 0, 'RECENT').length, 1);
  assert.deepEqual(fetches(await d.transact('OK', 'FETCH 1:* FLAGS')).map((x) => x.items.FLAGS), [['\\Seen'], ['$Forwarded']]);
  assert.deepEqual(fetches(await c.transact('OK', 'FETCH 1:* FLAGS')).map((x) => x.items.FLAGS), [['\\Seen', '\\Recent'], ['\\Recent', '$Forwarded']]);
  await d.transact('NO', 'STORE 1 +FLAGS (\\Deleted)');
  await c.transact('NO', 'SELECT Nowhere');
  await c.transact('BAD', 'FETCH 1 FLAGS');
  await c.logout();
  await d.logout();
});

test('FETCH ENVELOPE, BODYSTRUCTURE, BODY, RFC822.SIZE, INTERNALDATE, UID', async (t) => {
  const f = await startImap(t);
  await f.deliver(MULTIPART, { internalDate: Date.UTC(2026, 0, 2, 8, 30, 0) });
  const c = await f.selected();
  const [m] = fetches(await c.transact('OK', 'FETCH 1 (UID RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE BODY)'));
  assert.equal(m.items.UID, 1);
  assert.equal(m.items['RFC822.SIZE'], Buffer.byteLength(MULTIPART));
  assert.equal(m.items.INTERNALDATE, ' 2-Jan-2026 08:30:00 +0000');
  assert.deepEqual(m.items.ENVELOPE, [
    'Fri, 02 Jan 2026 09:30:00 +0100',
    '=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=',
    [['Ann', null, 'ann', 'example.org']],
    [['Ann', null, 'ann', 'example.org']],
    [['Ann', null, 'ann', 'example.org']],
    [[null, null, 'alice', 'example.com']],
    null,
    null,
    null,
    '<mp1@example.org>',
  ]);
  const structure = m.items.BODYSTRUCTURE as Value[];
  assert.equal(structure[2], 'mixed');
  assert.deepEqual((structure[0] as Value[]).slice(0, 7), ['text', 'plain', ['charset', 'utf-8'], null, null, '7bit', 11]);
  assert.deepEqual(structure[3], ['boundary', 'XX']);
  // BODY is BODYSTRUCTURE without extension data.
  assert.deepEqual(m.items.BODY, [
    ['text', 'plain', ['charset', 'utf-8'], null, null, '7bit', 11, 0],
    ['application', 'octet-stream', null, null, null, 'base64', 8],
    'mixed',
  ]);
  await c.logout();
});

test('BODY[section] and partial fetches, served from offsets', async (t) => {
  const f = await startImap(t);
  await f.deliver(MULTIPART);
  const c = await f.selected();
  const r = await c.transact(
    'OK',
    'FETCH 1 (BODY.PEEK[1] BODY.PEEK[2] BODY.PEEK[2.MIME] BODY.PEEK[HEADER.FIELDS (Subject FROM)] BODY.PEEK[HEADER.FIELDS.NOT (To From Subject Date Message-ID MIME-Version)] BODY.PEEK[TEXT]<0.8> BODY.PEEK[]<6.3> BODY.PEEK[3] BODY.PEEK[1.HEADER])',
  );
  const [m] = fetches(r);
  assert.equal(m.items['BODY[1]'], 'First part.');
  assert.equal(m.items['BODY[2]'], 'AAECAw==');
  assert.equal(m.items['BODY[2.MIME]'], 'Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="a.bin"\r\n\r\n');
  assert.equal(m.items['BODY[HEADER.FIELDS (Subject FROM)]'], 'From: Ann <ann@example.org>\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n\r\n');
  assert.equal(m.items['BODY[HEADER.FIELDS.NOT (To From Subject Date Message-ID MIME-Version)]'], 'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n');
  assert.equal(m.items['BODY[TEXT]<0>'], 'preamble');
  assert.equal(m.items['BODY[]<6>'], 'Ann');
  assert.equal(m.items['BODY[3]'], '', 'a missing part is the empty string');
  assert.equal(m.items['BODY[1.HEADER]'], '', 'HEADER of a non-message part is empty');
  assert.equal(m.items.FLAGS, undefined, 'PEEK does not set \\Seen');

  const whole = fetches(await c.transact('OK', 'FETCH 1 BODY[]'))[0];
  assert.equal(whole.items['BODY[]'], MULTIPART);
  assert.deepEqual(whole.items.FLAGS, ['\\Seen', '\\Recent'], 'BODY[] set \\Seen and reports it');
  const again = fetches(await c.transact('OK', 'FETCH 1 (RFC822.HEADER RFC822.TEXT)'))[0];
  assert.equal(again.items['RFC822.HEADER'], MULTIPART.slice(0, MULTIPART.indexOf('\r\n\r\n') + 4));
  assert.equal(again.items['RFC822.TEXT'], MULTIPART.slice(MULTIPART.indexOf('\r\n\r\n') + 4));
  assert.equal(again.items.FLAGS, undefined, 'already \\Seen: no FLAGS');
  await c.logout();
});

test('FETCH macros, UID FETCH and message sets in any order', async (t) => {
  const f = await startImap(t);
  for (let i = 1; i <= 5; i++) await f.deliver(message(`m${i}`));
  const c = await f.selected();
  const all = fetches(await c.transact('OK', 'FETCH 1:* ALL'));
  assert.equal(all.length, 5);
  assert.deepEqual(Object.keys(all[0].items).sort(), ['ENVELOPE', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE']);
  assert.deepEqual(Object.keys(fetches(await c.transact('OK', 'FETCH 2 FAST'))[0].items).sort(), ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE']);
  assert.ok('BODY' in fetches(await c.transact('OK', 'FETCH 2 FULL'))[0].items);
  assert.deepEqual(fetches(await c.transact('OK', 'FETCH 4:2,5 UID')).map((x) => [x.seq, x.items.UID]), [[2, 2], [3, 3], [4, 4], [5, 5]]);
  const byUid = fetches(await c.transact('OK', 'UID FETCH 3:* FLAGS'));
  assert.deepEqual(byUid.map((x) => [x.seq, x.items.UID]), [[3, 3], [4, 4], [5, 5]], 'UID FETCH always includes UID');
  assert.deepEqual(fetches(await c.transact('OK', 'UID FETCH 900:* UID')).map((x) => x.items.UID), [5], 'n:* includes the last message');
  assert.equal(fetches(await c.transact('OK', 'UID FETCH 6:10 UID')).length, 0);
  await c.transact('BAD', 'FETCH 6 UID');
  await c.transact('BAD', 'FETCH 1 (FLAGS BOGUS)');
  await c.logout();
});
