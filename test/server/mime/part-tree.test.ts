// Part-tree offsets. Many cases are Dovecot's own message-parser regression tests (its
// test-message-parser.c), fed the same LF-only bytes, so the expected header/body sizes and
// positions below are the ones Dovecot asserts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_NESTING, MAX_PARTS, parseMessage, type MimePart } from '../../../server/mime/part-tree.js';
import { crlf } from './helpers.js';

/** [position, header size, body size, kind, children...] */
type Shape = [number, number, number, string, ...Shape[]];

function shape(p: MimePart): Shape {
  assert.equal(p.headerEnd, p.bodyStart);
  return [p.headerStart, p.headerEnd - p.headerStart, p.bodyEnd - p.bodyStart, p.kind, ...(p.parts ?? []).map(shape)];
}

const lf = (text: string): Buffer => Buffer.from(text, 'latin1');
const tree = (text: string): Shape => shape(parseMessage(lf(text)).root);

test('Dovecot: truncated MIME headers end at the next boundary line', () => {
  const msg =
    'Content-Type: multipart/mixed; boundary=":foo"\n\n--:foo\n--:foo\nContent-Type: text/plain\n' +
    '--:foo\nContent-Type: text/plain\r\n--:foo\nContent-Type: text/html\n--:foo--\n';
  assert.deepEqual(tree(msg), [0, 48, 112, 'multipart', [55, 0, 0, 'text'], [62, 24, 0, 'text'], [94, 24, 0, 'text'], [127, 23, 0, 'text']]);
});

test('Dovecot: an outer boundary right after the empty line takes its line break', () => {
  const msg =
    'Content-Type: multipart/mixed; boundary="ab"\n\n--ab\nContent-Type: multipart/mixed; boundary="a"\n\n' +
    '--ab\nContent-Type: text/plain\n\n--a\n\n';
  assert.deepEqual(tree(msg), [0, 46, 86, 'multipart', [51, 44, 0, 'multipart'], [101, 26, 5, 'text']]);
});

test('Dovecot: a multipart header cut by the end has no children', () => {
  assert.deepEqual(tree('Content-Type: multipart/mixed; boundary="ab"\n'), [0, 45, 0, 'multipart']);
  assert.deepEqual(tree('Content-Type: multipart/mixed; boundary="ab"\n\nbody\n'), [0, 46, 5, 'multipart']);
});

test('Dovecot: a boundary reused by a nested multipart belongs to the inner one', () => {
  const msg =
    'Content-Type: multipart/mixed; boundary="a"\n\n--a\nContent-Type: multipart/mixed; boundary="a"\n\n' +
    '--a\nContent-Type: text/plain\n\nbody\n';
  assert.deepEqual(tree(msg), [0, 45, 84, 'multipart', [49, 45, 35, 'multipart', [98, 26, 5, 'text']]]);
});

test('Dovecot: delimiters match by prefix ("--ab" and "--ac" are delimiters of "a")', () => {
  const msg =
    'Content-Type: multipart/mixed; boundary="a"\n\n--ab\nContent-Type: multipart/mixed; boundary="a"\n\n' +
    '--ac\nContent-Type: text/plain\n\nbody\n';
  assert.deepEqual(tree(msg), [0, 45, 86, 'multipart', [50, 45, 36, 'multipart', [100, 26, 5, 'text']]]);
});

test('Dovecot: the longest matching boundary wins', () => {
  const forward =
    'Content-Type: multipart/mixed; boundary="a"\n\n--a\nContent-Type: multipart/mixed; boundary="ab"\n\n' +
    '--ab\nContent-Type: text/plain\n\nbody\n';
  assert.deepEqual(tree(forward), [0, 45, 86, 'multipart', [49, 46, 36, 'multipart', [100, 26, 5, 'text']]]);
  const reverse =
    'Content-Type: multipart/mixed; boundary="ab"\n\n--ab\nContent-Type: multipart/mixed; boundary="a"\n\n' +
    '--a\nContent-Type: text/plain\n\nbody\n--ab\nContent-Type: text/html\n\nbody2\n';
  assert.deepEqual(tree(reverse), [
    0, 46, 121, 'multipart',
    [51, 45, 34, 'multipart', [100, 26, 4, 'text']],
    [136, 25, 6, 'text'],
  ]);
});

test('Dovecot: trailing dashes distinguish boundaries that end in dashes', () => {
  const msg =
    'Content-Type: multipart/mixed; boundary="a--"\n\n--a--\nContent-Type: multipart/mixed; boundary="a----"\n\n' +
    '--a----\nContent-Type: text/plain\n\nbody\n--a------\nContent-Type: text/html\n\nbody2\n--a----';
  const root = parseMessage(lf(msg)).root;
  assert.equal(root.parts?.length, 1);
  assert.equal(root.parts?.[0].parts?.length, 1);
  assert.equal(root.parts?.[0].parts?.[0].parts, undefined);
});

test('Dovecot: a header without its multipart empty line gets no boundary', () => {
  const msg =
    'Content-Type: multipart/mixed; boundary="a"\n\n--a\nContent-Type: multipart/mixed; boundary="ab"\n' +
    'MIME-Version: 1.0\n--ab\nContent-Type: text/plain\n\n--ab--\n--a--\n\n';
  assert.deepEqual(tree(msg), [0, 45, 112, 'multipart', [49, 62, 0, 'multipart'], [117, 25, 0, 'text'], [150, 0, 0, 'text']]);
});

test('Dovecot: boundaries are cut to 80 characters, so these three act as one', () => {
  const b82 = '1234567890'.repeat(8) + '12';
  const b81 = b82.slice(0, 81);
  const b80 = b82.slice(0, 80);
  const ct = (b: string): string => `Content-Type: multipart/mixed; boundary="${b}"\n\n`;
  const msg =
    `${ct(b82)}--${b82}\n${ct(b81)}--${b81}\n${ct(b80)}--${b80}\nContent-Type: text/plain\n\n1\n` +
    `--${b82}\nContent-Type: text/plain\n\n22\n--${b81}\nContent-Type: text/plain\n\n333\n` +
    `--${b80}\nContent-Type: text/plain\n\n4444\n`;
  const root = parseMessage(lf(msg)).root;
  assert.equal(root.headerEnd - root.headerStart, 126);
  assert.equal(root.bodyEnd - root.bodyStart, 871);
  const inner = root.parts?.[0].parts?.[0] as MimePart;
  assert.deepEqual(
    (inner.parts ?? []).map((p) => [p.headerEnd - p.headerStart, p.bodyEnd - p.bodyStart]),
    [
      [26, 1],
      [26, 2],
      [26, 3],
      [26, 5],
    ],
  );
});

test('Dovecot: a header without an empty line at the end of the data', () => {
  assert.deepEqual(tree('a:b\n'), [0, 4, 0, 'text']);
});

test('an empty message is one empty text part', () => {
  assert.deepEqual(shape(parseMessage(Buffer.alloc(0)).root), [0, 0, 0, 'text']);
});

test('no header at all: the whole message is the header', () => {
  const raw = crlf('This is a simple message not having headers.\nThe whole text should be recognized as body.\n');
  assert.deepEqual(shape(parseMessage(raw).root), [0, raw.length, 0, 'text']);
});

test('a whitespace-only line continues the header instead of ending it', () => {
  const raw = crlf('Subject: x\n \nbody line\n\nreal body\n');
  const root = parseMessage(raw).root;
  assert.equal(raw.toString('latin1', root.bodyStart, root.bodyEnd), 'real body\r\n');
});

test('message/rfc822 holds one child parsed from its body', () => {
  const raw = crlf('Content-Type: message/rfc822\n\nSubject: inner\n\nhello\n');
  assert.deepEqual(shape(parseMessage(raw).root), [0, 32, 25, 'message', [32, 18, 7, 'text']]);
});

test('message/rfc822 with an empty body still has an (empty) child', () => {
  const raw = crlf('Content-Type: message/rfc822\n\n');
  assert.deepEqual(shape(parseMessage(raw).root), [0, 32, 0, 'message', [32, 0, 0, 'text']]);
});

test('multipart/digest parts without Content-Type are message/rfc822', () => {
  const raw = crlf('Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: m1\n\nx\n--d\nContent-Type: text/plain\n\ny\n--d--\n');
  const root = parseMessage(raw).root;
  assert.deepEqual(
    root.parts?.map((p) => [p.kind, p.type]),
    [
      ['message', 'message/rfc822'],
      ['text', 'text/plain'],
    ],
  );
});

test('the first Content-Type counts; a broken one gives type ""', () => {
  const first = parseMessage(crlf('Content-Type: multipart/mixed; boundary=b\nContent-Type: text/plain\n\n--b\n\nx\n--b--\n')).root;
  assert.equal(first.kind, 'multipart');
  const broken = parseMessage(crlf('Content-Type: text\n\nx\n')).root;
  assert.deepEqual([broken.kind, broken.type], ['basic', '']);
});

test(`nesting deeper than ${MAX_NESTING} levels becomes a leaf, without recursion`, () => {
  let msg = '';
  for (let i = 0; i < 150; i++) msg += `Content-Type: multipart/mixed; boundary="b${i}x"\n\n--b${i}x\n`;
  msg += 'Content-Type: text/plain\n\ndeep\n';
  const raw = crlf(msg);
  let part = parseMessage(raw).root;
  let depth = 0;
  while (part.parts !== undefined) {
    part = part.parts[0];
    depth++;
  }
  assert.equal(depth, MAX_NESTING - 1);
  assert.deepEqual([part.kind, part.type], ['basic', 'multipart/mixed']);
  assert.equal(part.bodyEnd, raw.length);
});

test('nested message/rfc822 deeper than the limit becomes a leaf', () => {
  const raw = crlf('Content-Type: message/rfc822\n\n'.repeat(MAX_NESTING + 20) + 'x\n');
  let part = parseMessage(raw).root;
  let depth = 0;
  while (part.parts !== undefined) {
    part = part.parts[0];
    depth++;
  }
  assert.equal(depth, MAX_NESTING - 1);
  assert.equal(part.kind, 'basic');
});

test(`boundaries stop being recognised after ${MAX_PARTS} parts`, () => {
  const raw = crlf('Content-Type: multipart/mixed; boundary=b\n\n' + '--b\n\nx\n'.repeat(MAX_PARTS + 50) + '--b--\n');
  const root = parseMessage(raw).root;
  assert.equal(root.parts?.length, MAX_PARTS - 1);
  assert.equal(root.parts?.[MAX_PARTS - 2].bodyEnd, raw.length);
});

test('the tree survives a JSON round trip unchanged', () => {
  const parsed = parseMessage(crlf('Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n\nA: 1\n\nz\n--b--\n'));
  assert.deepEqual(JSON.parse(JSON.stringify(parsed)), parsed);
});
