// NUL in a stored message never goes out raw inside a literal (RFC 3501 CHAR8 excludes it): it is sent
// as 0x80, as Dovecot does, and the stored bytes stay as they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startImap } from './harness.js';
import { fetches } from './client.js';

test('FETCH BODY[] and RFC822.TEXT send NUL bytes as 0x80, keeping the length', async (t) => {
  const f = await startImap(t);
  const raw = Buffer.from('Subject: nul\r\n\r\nbefore\0after\0\r\n', 'latin1');
  await f.deliver(raw);
  const c = await f.selected();
  const body = fetches(await c.transact('OK', 'FETCH 1 (BODY.PEEK[] RFC822.TEXT)'))[0].items;
  const whole = Buffer.from(String(body['BODY[]']), 'latin1');
  assert.equal(whole.length, raw.length);
  assert.equal(whole.indexOf(0), -1, 'no NUL on the wire');
  assert.deepEqual(whole, Buffer.from(raw.toString('latin1').replace(/\0/g, '\x80'), 'latin1'));
  assert.equal(String(body['RFC822.TEXT']), 'before\x80after\x80\r\n');
  await c.logout();
});
