import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toCrlf } from '../../../server/mime/crlf.js';

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

test('turns every bare LF into CRLF', () => {
  assert.equal(toCrlf(bytes('a\nb\n\nc')).toString('latin1'), 'a\r\nb\r\n\r\nc');
  assert.equal(toCrlf(bytes('\nstart')).toString('latin1'), '\r\nstart');
});

test('keeps existing CRLF and mixes correctly', () => {
  assert.equal(toCrlf(bytes('a\r\nb\nc\r\n')).toString('latin1'), 'a\r\nb\r\nc\r\n');
  assert.equal(toCrlf(bytes('x\r\r\ny')).toString('latin1'), 'x\r\r\ny');
});

test('leaves bare CR and NUL alone', () => {
  assert.equal(toCrlf(bytes('a\rb\0c\n')).toString('latin1'), 'a\rb\0c\r\n');
});

test('returns the same Buffer when nothing changes', () => {
  for (const s of ['', 'no line breaks', 'a\r\nb\r\n', 'bare\rcr']) {
    const input = bytes(s);
    assert.equal(toCrlf(input), input);
  }
});

test('length grows by the number of bare LFs', () => {
  const input = bytes('l1\nl2\r\nl3\nl4\n');
  assert.equal(toCrlf(input).length, input.length + 3);
});
