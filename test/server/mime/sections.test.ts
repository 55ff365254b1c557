import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchSection, findPart, sectionRange, type Section } from '../../../server/mime/sections.js';
import { corpus, crlf, parse } from './helpers.js';

function fetcher(raw: Buffer): (spec: string) => string {
  const { parsed } = parse(raw);
  return (spec) => {
    // "1.2.HEADER.FIELDS (a b)" -> path [1, 2], text, fields
    const m = /^((?:\d+\.)*\d+)?\.?([A-Z.]*)(?: \(([^)]*)\))?$/.exec(spec) as RegExpExecArray;
    const section: Section = {
      path: m[1] === undefined ? [] : m[1].split('.').map(Number),
      text: m[2] === '' ? undefined : (m[2] as Section['text']),
      fields: m[3]?.split(' '),
    };
    return fetchSection(raw, parsed, section).toString('latin1');
  };
}

const nl = (text: string): string => text.replace(/\n/g, '\r\n');

test('imaptest fetch-body-mime: folded boundary, prologue, epilogue, message/rfc822', () => {
  const body = fetcher(corpus('imaptest-folded-boundary-prologue-epilogue-rfc822.eml'));
  const sub =
    'From: sub@domain.org\nDate: Sun, 12 Aug 2012 12:34:56 +0300\nSubject: submsg\n' +
    'Content-Type: multipart/alternative; boundary="sub1"\n\n';
  const subText =
    'Sub MIME prologue\n--sub1\nContent-Type: text/html\n\n<p>Hello world</p>\n\n--sub1\nContent-Type: text/plain\n\n' +
    'Hello another world\n\n--sub1--\nSub MIME epilogue\n';
  assert.equal(body('1'), nl('hello\n'));
  assert.equal(body('1.MIME'), nl('Content-Type: text/x-myown; charset=us-ascii\n\n'));
  assert.equal(body('2'), nl(sub + subText));
  assert.equal(body('2.MIME'), nl('Content-Type: message/rfc822\n\n'));
  assert.equal(body('2.HEADER'), nl(sub));
  assert.equal(body('2.HEADER.FIELDS (from subject X-foo)'), nl('From: sub@domain.org\nSubject: submsg\n\n'));
  assert.equal(body('2.HEADER.FIELDS.NOT (from subject X-foo)'), nl('Date: Sun, 12 Aug 2012 12:34:56 +0300\nContent-Type: multipart/alternative; boundary="sub1"\n\n'));
  assert.equal(body('2.TEXT'), nl(subText));
  assert.equal(body('2.1.MIME'), nl('Content-Type: text/html\n\n'));
  assert.equal(body('2.1'), nl('<p>Hello world</p>\n'));
  assert.equal(body('2.2.MIME'), nl('Content-Type: text/plain\n\n'));
  assert.equal(body('2.2'), nl('Hello another world\n'));
  assert.ok(body('TEXT').startsWith(nl('Root MIME prologue\n\n--foo bar\n')));
});

test('imaptest fetch-body-message-rfc822-mime: digest parts inside a message/rfc822', () => {
  const body = fetcher(corpus('imaptest-rfc822-digest-part-headers.eml'));
  assert.equal(body('1.1'), nl('From: m1@example.com\nSubject: m1\n\nm1 body\n'));
  assert.equal(body('1.1.MIME'), nl('\n'));
  assert.equal(body('1.1.HEADER'), nl('From: m1@example.com\nSubject: m1\n\n'));
  assert.equal(body('1.1.TEXT'), nl('m1 body\n'));
  assert.equal(body('1.2'), nl('From: m2@example.com\nSubject: m2\n\nm2 body\n'));
  assert.equal(body('1.2.MIME'), nl('X-Mime: m2 header\n\n'));
  assert.equal(body('1.2.HEADER'), nl('From: m2@example.com\nSubject: m2\n\n'));
  assert.equal(body('1.2.TEXT'), nl('m2 body\n'));
  assert.equal(body('1.HEADER'), nl('From: sub@domain.org\nDate: Sun, 12 Aug 2012 12:34:56 +0300\nSubject: submsg\nContent-Type: multipart/digest; boundary="foo"\n\n'));
  assert.equal(body('1'), body('TEXT'));
});

test('imaptest fetch-body-message-rfc822-x2: message/rfc822 inside message/rfc822', () => {
  const body = fetcher(corpus('imaptest-rfc822-in-rfc822-no-mime-body.eml'));
  const innermost = 'From: sub@domain.org\nDate: Sun, 12 Aug 2012 12:34:56 +0300\nSubject: submsg\n\n';
  assert.equal(body('1.1'), nl(`${innermost}Hello world\n`));
  assert.equal(body('1.TEXT'), nl(`${innermost}Hello world\n`));
  assert.equal(body('1.HEADER'), nl('From: user2@domain.org\nDate: Fri, 23 Mar 2007 11:22:33 +0200\nMime-Version: 1.0\nContent-Type: message/rfc822\n\n'));
  assert.equal(body('1.1.1'), nl('Hello world\n'));
  assert.equal(body('1.1.HEADER'), nl(innermost));
  assert.equal(body('1.1.TEXT'), nl('Hello world\n'));
});

test('RFC 2060 part numbering example: every part is where it says it is', () => {
  const body = fetcher(corpus('mimekit-rfc2060-part-numbering-example.eml'));
  for (const section of ['1', '2', '3.1', '3.2', '4.1', '4.2.1', '4.2.2.1', '4.2.2.2']) {
    assert.equal(body(section), nl(`This part specifier should be: ${section}\n`), section);
  }
  assert.match(body('3.HEADER'), /^Subject: This part specifier should be: 3\r$/m);
  assert.match(body('4.2.HEADER.FIELDS (SUBJECT)'), /^Subject: This part specifier should be: 4.2\r\n\r\n$/);
  assert.equal(body('4.2.2.MIME'), nl('Content-Type: MULTIPART/ALTERNATIVE; boundary="4.2.2.x"\n\n'));
});

test('a single-part message: [1] is its body, [1.MIME] its header, [2] does not exist', () => {
  const raw = crlf('Subject: x\nX-A: folded\n  more\n\nbody\n');
  const body = fetcher(raw);
  assert.equal(body('1'), nl('body\n'));
  assert.equal(body('1.MIME'), nl('Subject: x\nX-A: folded\n  more\n\n'));
  assert.equal(body('HEADER'), body('1.MIME'));
  assert.equal(body(''), raw.toString('latin1'));
  assert.equal(body('2'), '');
  assert.equal(body('1.1'), '');
  assert.equal(body('1.HEADER'), '');
});

test('HEADER.FIELDS keeps folded lines, matches case-insensitively, ends with the empty line', () => {
  const body = fetcher(crlf('Subject: x\nX-A: folded\n  more\nx-a: again\n\nbody\n'));
  assert.equal(body('HEADER.FIELDS (X-a)'), nl('X-A: folded\n  more\nx-a: again\n\n'));
  assert.equal(body('HEADER.FIELDS (Nothing)'), '\r\n');
  assert.equal(body('HEADER.FIELDS.NOT (x-a subject)'), '\r\n');
});

test('nonexistent sections are empty, never errors', () => {
  const body = fetcher(corpus('mimekit-rfc2060-part-numbering-example.eml'));
  for (const section of ['5', '0', '2.2', '3.3', '1.HEADER', '4.1.TEXT', '9.MIME', '4.2.2.3']) assert.equal(body(section), '', section);
  // Like Dovecot, a trailing ".1" on a non-multipart part names the part itself.
  assert.equal(body('1.1'), body('1'));
});

test('a message without a header block returns the whole message as HEADER', () => {
  const raw = corpus('mime4j-no-header-no-blank-line.eml');
  const body = fetcher(raw);
  assert.equal(body('HEADER'), raw.toString('latin1'));
  assert.equal(body('TEXT'), '');
});

test('findPart and sectionRange agree with the tree', () => {
  const { parsed } = parse(corpus('mimekit-rfc2060-part-numbering-example.eml'));
  const part = findPart(parsed, [4, 2]);
  assert.equal(part?.kind, 'message');
  assert.deepEqual(sectionRange(parsed, [4, 2]), { start: part?.bodyStart, end: part?.bodyEnd });
  assert.deepEqual(sectionRange(parsed, [4, 2], 'HEADER'), { start: part?.parts?.[0].headerStart, end: part?.parts?.[0].headerEnd });
  assert.equal(sectionRange(parsed, [], 'MIME'), null);
});
