// APPEND framing under imaptest's stress load (issue 14): LITERAL+ appends of messages with NUL bytes
// and 8-bit text are taken byte for byte, and a client whose literal is shorter than what it sends
// (imaptest's mbox reader does that for lines with NUL) gets BAD for the leftover, after which the
// connection still works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startImap } from './harness.js';
import { fetches } from './client.js';

test('APPEND with LITERAL+ keeps NUL and 8-bit bytes and the exact length', async (t) => {
  const f = await startImap(t);
  const c = await f.selected();
  const raw = Buffer.from('Subject: nul\r\nContent-Type: text/plain; charset=utf-16le\r\n\r\nh\0i\0 \xe9\r\n\r\n', 'latin1');
  c.send(Buffer.concat([Buffer.from(`P1 APPEND INBOX (\\Seen $Label4) "01-Jan-2026 00:00:00 +0000" {${raw.length}+}\r\n`), raw, Buffer.from('\r\n')]));
  assert.equal((await c.until('P1')).tagged.status, 'OK');
  const [m] = fetches(await c.transact('OK', 'FETCH 1 (RFC822.SIZE BODY.PEEK[])'));
  assert.equal(m.items['RFC822.SIZE'], raw.length);
  assert.equal(String(m.items['BODY[]']), raw.toString('latin1').replace(/\0/g, '\x80'), 'NUL goes out as 0x80, everything else as stored');
  await c.logout();
});

test('a LITERAL+ shorter than the bytes sent: BAD for the leftover line, then the session goes on', async (t) => {
  const f = await startImap(t);
  const c = await f.selected();
  const body = 'Subject: short\r\n\r\nbody\r\n';
  c.send(`P1 APPEND INBOX {10+}\r\n${body}\r\n`);
  const r = await c.until('P1');
  assert.equal(r.tagged.status, 'BAD', 'the rest of the line after the 10 bytes is not an APPEND argument');
  // What followed the literal's line is read as new command lines, each refused on its own.
  c.send('P2 NOOP\r\n');
  const after = await c.until('P2');
  assert.equal(after.tagged.status, 'OK');
  assert.ok(after.untagged.every((u) => u.status === 'BAD'), 'only BAD for the leftover lines');
  const status = await c.transact('OK', 'STATUS INBOX (MESSAGES)');
  assert.deepEqual(status.untagged[0].values, ['STATUS', 'INBOX', ['MESSAGES', 0]], 'nothing was stored from the broken APPEND');
  await c.logout();
});
