import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineFramer, parseCommand, keywordOf, type FramedLine, type Pop3Command } from '../../../server/pop3/wire.js';
import { Pop3Error } from '../../../server/pop3/errors.js';

/** Feeds the input one byte at a time and collects every line event under the limit. */
function frameBytewise(input: string, limit = 20): FramedLine[] {
  const framer = new LineFramer();
  const events: FramedLine[] = [];
  for (const byte of Buffer.from(input, 'latin1')) {
    framer.push(Buffer.from([byte]));
    for (let e = framer.next(limit); e; e = framer.next(limit)) events.push(e);
  }
  return events;
}

const lines = (events: FramedLine[]) => events.map((e) => (e.kind === 'line' ? e.line.toString('latin1') : `<too-long ${e.limit}>`));

test('framer splits CRLF and bare-LF lines fed byte by byte, keeping a lone CR inside a line', () => {
  assert.deepEqual(lines(frameBytewise('STAT\r\nLIST 1\nNOOP\r\n\r\nA\rB\r\n')), ['STAT', 'LIST 1', 'NOOP', '', 'A\rB']);
});

test('framer holds an unfinished line until its LF arrives', () => {
  const framer = new LineFramer();
  framer.push(Buffer.from('RETR 1\r\nDE'));
  assert.equal(framer.next(100)?.kind, 'line');
  assert.equal(framer.next(100), null);
  assert.equal(framer.bufferedBytes, 2);
  framer.push(Buffer.from('LE 2\r\n'));
  const e = framer.next(100);
  assert.ok(e?.kind === 'line');
  assert.equal(e.line.toString(), 'DELE 2');
});

test('framer reports an over-long line once, where it ends, without keeping its bytes', () => {
  const long = 'X'.repeat(100);
  assert.deepEqual(lines(frameBytewise(`NOOP\r\n${long}\r\nSTAT\r\n`)), ['NOOP', '<too-long 20>', 'STAT']);
  // Exactly at the limit is fine; one more byte is not.
  assert.deepEqual(lines(frameBytewise(`${'a'.repeat(20)}\r\n${'b'.repeat(21)}\r\n`)), ['a'.repeat(20), '<too-long 20>']);

  const framer = new LineFramer();
  framer.push(Buffer.from('Y'.repeat(10_000)));
  assert.equal(framer.next(20), null);
  assert.equal(framer.bufferedBytes, 0, 'an over-long line is dropped as it arrives');
  framer.push(Buffer.from('Y'.repeat(10_000) + '\r\nQUIT\r\n'));
  assert.deepEqual(framer.next(20), { kind: 'too-long', limit: 20 });
  assert.equal(framer.next(20)?.kind, 'line');
});

test('framer applies the limit given per call (SASL lines may be longer than commands)', () => {
  const framer = new LineFramer();
  framer.push(Buffer.from(`${'Q'.repeat(50)}\r\n${'Q'.repeat(50)}\r\n`));
  assert.equal(framer.next(100)?.kind, 'line');
  assert.equal(framer.next(20)?.kind, 'too-long');
});

test('framer discard() drops queued input and an over-long line in progress (STLS)', () => {
  const framer = new LineFramer();
  framer.push(Buffer.from('STLS\r\nUSER injected\r\nPA'));
  assert.equal(framer.next(100)?.kind, 'line');
  assert.equal(framer.discard(), 'USER injected\r\nPA'.length);
  assert.equal(framer.next(100), null);
  framer.push(Buffer.from('Z'.repeat(50)));
  framer.next(20);
  framer.discard();
  framer.push(Buffer.from('CAPA\r\n'));
  assert.deepEqual(lines([framer.next(20)!]), ['CAPA']);
});

const parse = (line: string) => parseCommand(Buffer.from(line, 'utf8'));

test('parses every command, keywords case-insensitively', () => {
  const cases: Array<[string, Pop3Command]> = [
    ['user alice@example.com', { name: 'USER', username: 'alice@example.com' }],
    ['PASS correct horse battery ', { name: 'PASS', password: 'correct horse battery ' }],
    ['PASS pässwörd', { name: 'PASS', password: 'pässwörd' }],
    ['AUTH', { name: 'AUTH', mechanism: null, initialResponse: null }],
    ['auth plain', { name: 'AUTH', mechanism: 'PLAIN', initialResponse: null }],
    ['AUTH PLAIN AGFsaWNlAHB3', { name: 'AUTH', mechanism: 'PLAIN', initialResponse: 'AGFsaWNlAHB3' }],
    ['AUTH PLAIN =', { name: 'AUTH', mechanism: 'PLAIN', initialResponse: '=' }],
    ['Stls', { name: 'STLS' }],
    ['CAPA', { name: 'CAPA' }],
    ['QUIT', { name: 'QUIT' }],
    ['STAT ', { name: 'STAT' }],
    ['NOOP', { name: 'NOOP' }],
    ['RSET', { name: 'RSET' }],
    ['LIST', { name: 'LIST', message: null }],
    ['LIST 3', { name: 'LIST', message: 3 }],
    ['UIDL', { name: 'UIDL', message: null }],
    ['uidl 12', { name: 'UIDL', message: 12 }],
    ['RETR 1', { name: 'RETR', message: 1 }],
    ['DELE 007', { name: 'DELE', message: 7 }],
    ['TOP 1 0', { name: 'TOP', message: 1, lines: 0 }],
    ['TOP 2 99999999999999999999', { name: 'TOP', message: 2, lines: Number.MAX_SAFE_INTEGER }],
  ];
  for (const [line, expected] of cases) assert.deepEqual(parse(line), expected, line);
});

test('refuses malformed commands with a reason', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /Empty command/],
    ['HELO there', /Unknown command/],
    ['APOP alice 0123', /Unknown command/],
    ['RE', /Unknown command/],
    ['STAT 1', /Syntax: STAT/],
    ['CAPA please', /Syntax: CAPA/],
    ['USER', /Syntax: USER name/],
    ['USER a b', /Syntax: USER name/],
    ['PASS', /Syntax: PASS password/],
    ['PASS ', /Syntax: PASS password/],
    ['PASS a\tb', /Syntax: PASS password/],
    ['RETR', /Syntax: RETR msg/],
    ['RETR 0', /Invalid message number: 0/],
    ['RETR -1', /Invalid message number: -1/],
    ['RETR one', /Invalid message number: one/],
    ['DELE 1234567890', /Invalid message number/],
    ['LIST 1 2', /Syntax: LIST \[msg\]/],
    ['LIST  1', /Syntax error in the arguments of LIST/],
    ['TOP 1', /Syntax: TOP msg n/],
    ['TOP 1 -2', /Invalid number of lines: -2/],
    ['AUTH PLAIN a b', /Syntax: AUTH/],
    ['NOOP\x00', /Unknown command/],
  ];
  for (const [line, reason] of cases) {
    assert.throws(() => parse(line), (e: unknown) => e instanceof Pop3Error && reason.test(e.text), line);
  }
  assert.throws(() => parseCommand(Buffer.from([0x55, 0x53, 0x45, 0x52, 0x20, 0xff])), /not valid UTF-8/);
});

test('keywordOf names a line for the log without reading its arguments', () => {
  assert.equal(keywordOf(Buffer.from('pass secret')), 'PASS');
  assert.equal(keywordOf(Buffer.from('RETR 1')), 'RETR');
  assert.equal(keywordOf(Buffer.from('??')), null);
});
