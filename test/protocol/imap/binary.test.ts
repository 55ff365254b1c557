// BINARY (RFC 3516): FETCH BINARY[part], BINARY.PEEK, BINARY.SIZE and APPEND with literal8, on a
// real server over a raw socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { message, startImap } from './harness.js';
import { fetches, untagged } from './client.js';

const BOUNDARY = 'b1';
const HELLO_B64 = Buffer.from('hello\0world').toString('base64');

/** A multipart with a base64 part holding NUL, a quoted-printable part, a plain one and an x-uuencode one. */
const MIXED = message(
  'parts',
  [
    `--${BOUNDARY}`,
    'Content-Type: application/octet-stream',
    'Content-Transfer-Encoding: base64',
    '',
    HELLO_B64,
    `--${BOUNDARY}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'caf=C3=A9 soft=',
    'break',
    `--${BOUNDARY}`,
    'Content-Type: text/plain',
    '',
    'plain',
    `--${BOUNDARY}`,
    'Content-Type: application/octet-stream',
    'Content-Transfer-Encoding: x-uuencode',
    '',
    'begin 644 x',
    `--${BOUNDARY}--`,
    '',
  ].join('\r\n'),
  `MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="${BOUNDARY}"\r\n`,
);

test('RFC 3516 §4.1–4.2: BINARY[part] undoes base64 and quoted-printable, BINARY.SIZE is the decoded size', async (t) => {
  const f = await startImap(t);
  await f.deliver(MIXED);
  const c = await f.selected();
  assert.ok(untagged(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values.includes('BINARY'));

  const r = await c.transact('OK', 'FETCH 1 (BINARY.SIZE[1] BINARY.PEEK[1] BINARY.SIZE[2] BINARY.PEEK[2] BINARY.PEEK[3])');
  const items = fetches(r)[0].items;
  assert.equal(items['BINARY.SIZE[1]'], 11);
  assert.equal(items['BINARY[1]'], 'hello\0world');
  assert.match(r.untagged[0].raw.toString('latin1'), /BINARY\[1\] ~\{11\}\r\nhello\0world/, 'NUL goes as literal8');
  assert.equal(Buffer.from(items['BINARY[2]'] as string, 'latin1').toString('utf8'), 'café softbreak');
  assert.equal(items['BINARY.SIZE[2]'], Buffer.byteLength('café softbreak'));
  assert.equal(items['BINARY[3]'], 'plain');
  assert.doesNotMatch(r.untagged[0].raw.toString('latin1'), /BINARY\[3\] ~/, 'no literal8 without NUL');

  // <partial> counts decoded bytes (RFC 3516 §4.1).
  assert.equal(fetches(await c.transact('OK', 'FETCH 1 BINARY.PEEK[1]<6.20>'))[0].items['BINARY[1]<6>'], 'world');
  // BINARY.PEEK left \Seen alone; BINARY sets it.
  assert.deepEqual(fetches(await c.transact('OK', 'FETCH 1 FLAGS'))[0].items.FLAGS, ['\\Recent']);
  const seen = fetches(await c.transact('OK', 'FETCH 1 BINARY[3]'))[0].items;
  assert.deepEqual(seen.FLAGS, ['\\Seen', '\\Recent']);

  // An encoding the server cannot undo (RFC 3516 §4.3).
  const unknown = await c.transact('NO', 'FETCH 1 BINARY.PEEK[4]');
  assert.equal(unknown.tagged.code, 'UNKNOWN-CTE');
  // Only part numbers in a binary section; a missing part is empty like BODY[part].
  await c.transact('BAD', 'FETCH 1 BINARY[1.MIME]');
  await c.transact('BAD', 'FETCH 1 BINARY.SIZE[1]<0.5>');
  assert.equal(fetches(await c.transact('OK', 'FETCH 1 BINARY.PEEK[9]'))[0].items['BINARY[9]'], '');
  // BINARY[] is the whole message as stored.
  const whole = fetches(await c.transact('OK', 'FETCH 1 (BINARY.PEEK[] RFC822.SIZE)'))[0].items;
  assert.equal((whole['BINARY[]'] as string).length, whole['RFC822.SIZE']);
  await c.logout();
});

test('RFC 3516 §4.4: APPEND with literal8 keeps NUL and bare line ends; the binary part is stored as base64', async (t) => {
  const f = await startImap(t);
  const c = await f.selected();
  const body = Buffer.from([0x00, 0x2d, 0xe4, 0x0a, 0x0d, 0x0a, 0x0a]);
  const header = 'From: user@example.org\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n';
  const bytes = Buffer.concat([Buffer.from(header), body]);
  c.send(`A1 APPEND INBOX ~{${bytes.length}}\r\n`);
  assert.equal((await c.read()).tag, '+');
  c.send(Buffer.concat([bytes, Buffer.from('\r\n')]));
  const appended = await c.until('A1');
  assert.equal(appended.tagged.status, 'OK', appended.tagged.raw.toString());
  assert.equal(untagged(appended, 1, 'EXISTS').length, 1);

  const items = fetches(await c.transact('OK', 'FETCH 1 (BINARY.SIZE[1] BINARY.PEEK[1] BODY.PEEK[1] BODY.PEEK[1.MIME])'))[0].items;
  assert.equal(items['BINARY.SIZE[1]'], 7);
  assert.deepEqual(Buffer.from(items['BINARY[1]'] as string, 'latin1'), body);
  assert.equal((items['BODY[1]'] as string).trim(), body.toString('base64'), 'BODY[1] is the base64 form');
  assert.match(items['BODY[1.MIME]'] as string, /Content-Transfer-Encoding: base64/);

  // A plain literal still works, and literal8 with a non-synchronizing announcement too (RFC 7888).
  await c.append('INBOX', message('plain'));
  const small = Buffer.from(message('eight'));
  c.send(Buffer.concat([Buffer.from(`A2 APPEND INBOX ~{${small.length}+}\r\n`), small, Buffer.from('\r\n')]));
  assert.equal((await c.until('A2')).tagged.status, 'OK');
  await c.logout();
});
