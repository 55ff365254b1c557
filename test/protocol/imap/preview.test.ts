// PREVIEW (RFC 8970): FETCH PREVIEW and PREVIEW (LAZY) on a real server over a raw socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { message, startImap } from './harness.js';
import { fetches, untagged } from './client.js';
import { PREVIEW_MAX } from '../../../server/mime/index.js';

const utf8 = (value: unknown) => Buffer.from(String(value), 'latin1').toString('utf8');

test('RFC 8970 §3: FETCH PREVIEW gives the first text the reader sees, NIL without one', async (t) => {
  const f = await startImap(t);
  await f.deliver(message('plain', 'Hi Joe,\r\n\r\n> what you wrote\r\nsee   you at 3:30.\r\n-- \r\nFred\r\n'));
  await f.deliver(
    message(
      'html',
      '--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<html><head><style>p{}</style></head><body><p>Caf=C3=A9 &amp; <b>cake</b></p></body></html>\r\n--b\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--b--\r\n',
      'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n',
    ),
  );
  await f.deliver(message('attachment only', '%PDF\r\n', 'MIME-Version: 1.0\r\nContent-Type: application/pdf\r\n'));
  await f.deliver(message('long', `${'word '.repeat(100)}\r\n`));
  const c = await f.selected();
  assert.ok(untagged(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values.includes('PREVIEW'));

  const previews = fetches(await c.transact('OK', 'FETCH 1:4 (PREVIEW)')).map((m) => m.items.PREVIEW);
  assert.equal(previews[0], 'Hi Joe, see you at 3:30.', 'quoted lines and signature left out, spaces collapsed');
  assert.equal(utf8(previews[1]), 'Café & cake', 'markup removed from the HTML part, its encoding undone');
  assert.equal(previews[2], null, 'no text part: NIL');
  assert.equal(String(previews[3]).length, PREVIEW_MAX, 'at most the preview length (RFC 8970: ≤ 256)');

  // LAZY may be answered with the preview itself (RFC 8970 §3.2); a PREVIEW fetch does not set \Seen.
  const lazy = fetches(await c.transact('OK', 'FETCH 1 (UID PREVIEW (LAZY) FLAGS)'))[0].items;
  assert.equal(lazy.PREVIEW, 'Hi Joe, see you at 3:30.');
  assert.deepEqual(lazy.FLAGS, ['\\Recent']);
  await c.transact('BAD', 'FETCH 1 (PREVIEW (EAGER))');
  await c.logout();
});
