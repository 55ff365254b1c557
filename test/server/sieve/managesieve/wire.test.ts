import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_LINE_BYTES, MAX_LITERAL_BYTES, RequestFramer, type Framed } from '../../../../server/sieve/managesieve/wire.js';

/** Feeds the input one byte at a time and collects what the framer yields. */
function frame(input: string | Buffer): Framed[] {
  const framer = new RequestFramer();
  const out: Framed[] = [];
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  for (const b of bytes) {
    framer.push(Buffer.from([b]));
    for (let f = framer.next(); f !== null; f = framer.next()) out.push(f);
  }
  return out;
}

test('commands with quoted strings, literals (both forms) and numbers, byte by byte', () => {
  assert.deepEqual(frame('capability\r\nPutScript "my \\"s\\"" {5+}\r\nkeep;\r\nHAVESPACE "x" 123\nCHECKSCRIPT {3}\r\nabc\r\n'), [
    { kind: 'command', name: 'CAPABILITY', args: [] },
    { kind: 'command', name: 'PUTSCRIPT', args: [{ type: 'string', value: 'my "s"' }, { type: 'string', value: 'keep;' }] },
    { kind: 'command', name: 'HAVESPACE', args: [{ type: 'string', value: 'x' }, { type: 'number', value: 123 }] },
    { kind: 'command', name: 'CHECKSCRIPT', args: [{ type: 'string', value: 'abc' }] },
  ]);
});

test('literals are counted in bytes and must be UTF-8', () => {
  assert.deepEqual(frame('PUTSCRIPT "é" {3+}\r\n#é\r\n'), [{ kind: 'command', name: 'PUTSCRIPT', args: [{ type: 'string', value: 'é' }, { type: 'string', value: '#é' }] }]);
  assert.deepEqual(frame(Buffer.concat([Buffer.from('CHECKSCRIPT {1+}\r\n'), Buffer.from([0xff]), Buffer.from('\r\nNOOP\r\n')])), [
    { kind: 'bad', reason: 'strings must be UTF-8' },
    { kind: 'command', name: 'NOOP', args: [] },
  ]);
});

test('malformed lines are reported once and the next command still works', () => {
  assert.deepEqual(frame('NOOP "unterminated\r\nNOOP\r\n'), [
    { kind: 'bad', reason: 'quoted string not closed before the end of the line' },
    { kind: 'command', name: 'NOOP', args: [] },
  ]);
  assert.deepEqual(frame('NOOP "a\\n"\r\nNOOP x\r\n'), [
    { kind: 'bad', reason: 'only \\" and \\\\ may be escaped in a quoted string' },
    { kind: 'bad', reason: 'expected a string or a number' },
  ]);
});

test('over-long lines and literals are dropped without being kept', () => {
  const long = frame(`NOOP "${'a'.repeat(MAX_LINE_BYTES + 10)}"\r\nLOGOUT\r\n`);
  assert.equal(long[0].kind, 'bad');
  assert.deepEqual(long[1], { kind: 'command', name: 'LOGOUT', args: [] });

  const framer = new RequestFramer();
  const size = MAX_LITERAL_BYTES + 1;
  framer.push(Buffer.from(`PUTSCRIPT "big" {${size}+}\r\n`));
  assert.deepEqual(framer.next(), { kind: 'too-big', size });
  for (let sent = 0; sent < size; sent += 65536) {
    framer.push(Buffer.alloc(Math.min(65536, size - sent), 0x61));
    assert.equal(framer.next(), null);
    assert.ok(framer.bufferedBytes < 65536);
  }
  framer.push(Buffer.from('\r\nNOOP\r\n'));
  assert.deepEqual(framer.next(), { kind: 'command', name: 'NOOP', args: [] });
});

test('a bare SASL response line is one string', () => {
  const framer = new RequestFramer();
  framer.push(Buffer.from('"dGVzdA=="\r\n{4+}\r\nabcd\r\n'));
  assert.deepEqual(framer.next(true), { kind: 'command', name: '', args: [{ type: 'string', value: 'dGVzdA==' }] });
  assert.deepEqual(framer.next(true), { kind: 'command', name: '', args: [{ type: 'string', value: 'abcd' }] });
});
