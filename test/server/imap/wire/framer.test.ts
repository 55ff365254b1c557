import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImapFramer, type FramerEvent, type FramerLimits } from '../../../../server/imap/wire/index.js';

type Plain =
  | { request: { lines: string[]; literals: string[] } }
  | { needsLiteral: number }
  | { rejected: string; tag: string | null; command: string | null; limit: number }
  | { line: string }
  | { fatal: string | null };

function plain(event: FramerEvent): Plain {
  switch (event.kind) {
    case 'request':
      return {
        request: {
          lines: event.request.lines.map((b) => b.toString('latin1')),
          literals: event.request.literals.map((b) => b.toString('latin1')),
        },
      };
    case 'needs-literal':
      return { needsLiteral: event.size };
    case 'rejected':
      return { rejected: event.reason, tag: event.tag, command: event.command, limit: event.limit };
    case 'line':
      return { line: event.line.toString('latin1') };
    case 'fatal':
      return { fatal: event.tag };
  }
}

/** Feeds `chunks` in order; after a request whose first line matches `rawAfter`, asks for a raw line. */
function run(chunks: Buffer[], limits: Partial<FramerLimits> = {}, rawAfter?: RegExp): Plain[] {
  const framer = new ImapFramer(limits);
  const events: Plain[] = [];
  for (const chunk of chunks) {
    for (const event of framer.push(chunk)) {
      events.push(plain(event));
      if (event.kind === 'request' && rawAfter?.test(event.request.lines[0].toString('latin1'))) framer.expectLine();
    }
  }
  return events;
}

/** Deterministic pseudo-random split points. */
function randomChunks(bytes: Buffer, seed: number): Buffer[] {
  const chunks: Buffer[] = [];
  let state = seed;
  for (let i = 0; i < bytes.length; ) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    const n = 1 + (state % 7);
    chunks.push(bytes.subarray(i, i + n));
    i += n;
  }
  return chunks;
}

interface Case {
  name: string;
  input: string;
  limits?: Partial<FramerLimits>;
  rawAfter?: RegExp;
  expect: Plain[];
}

const req = (lines: string[], literals: string[] = []): Plain => ({ request: { lines, literals } });
const x = (n: number) => 'x'.repeat(n);

const CASES: Case[] = [
  { name: 'one command', input: 'a NOOP\r\n', expect: [req(['a NOOP'])] },
  { name: 'a bare LF ends a line too', input: 'a NOOP\n', expect: [req(['a NOOP'])] },
  { name: 'pipelined commands', input: 'a NOOP\r\nb CAPABILITY\r\n', expect: [req(['a NOOP']), req(['b CAPABILITY'])] },
  { name: 'an empty line is an (empty) request', input: '\r\n', expect: [req([''])] },
  {
    name: 'synchronizing literals ask for a continuation each',
    input: 'a LOGIN {3}\r\nbob {6}\r\nsecret\r\n',
    expect: [{ needsLiteral: 3 }, { needsLiteral: 6 }, req(['a LOGIN {3}', ' {6}', ''], ['bob', 'secret'])],
  },
  {
    name: 'literal bytes are not scanned for lines or announcements',
    input: 'a APPEND INBOX {11}\r\nHi\r\n{2}\r\nyo\r\n',
    expect: [{ needsLiteral: 11 }, req(['a APPEND INBOX {11}', ''], ['Hi\r\n{2}\r\nyo'])],
  },
  {
    name: 'LITERAL+ needs no continuation',
    input: 'a LOGIN {3+}\r\nbob {6+}\r\nsecret\r\n',
    expect: [req(['a LOGIN {3+}', ' {6+}', ''], ['bob', 'secret'])],
  },
  {
    name: 'zero-length literals',
    input: 'a LOGIN {0}\r\n {0+}\r\n\r\n',
    expect: [{ needsLiteral: 0 }, req(['a LOGIN {0}', ' {0+}', ''], ['', ''])],
  },
  {
    name: 'a line at the limit is accepted',
    input: `a NOOP ${x(9)}\r\n`,
    limits: { maxLineBytes: 16 },
    expect: [req([`a NOOP ${x(9)}`])],
  },
  {
    name: 'a line over the limit is rejected and skipped to its end',
    input: `a NOOP ${x(10)}\r\nb NOOP\r\n`,
    limits: { maxLineBytes: 16 },
    expect: [{ rejected: 'line-too-long', tag: 'a', command: 'NOOP', limit: 16 }, req(['b NOOP'])],
  },
  {
    name: 'a much longer line is rejected once',
    input: `tag1 SEARCH ${x(5000)}\r\nb NOOP\r\n`,
    limits: { maxLineBytes: 64 },
    expect: [{ rejected: 'line-too-long', tag: 'tag1', command: 'SEARCH', limit: 64 }, req(['b NOOP'])],
  },
  {
    name: 'the line limit covers all lines of one command',
    input: `a LOGIN {3+}\r\nbob ${x(20)}\r\nb NOOP\r\n`,
    limits: { maxLineBytes: 24 },
    expect: [{ rejected: 'line-too-long', tag: 'a', command: 'LOGIN', limit: 24 }, req(['b NOOP'])],
  },
  {
    name: 'an over-long line that ends in {n+} has its literal skipped too',
    input: `a LOGIN ${x(30)} {4+}\r\nabcd\r\nb NOOP\r\n`,
    limits: { maxLineBytes: 16 },
    expect: [{ rejected: 'line-too-long', tag: 'a', command: 'LOGIN', limit: 16 }, req(['b NOOP'])],
  },
  {
    name: 'a synchronizing literal over the limit ends the command without reading it',
    input: 'a LOGIN {11}\r\nb NOOP\r\n',
    limits: { maxLiteralBytes: 10 },
    expect: [{ rejected: 'literal-too-large', tag: 'a', command: 'LOGIN', limit: 10 }, req(['b NOOP'])],
  },
  {
    name: 'APPEND has its own literal limit',
    input: 'a APPEND INBOX {20}\r\n' + x(20) + '\r\nb APPEND INBOX {21}\r\n',
    limits: { maxLiteralBytes: 5, maxAppendBytes: 20 },
    expect: [
      { needsLiteral: 20 },
      req(['a APPEND INBOX {20}', ''], [x(20)]),
      { rejected: 'literal-too-large', tag: 'b', command: 'APPEND', limit: 20 },
    ],
  },
  {
    name: 'a non-synchronizing literal over the limit is read, discarded and rejected',
    input: 'a LOGIN {10+}\r\n0123456789 pass\r\nb NOOP\r\n',
    limits: { maxLiteralBytes: 4 },
    expect: [{ rejected: 'literal-too-large', tag: 'a', command: 'LOGIN', limit: 4 }, req(['b NOOP'])],
  },
  {
    name: 'the literal limit covers all literals of one command',
    input: 'a LOGIN {5+}\r\nalice {5+}\r\nsecre\r\nb NOOP\r\n',
    limits: { maxLiteralBytes: 8 },
    expect: [{ rejected: 'literal-too-large', tag: 'a', command: 'LOGIN', limit: 8 }, req(['b NOOP'])],
  },
  {
    name: 'a synchronizing literal after a rejection ends the command',
    input: `a LOGIN ${x(30)} {3}\r\nb NOOP\r\n`,
    limits: { maxLineBytes: 16 },
    expect: [{ rejected: 'line-too-long', tag: 'a', command: 'LOGIN', limit: 16 }, req(['b NOOP'])],
  },
  {
    name: 'a non-synchronizing literal too large to skip is fatal',
    input: 'a LOGIN {99999999999+}\r\nb NOOP\r\n',
    expect: [{ fatal: 'a' }],
  },
  {
    name: 'a synchronizing literal of impossible size is only rejected',
    input: 'a LOGIN {99999999999}\r\nb NOOP\r\n',
    expect: [{ rejected: 'literal-too-large', tag: 'a', command: 'LOGIN', limit: 1024 * 1024 }, req(['b NOOP'])],
  },
  {
    name: 'AUTHENTICATE continuation lines are raw lines',
    input: 'a AUTHENTICATE PLAIN\r\nAGJvYgBzZWNyZXQ=\r\nb NOOP\r\n',
    rawAfter: /AUTHENTICATE/,
    expect: [req(['a AUTHENTICATE PLAIN']), { line: 'AGJvYgBzZWNyZXQ=' }, req(['b NOOP'])],
  },
  {
    name: 'IDLE ends with a raw DONE line',
    input: 'a IDLE\r\nDONE\r\nb NOOP\r\n',
    rawAfter: /IDLE/,
    expect: [req(['a IDLE']), { line: 'DONE' }, req(['b NOOP'])],
  },
  {
    name: 'a raw line ending in {n} is not a literal',
    input: 'a AUTHENTICATE X\r\nabc{3}\r\nb NOOP\r\n',
    rawAfter: /AUTHENTICATE/,
    expect: [req(['a AUTHENTICATE X']), { line: 'abc{3}' }, req(['b NOOP'])],
  },
  {
    name: 'an over-long raw line is rejected without a tag',
    input: `a IDLE\r\n${x(40)}\r\nb NOOP\r\n`,
    limits: { maxLineBytes: 16 },
    rawAfter: /IDLE/,
    expect: [req(['a IDLE']), { rejected: 'line-too-long', tag: null, command: null, limit: 16 }, req(['b NOOP'])],
  },
  {
    name: 'a tag may contain ] but the rejection of an untaggable line has no tag',
    input: `a] NOOP ${x(20)}\r\n+x NOOP ${x(20)}\r\n`,
    limits: { maxLineBytes: 16 },
    expect: [
      { rejected: 'line-too-long', tag: 'a]', command: 'NOOP', limit: 16 },
      { rejected: 'line-too-long', tag: null, command: null, limit: 16 },
    ],
  },
  {
    name: 'CR without LF stays on the line',
    input: 'a LOGIN "b\rc" d\r\n',
    expect: [req(['a LOGIN "b\rc" d'])],
  },
];

describe('ImapFramer', () => {
  for (const c of CASES) {
    it(`${c.name} (whole, byte by byte and in random chunks alike)`, () => {
      const bytes = Buffer.from(c.input, 'latin1');
      const whole = run([bytes], c.limits, c.rawAfter);
      assert.deepEqual(whole, c.expect);
      const byteByByte = run([...bytes].map((b) => Buffer.from([b])), c.limits, c.rawAfter);
      assert.deepEqual(byteByByte, c.expect);
      for (const seed of [1, 7, 42]) assert.deepEqual(run(randomChunks(bytes, seed), c.limits, c.rawAfter), c.expect);
    });
  }

  it('yields nothing until a line is complete, and keeps the partial line across pushes', () => {
    const framer = new ImapFramer();
    assert.deepEqual([...framer.push(Buffer.from('a NO'))], []);
    assert.deepEqual([...framer.push(Buffer.from('OP\r'))], []);
    assert.deepEqual([...framer.push(Buffer.from('\n'))].map(plain), [req(['a NOOP'])]);
  });

  it('queues input on push and frames it only as events are pulled', () => {
    const framer = new ImapFramer();
    const events = framer.push(Buffer.from('a IDLE\r\nDONE\r\n'));
    assert.equal(framer.bufferedBytes, 14);
    assert.deepEqual(plain(events.next().value as FramerEvent), req(['a IDLE']));
    assert.equal(framer.bufferedBytes, 6);
    framer.expectLine();
    assert.deepEqual(plain(framer.next() as FramerEvent), { line: 'DONE' });
    assert.equal(framer.bufferedBytes, 0);
    assert.equal(framer.next(), null);
  });

  it('refuses expectLine() in the middle of a command', () => {
    const framer = new ImapFramer();
    assert.deepEqual([...framer.push(Buffer.from('a LOGIN {3}\r\n'))].map(plain), [{ needsLiteral: 3 }]);
    assert.throws(() => framer.expectLine(), /middle of a command/);
  });

  it('ignores input after a fatal event', () => {
    const framer = new ImapFramer();
    assert.deepEqual([...framer.push(Buffer.from('a X {12345678901+}\r\n'))].map(plain), [{ fatal: 'a' }]);
    assert.deepEqual([...framer.push(Buffer.from('b NOOP\r\n'))], []);
    assert.equal(framer.bufferedBytes, 0);
  });

  it('discards a rejected non-synchronizing literal instead of keeping it', () => {
    const framer = new ImapFramer({ maxLiteralBytes: 1024 });
    assert.deepEqual([...framer.push(Buffer.from('a LOGIN {4194304+}\r\n'))], []);
    const mib = Buffer.alloc(1024 * 1024, 0x41);
    for (let i = 0; i < 4; i++) assert.deepEqual([...framer.push(mib)], []);
    assert.equal(framer.bufferedBytes, 0);
    assert.deepEqual([...framer.push(Buffer.from(' x\r\nb NOOP\r\n'))].map(plain), [
      { rejected: 'literal-too-large', tag: 'a', command: 'LOGIN', limit: 1024 },
      req(['b NOOP']),
    ]);
  });

  it('delivers a literal that arrives in many chunks as one Buffer', () => {
    const framer = new ImapFramer();
    const events = [...framer.push(Buffer.from('a APPEND INBOX {6}\r\n'))].map(plain);
    for (const part of ['ab', 'cd', 'ef\r\n']) events.push(...[...framer.push(Buffer.from(part))].map(plain));
    assert.deepEqual(events, [{ needsLiteral: 6 }, req(['a APPEND INBOX {6}', ''], ['abcdef'])]);
  });
});
