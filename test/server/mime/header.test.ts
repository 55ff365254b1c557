import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldValue, headerFields, unfold } from '../../../server/mime/header.js';
import { crlf } from './helpers.js';

function read(text: string): { name: string; value: string; raw: string }[] {
  const raw = crlf(text);
  return headerFields(raw, 0, raw.length).map((f) => ({
    name: f.name,
    value: fieldValue(raw, f),
    raw: raw.toString('latin1', f.start, f.end),
  }));
}

test('splits fields and keeps folded lines with their field', () => {
  const fields = read('Subject: one\n two\nFrom: a@b\n\nbody: not a header\n');
  assert.deepEqual(
    fields.map((f) => [f.name, f.value]),
    [
      ['Subject', 'one\r\n two'],
      ['From', 'a@b'],
    ],
  );
  assert.equal(fields[0].raw, 'Subject: one\r\n two\r\n');
});

test('obsolete syntax: whitespace before the colon, whitespace-only fold lines', () => {
  const fields = read('Subject :The obsolete\n       \n and more\nDate    :     Malformed\nX \t :\tvalue\n\n');
  assert.deepEqual(
    fields.map((f) => [f.name, f.value]),
    [
      ['Subject', 'The obsolete\r\n       \r\n and more'],
      ['Date', 'Malformed'],
      ['X', 'value'],
    ],
  );
});

test('a line without a colon is a field named by the whole line', () => {
  const fields = read('This is an invalid header\nSubject: x\n\n');
  assert.deepEqual(
    fields.map((f) => [f.name, f.value]),
    [
      ['This is an invalid header', ''],
      ['Subject', 'x'],
    ],
  );
});

test('a value of only whitespace keeps all but the first byte', () => {
  assert.equal(read('Subject:   \n\n')[0].value, '  ');
  assert.equal(read('Subject:\n\n')[0].value, '');
});

test('8-bit field names are kept as bytes and NUL becomes U+FFFD', () => {
  const fields = read('Inval\xefd-Header: x\0y\n\n');
  assert.equal(fields[0].name, 'Inval\xefd-Header');
  assert.equal(fields[0].value, 'x\xef\xbf\xbdy');
});

test('the first line starts a field even when it begins with whitespace', () => {
  assert.deepEqual(
    read(' Lead: x\n next\n\n').map((f) => f.name),
    [' Lead'],
  );
});

test('a header cut short (no final line break) still yields its last field', () => {
  const raw = crlf('A: 1\nB: 2');
  assert.deepEqual(
    headerFields(raw, 0, raw.length).map((f) => [f.name, fieldValue(raw, f)]),
    [
      ['A', '1'],
      ['B', '2'],
    ],
  );
});

test('unfold removes line breaks, keeping the whitespace of the fold', () => {
  assert.equal(unfold('one\r\n two\r\n\tthree'), 'one two\tthree');
  assert.equal(unfold('broken\r\nfold'), 'broken fold');
  assert.equal(unfold('plain'), 'plain');
});
