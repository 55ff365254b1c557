import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodedBodyText, decodedHeaderText, decodedHeaderValues } from '../../../server/mime/body-text.js';
import { decodeBase64, decodeQuotedPrintable } from '../../../server/mime/transfer-encoding.js';
import { corpus, crlf, parse } from './helpers.js';

const text = (raw: Buffer): string => decodedBodyText(raw, parse(raw).parsed);
const b = (s: string): Buffer => Buffer.from(s, 'latin1');

test('quoted-printable: hex escapes, soft breaks, trailing whitespace, stray "="', () => {
  assert.equal(decodeQuotedPrintable(b('caf=C3=A9 =e2=82=ac\r\nsoft=\r\nbreak  \r\nx = y =3\r\nend=')).toString('latin1'), 'caf\xc3\xa9 \xe2\x82\xac\r\nsoftbreak\r\nx = y =3\r\nend');
  assert.equal(decodeQuotedPrintable(b('keep=20\r\nws= \t\r\nnext')).toString('latin1'), 'keep \r\nwsnext');
});

test('base64: whitespace skipped, decoding stops at padding or garbage', () => {
  assert.equal(decodeBase64(b('aGVs\r\nbG8g\t d29y bGQ=')).toString('latin1'), 'hello world');
  assert.equal(decodeBase64(b('aGVsbG8=\r\nignored')).toString('latin1'), 'hello');
  assert.equal(decodeBase64(b('aGVsbG8?garbage')).toString('latin1'), 'hello');
  assert.equal(decodeBase64(b('aGVsbA')).toString('latin1'), 'hell');
});

test('text parts are transfer-decoded and charset-converted', () => {
  const raw = crlf(
    'Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain; charset=koi8-r\n' +
      'Content-Transfer-Encoding: base64\n\n89DJ08/L\n--b\nContent-Type: text/html; charset="iso-8859-15"\n' +
      'Content-Transfer-Encoding: quoted-printable\n\n<p>=A4 5</p>\n--b--\n',
  );
  assert.equal(text(raw), 'Список\n<p>€ 5</p>');
});

test('non-text parts are never searched; nested messages are', () => {
  const raw = crlf(
    'Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/octet-stream\n\nsecret-binary\n' +
      '--b\nContent-Type: message/rfc822\n\nSubject: inner\nContent-Type: text/plain; charset=utf-8\n\ninner text\n--b--\n',
  );
  assert.equal(text(raw), 'inner text');
});

test('leaf message/* parts (delivery status reports) are searched like text', () => {
  const dsn = text(corpus('mailparser-dsn-bounce.eml'));
  assert.match(dsn, /Final-Recipient:/i);
});

test('undeclared or unknown charsets: UTF-8 when valid, windows-1252 otherwise', () => {
  assert.equal(text(crlf('Subject: x\n\nGr\xc3\xbc\xc3\x9fe\n')), 'Grüße\r\n');
  assert.equal(text(crlf('Content-Type: text/plain; charset=x-made-up\n\nGr\xfc\xdfe \x80\n')), 'Grüße €\r\n');
  assert.equal(text(crlf('Content-Type: text/plain; charset=us-ascii\n\n\x93quoted\x94\n')), '“quoted”\r\n');
});

test('corpus: ISO-2022-JP, Shift_JIS (as cp932/utf8 label), UTF-16LE and KOI8-U bodies', () => {
  assert.match(text(corpus('mimekit-iso-2022-jp-subject-and-body.eml')), /[\u3040-\u30ff\u4e00-\u9fff]/);
  assert.match(text(corpus('thunderbird-cp932-8bit-body-q-subject.eml')), /[\u3040-\u30ff\u4e00-\u9fff]/);
  assert.match(text(corpus('thunderbird-utf16le-base64-body.eml')), /\p{L}{3}/u);
  assert.match(text(corpus('thunderbird-8bit-koi8u-no-charset.eml')), /\p{L}/u);
});

test('decoded header values for SEARCH SUBJECT/FROM/HEADER', () => {
  const { raw, parsed } = parse(crlf('Subject: =?utf-8?B?SMO2cnN0?=\n =?utf-8?Q?_Kenny?=\nFrom: =?iso-8859-1?Q?J=F6rg?= <j@x>\nX-A: 1\nx-a: 2\n\n'));
  assert.deepEqual(decodedHeaderValues(raw, parsed, 'subject'), ['Hörst Kenny']);
  assert.deepEqual(decodedHeaderValues(raw, parsed, 'X-A'), ['1', '2']);
  assert.deepEqual(decodedHeaderValues(raw, parsed, 'missing'), []);
  assert.equal(decodedHeaderText(raw, parsed), 'Subject: Hörst Kenny\nFrom: Jörg <j@x>\nX-A: 1\nx-a: 2');
});
