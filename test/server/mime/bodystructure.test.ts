import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyStructure } from '../../../server/mime/bodystructure.js';
import type { ImapValue } from '../../../server/mime/imap-value.js';
import { MAX_NESTING } from '../../../server/mime/part-tree.js';
import { fetchSection } from '../../../server/mime/sections.js';
import { crlf, imapText, parse } from './helpers.js';

function lines(count: number, total: number): string {
  // `count` CRLF-terminated lines whose bytes add up to `total`.
  const content = total - 2 * count;
  const short = Math.floor(content / count);
  const longer = content - short * count;
  return Array.from({ length: count }, (_, i) => 'x'.repeat(short + (i < longer ? 1 : 0))).join('\n') + '\n';
}

function structure(text: string, extended = true): string {
  const { raw, parsed } = parse(crlf(text));
  return imapText(bodyStructure(raw, parsed, extended));
}

const RFC3501_HEADER =
  'Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\nFrom: Terry Gray <gray@cac.washington.edu>\n' +
  'Subject: IMAP4rev1 WG mtg summary and minutes\nMIME-Version: 1.0\n';

test('RFC 3501 §7.4.2 example: BODY of a single text part', () => {
  const msg = `${RFC3501_HEADER}Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\nContent-Transfer-Encoding: 7BIT\n\n${lines(92, 3028)}`;
  assert.equal(structure(msg, false), '("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92)');
});

const RFC3501_MULTIPART =
  `${RFC3501_HEADER}Content-Type: MULTIPART/MIXED; BOUNDARY=b\n\n--b\n` +
  `Content-Type: TEXT/PLAIN; CHARSET=US-ASCII\nContent-Transfer-Encoding: 7BIT\n\n${lines(23, 1152)}\n--b\n` +
  'Content-Type: TEXT/PLAIN; CHARSET=US-ASCII; NAME=cc.diff\nContent-ID: <960723163407.20117h@cac.washington.edu>\n' +
  `Content-Description: Compiler diff\nContent-Transfer-Encoding: BASE64\n\n${lines(73, 4554)}\n--b--\n`;

test('RFC 3501 §7.4.2 example: BODYSTRUCTURE of a two-part multipart', () => {
  assert.equal(
    structure(RFC3501_MULTIPART, false),
    // RFC 3501 prints the children without a space between them.
    (
      '(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152 23)("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "cc.diff") ' +
      '"<960723163407.20117h@cac.washington.edu>" "Compiler diff" "BASE64" 4554 73) "MIXED")'
    ).replace(')(', ') ('),
  );
  assert.equal(
    structure(RFC3501_MULTIPART),
    '(("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 1152 23 NIL NIL NIL NIL) ("TEXT" "PLAIN" ("CHARSET" "US-ASCII" "NAME" "cc.diff") ' +
      '"<960723163407.20117h@cac.washington.edu>" "Compiler diff" "BASE64" 4554 73 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "b") NIL NIL NIL)',
  );
});

test('defaults: no Content-Type is text/plain us-ascii 7bit; charset is added to text parts', () => {
  assert.equal(structure('Subject: x\n\nhello\n'), '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 7 1 NIL NIL NIL NIL)');
  assert.equal(structure('Content-Type: text/html; format=flowed\n\n<p>\n'), '("text" "html" ("format" "flowed" "charset" "us-ascii") NIL NIL "7bit" 5 1 NIL NIL NIL NIL)');
  assert.equal(structure('Content-Type: application/pdf\n\n%PDF\n'), '("application" "pdf" NIL NIL NIL "7bit" 6 NIL NIL NIL NIL)');
});

test('extension data: md5, disposition with parameters, language list, location', () => {
  const msg =
    'MIME-Version: 1.0\nContent-Type: image/png; name="a.png"\nContent-Transfer-Encoding: base64\n' +
    'Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\nContent-Disposition: attachment;\n filename="a.png"; size=4\n' +
    'Content-Language: en, de-CH\nContent-Location: http://example.org/\n a.png\nContent-ID: <id@x>\n\nAAAA\n';
  assert.equal(
    structure(msg),
    '("image" "png" ("name" "a.png") "<id@x>" NIL "base64" 6 "Q2hlY2sgSW50ZWdyaXR5IQ==" ' +
      '("attachment" ("filename" "a.png" "size" "4")) ("en" "de-CH") "http://example.org/ a.png")',
  );
  assert.equal(structure(msg, false), '("image" "png" ("name" "a.png") "<id@x>" NIL "base64" 6)');
});

test('message/rfc822: envelope, body and line count of the encapsulated message', () => {
  const msg =
    'Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n--b\n' +
    'Content-Type: Message/RFC822\nContent-Disposition: inline\n\n' +
    'From: Inner <in@x>\nSubject: inner\nContent-Type: text/plain; charset=utf-8\n\nhi\nthere\n--b--\n';
  assert.equal(
    structure(msg),
    '(("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 12 0 NIL NIL NIL NIL) ("message" "rfc822" NIL NIL NIL "7bit" 88 ' +
      '(NIL "inner" (("Inner" NIL "in" "x")) (("Inner" NIL "in" "x")) (("Inner" NIL "in" "x")) NIL NIL NIL NIL NIL) ' +
      '("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 9 1 NIL NIL NIL NIL) 5 NIL ("inline" NIL) NIL NIL) "mixed" ("boundary" "b") NIL NIL NIL)',
  );
});

test('without MIME-Version or Content-Type, Content-* fields are ignored', () => {
  assert.equal(structure('Content-Transfer-Encoding: base64\nContent-ID: <x@y>\n\naGk=\n'), '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 6 1 NIL NIL NIL NIL)');
});

test('first Content-Transfer-Encoding counts; a value that is not one token is 7bit', () => {
  assert.equal(
    structure('Content-Type: text/plain\nContent-Transfer-Encoding: Quoted-Printable (qp)\nContent-Transfer-Encoding: base64\n\nx\n', false),
    '("text" "plain" ("charset" "us-ascii") NIL NIL "Quoted-Printable" 3 1)',
  );
  assert.equal(structure('Content-Type: text/plain\nContent-Transfer-Encoding: 8 bit\n\nx\n', false), '("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 3 1)');
});

test('8-bit parameter bytes are returned unchanged', () => {
  const { raw, parsed } = parse(crlf('Content-Type: text/plain; name="\xc3\xa9t\xc3\xa9.txt"\n\nx\n'));
  const bs = bodyStructure(raw, parsed, false) as unknown[];
  assert.deepEqual(bs[2], ['name', '\xc3\xa9t\xc3\xa9.txt', 'charset', 'us-ascii']);
});

test('nesting past the limit: the innermost message/rfc822 is written as a plain leaf', () => {
  const { raw, parsed } = parse(crlf('Content-Type: message/rfc822\n\n'.repeat(MAX_NESTING + 5) + 'deep\n'));
  let value = bodyStructure(raw, parsed) as ImapValue[];
  let depth = 0;
  while (value.length === 14) {
    value = value[8] as ImapValue[]; // the encapsulated message's structure
    depth++;
  }
  assert.equal(depth, MAX_NESTING - 1);
  assert.deepEqual(value.slice(0, 6), ['message', 'rfc822', null, null, null, '7bit']);
  assert.equal(value.length, 11);
  assert.equal(fetchSection(raw, parsed, { path: Array(MAX_NESTING).fill(1) }).length, value[6]);
});
