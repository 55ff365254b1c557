import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeReply, encodeCommand, type MilterCommand, type MilterReply } from '../../../server/milter/codec.js';
import { MilterProtocolError } from '../../../server/milter/errors.js';
import { PacketReader, type Packet } from '../../../server/milter/packet-reader.js';

/** Hex with spaces ignored, so tables can group length, code and fields. */
const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const ascii = (text: string) => Buffer.from(text, 'latin1').toString('hex');

describe('milter codec: commands, byte for byte', () => {
  const table: [string, MilterCommand, string][] = [
    ['option negotiation', { kind: 'optneg', version: 6, actions: 0x1ff, protocol: 0x1ff7ff }, '0000000d 4f 00000006 000001ff 001ff7ff'],
    ['macros for CONNECT', { kind: 'macro', stage: 'C', macros: [['j', 'mx.example'], ['{client_addr}', '192.0.2.1']] }, `00000027 44 43 ${ascii('j\0mx.example\0{client_addr}\x00192.0.2.1\0')}`],
    ['CONNECT over IPv4', { kind: 'connect', hostname: 'client.example', family: 'inet', port: 2525, address: '192.0.2.1' }, `0000001d 43 ${ascii('client.example\0')} 34 09dd ${ascii('192.0.2.1\0')}`],
    ['CONNECT over IPv6', { kind: 'connect', hostname: '[::1]', family: 'inet6', port: 1, address: '::1' }, `0000000e 43 ${ascii('[::1]\0')} 36 0001 ${ascii('::1\0')}`],
    ['CONNECT with an unknown family has no port or address', { kind: 'connect', hostname: 'h', family: 'unknown', port: 0, address: '' }, `00000004 43 6800 55`],
    ['HELO', { kind: 'helo', name: 'client.example' }, `00000010 48 ${ascii('client.example\0')}`],
    ['MAIL with ESMTP parameters', { kind: 'mail', args: ['<a@example.org>', 'SIZE=100'] }, `0000001a 4d ${ascii('<a@example.org>\0SIZE=100\0')}`],
    ['RCPT', { kind: 'rcpt', args: ['<b@example.com>'] }, `00000011 52 ${ascii('<b@example.com>\0')}`],
    ['DATA', { kind: 'data' }, '00000001 54'],
    ['header (UTF-8 value)', { kind: 'header', name: 'Subject', value: 'héllo' }, `00000010 4c ${ascii('Subject\0')} ${Buffer.from('héllo\0').toString('hex')}`],
    ['end of headers', { kind: 'eoh' }, '00000001 4e'],
    ['body chunk', { kind: 'body', chunk: Buffer.from('hi\r\n') }, `00000005 42 ${ascii('hi\r\n')}`],
    ['end of message', { kind: 'eom' }, '00000001 45'],
    ['abort', { kind: 'abort' }, '00000001 41'],
    ['quit', { kind: 'quit' }, '00000001 51'],
    ['unknown command', { kind: 'unknown', command: 'XFOO bar' }, `0000000a 55 ${ascii('XFOO bar\0')}`],
  ];
  for (const [name, command, bytes] of table) {
    it(`encodes ${name}`, () => assert.equal(encodeCommand(command).toString('hex'), hex(bytes).toString('hex')));
  }

  it('refuses a string with a NUL inside (it would shift every later field)', () => {
    assert.throws(() => encodeCommand({ kind: 'helo', name: 'a\0b' }), MilterProtocolError);
  });
});

describe('milter codec: replies, byte for byte', () => {
  const packet = (code: string, data = '') => ({ code, data: hex(data) });
  const table: [string, Packet, MilterReply][] = [
    ['accept', packet('a'), { kind: 'accept' }],
    ['continue', packet('c'), { kind: 'continue' }],
    ['discard', packet('d'), { kind: 'discard' }],
    ['reject', packet('r'), { kind: 'reject' }],
    ['tempfail', packet('t'), { kind: 'tempfail' }],
    ['skip', packet('s'), { kind: 'skip' }],
    ['progress', packet('p'), { kind: 'progress' }],
    ['shutdown', packet('4'), { kind: 'shutdown' }],
    ['connection failure', packet('f'), { kind: 'connection-failure' }],
    ['reply code', packet('y', ascii('554 5.7.1 Gtube pattern\0')), { kind: 'reply-code', reply: { code: 554, enhanced: '5.7.1', lines: ['Gtube pattern'] } }],
    ['reply code without its NUL (Postfix takes the whole buffer)', packet('y', ascii('451 try later')), { kind: 'reply-code', reply: { code: 451, enhanced: null, lines: ['try later'] } }],
    ['quarantine', packet('q', ascii('spam\0')), { kind: 'quarantine', reason: 'spam' }],
    ['add header', packet('h', ascii('X-Spam\0Yes\0')), { kind: 'add-header', name: 'X-Spam', value: 'Yes' }],
    ['change header', packet('m', `00000002 ${ascii('Subject\0new\0')}`), { kind: 'change-header', index: 2, name: 'Subject', value: 'new' }],
    ['insert header', packet('i', `00000000 ${ascii('X-First\0v\0')}`), { kind: 'insert-header', index: 0, name: 'X-First', value: 'v' }],
    ['change from without arguments', packet('e', ascii('<new@example.org>\0')), { kind: 'change-from', sender: '<new@example.org>', args: null }],
    ['change from with arguments', packet('e', ascii('<new@example.org>\0SIZE=1\0')), { kind: 'change-from', sender: '<new@example.org>', args: 'SIZE=1' }],
    ['add recipient', packet('+', ascii('<c@example.com>\0')), { kind: 'add-recipient', recipient: '<c@example.com>', args: null }],
    ['add recipient with arguments', packet('2', ascii('<c@example.com>\0NOTIFY=NEVER\0')), { kind: 'add-recipient', recipient: '<c@example.com>', args: 'NOTIFY=NEVER' }],
    ['delete recipient', packet('-', ascii('<b@example.com>\0')), { kind: 'delete-recipient', recipient: '<b@example.com>' }],
    ['replace body chunk', packet('b', ascii('new body\r\n')), { kind: 'replace-body', chunk: Buffer.from('new body\r\n') }],
    ['negotiation', packet('O', '00000006 000001ff 00000000'), { kind: 'optneg', version: 6, actions: 0x1ff, protocol: 0, macroLists: new Map() }],
    [
      'negotiation with macro lists (unknown stage 9 skipped)',
      packet('O', `00000006 00000100 00000000 00000002 ${ascii('{auth_authen} i\0')} 00000009 ${ascii('x\0')}`),
      { kind: 'optneg', version: 6, actions: 0x100, protocol: 0, macroLists: new Map([['mail', ['{auth_authen}', 'i']]]) },
    ],
  ];
  for (const [name, input, expected] of table) {
    it(`decodes ${name}`, () => assert.deepEqual(decodeReply(input), expected));
  }

  const bad: [string, Packet][] = [
    ['data after a bare reply', packet('c', '00')],
    ['a string without its NUL', packet('h', ascii('X-Spam\0Yes'))],
    ['bytes after the last field', packet('-', ascii('<b@x>\0extra'))],
    ['a truncated index', packet('m', '0000')],
    ['a truncated negotiation', packet('O', '00000006 000001ff')],
    ['an unknown reply code', packet('z')],
    ['a reply code that is not 4xx/5xx', packet('y', ascii('250 ok\0'))],
  ];
  for (const [name, input] of bad) {
    it(`refuses ${name}`, () => assert.throws(() => decodeReply(input), MilterProtocolError));
  }
});

describe('milter packet framing', () => {
  const stream = Buffer.concat([hex('00000001 63'), hex(`0000000b 68 ${ascii('X-A\0value\0')}`), hex('00000001 61')]);
  const expected = ['c', 'h:X-A\0value\0', 'a'];
  const drain = (reader: PacketReader, out: string[]) => {
    for (let p = reader.next(); p; p = reader.next()) out.push(p.data.length ? `${p.code}:${p.data.toString('latin1')}` : p.code);
  };

  it('delivers packets fed byte by byte', () => {
    const reader = new PacketReader();
    const out: string[] = [];
    for (const byte of stream) {
      reader.push(Buffer.from([byte]));
      drain(reader, out);
    }
    assert.deepEqual(out, expected);
  });

  it('delivers the same packets for every split into two chunks, and all merged', () => {
    for (let at = 0; at <= stream.length; at++) {
      const reader = new PacketReader();
      const out: string[] = [];
      reader.push(stream.subarray(0, at));
      drain(reader, out);
      reader.push(stream.subarray(at));
      drain(reader, out);
      assert.deepEqual(out, expected, `split at ${at}`);
    }
  });

  it('refuses a zero length and an oversized length before any data arrives', () => {
    const zero = new PacketReader();
    zero.push(hex('00000000'));
    assert.throws(() => zero.next(), /length 0/);
    const big = new PacketReader(1024);
    big.push(hex('00000401 62'));
    assert.throws(() => big.next(), /exceeds 1024/);
  });
});
