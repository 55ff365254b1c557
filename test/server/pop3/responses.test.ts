import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dotStuff, encodeContinuation, encodeError, encodeReply, topOfMessage } from '../../../server/pop3/responses.js';
import { Pop3Error } from '../../../server/pop3/errors.js';

const stuffed = (text: string) => dotStuff(Buffer.from(text, 'latin1')).toString('latin1');

test('byte-stuffs every line that begins with a dot, and only those', () => {
  assert.equal(stuffed('.hidden\r\nok\r\n.\r\n..two\r\nmid.dle\r\n'), '..hidden\r\nok\r\n..\r\n...two\r\nmid.dle\r\n');
  assert.equal(stuffed('a\r\n.'), 'a\r\n..\r\n');
  assert.equal(stuffed('.'), '..\r\n');
});

test('ends the body with a line break so the terminator starts a line', () => {
  assert.equal(stuffed('no newline at end'), 'no newline at end\r\n');
  assert.equal(stuffed('ends in CR\r'), 'ends in CR\r\n');
  assert.equal(stuffed('ends in LF\n'), 'ends in LF\n');
  assert.equal(stuffed(''), '');
});

test('encodes status lines, listings, message bodies and continuations', () => {
  assert.equal(encodeReply({ kind: 'ok', text: '2 320' }).toString(), '+OK 2 320\r\n');
  assert.equal(encodeReply({ kind: 'ok', text: '' }).toString(), '+OK\r\n');
  assert.equal(encodeReply({ kind: 'lines', text: 'follows', lines: ['1 120', '2 200'] }).toString(), '+OK follows\r\n1 120\r\n2 200\r\n.\r\n');
  assert.equal(encodeReply({ kind: 'lines', text: 'none', lines: [] }).toString(), '+OK none\r\n.\r\n');
  assert.equal(encodeReply({ kind: 'message', text: '9 octets', body: Buffer.from('.x\r\nend') }).toString(), '+OK 9 octets\r\n..x\r\nend\r\n.\r\n');
  assert.equal(encodeError(new Pop3Error('busy', 'IN-USE')).toString(), '-ERR [IN-USE] busy\r\n');
  assert.equal(encodeError(new Pop3Error('nope')).toString(), '-ERR nope\r\n');
  assert.equal(encodeContinuation(Buffer.alloc(0)).toString(), '+ \r\n');
  assert.equal(encodeContinuation(Buffer.from('Username:')).toString(), '+ VXNlcm5hbWU6\r\n');
});

test('TOP keeps the header, the blank line and n body lines', () => {
  const m = Buffer.from('Subject: x\r\nFrom: y\r\n\r\nline 1\r\nline 2\r\nline 3');
  const top = (n: number) => topOfMessage(m, n).toString();
  assert.equal(top(0), 'Subject: x\r\nFrom: y\r\n\r\n');
  assert.equal(top(2), 'Subject: x\r\nFrom: y\r\n\r\nline 1\r\nline 2\r\n');
  assert.equal(top(3), m.toString());
  assert.equal(top(Number.MAX_SAFE_INTEGER), m.toString());
});

test('TOP on a message without a body separator sends it all; bare-LF messages work too', () => {
  assert.equal(topOfMessage(Buffer.from('Subject: only header\r\nX: y\r\n'), 0).toString(), 'Subject: only header\r\nX: y\r\n');
  assert.equal(topOfMessage(Buffer.from('A: b\n\nbody 1\nbody 2\n'), 1).toString(), 'A: b\n\nbody 1\n');
  assert.equal(topOfMessage(Buffer.from('\r\nbody first\r\n'), 0).toString(), '\r\n');
});
