import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHeaderValue } from '../../../server/mime/encoded-word.js';

const latin1 = (bytes: Buffer): string => bytes.toString('latin1');

test('RFC 2047 §8 examples', () => {
  assert.equal(decodeHeaderValue('=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>'), 'Keith Moore <moore@cs.utk.edu>');
  assert.equal(decodeHeaderValue('=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>'), 'Keld Jørn Simonsen <keld@dkuug.dk>');
  assert.equal(decodeHeaderValue('=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>'), 'André Pirard <PIRARD@vm1.ulg.ac.be>');
  assert.equal(
    decodeHeaderValue('=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?='),
    'If you can read this you understand the example.',
  );
  assert.equal(decodeHeaderValue('(=?ISO-8859-1?Q?a?=)'), '(a)');
  assert.equal(decodeHeaderValue('(=?ISO-8859-1?Q?a?= b)'), '(a b)');
  assert.equal(decodeHeaderValue('(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)'), '(ab)');
  assert.equal(decodeHeaderValue('(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)'), '(ab)');
  assert.equal(decodeHeaderValue('(=?ISO-8859-1?Q?a_b?=)'), '(a b)');
  assert.equal(decodeHeaderValue('(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)'), '(a b)');
});

test('RFC 2231 language suffix on the charset', () => {
  assert.equal(decodeHeaderValue('=?US-ASCII*EN?Q?Keith_Moore?='), 'Keith Moore');
});

test('a UTF-8 character split across two words survives', () => {
  // "ö" is C3 B6; the first word ends after C3.
  assert.equal(decodeHeaderValue('=?utf-8?B?SMM=?= =?utf-8?B?tnJzdA==?='), 'Hörst');
  assert.equal(decodeHeaderValue('=?utf-8?Q?H=C3?= =?utf-8?Q?=B6rst?='), 'Hörst');
});

test('ISO-2022-JP words split in the middle of an escape sequence run', () => {
  const bytes = Buffer.from('\x1b$B%F%9%H\x1b(B', 'latin1'); // テスト
  const a = bytes.subarray(0, 5).toString('base64');
  const b = bytes.subarray(5).toString('base64');
  assert.equal(decodeHeaderValue(`=?iso-2022-jp?B?${a}?= =?iso-2022-jp?B?${b}?=`), 'テスト');
});

test('KOI8-R, windows-1252 and cp932 words', () => {
  assert.equal(decodeHeaderValue('=?koi8-r?B?89DJ08/LLmRvYw==?='), 'Список.doc');
  assert.equal(decodeHeaderValue('=?windows-1252?Q?=80_5?='), '€ 5');
  assert.equal(decodeHeaderValue('=?cp932?Q?=83e=83X=83g?='), 'テスト');
});

test('tolerates bad input: unknown charset, malformed words, words inside text', () => {
  assert.equal(decodeHeaderValue('=?x-unknown?Q?caf=C3=A9?='), 'café');
  assert.equal(decodeHeaderValue('=?utf-8?X?abc?= plain'), '=?utf-8?X?abc?= plain');
  assert.equal(decodeHeaderValue('=?utf-8?Q?unterminated'), '=?utf-8?Q?unterminated');
  assert.equal(decodeHeaderValue('foo=?utf-8?Q?bar?=baz'), 'foobarbaz');
  assert.equal(decodeHeaderValue('=?utf-8?B?!!!?='), '');
});

test('raw 8-bit bytes are read as UTF-8 when valid, windows-1252 otherwise', () => {
  assert.equal(decodeHeaderValue(latin1(Buffer.from('Grüße', 'utf8'))), 'Grüße');
  assert.equal(decodeHeaderValue('Gr\xfc\xdfe'), 'Grüße');
});

test('text between words that is not only whitespace is kept', () => {
  assert.equal(decodeHeaderValue('=?utf-8?Q?a?= - =?utf-8?Q?b?='), 'a - b');
  assert.equal(decodeHeaderValue('Re: =?utf-8?Q?x?='), 'Re: x');
});
