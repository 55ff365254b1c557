import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  boundaryOf,
  decodeRfc2231Value,
  paramValue,
  parseContentDisposition,
  parseContentLanguage,
  parseContentType,
} from '../../../server/mime/params.js';

test('type, subtype and parameters keep the case they were written in', () => {
  assert.deepEqual(parseContentType('TEXT/Plain; CharSet="US-ASCII"; format=flowed'), {
    type: 'TEXT',
    subtype: 'Plain',
    params: [
      ['CharSet', 'US-ASCII'],
      ['format', 'flowed'],
    ],
  });
});

test('comments and whitespace are removed anywhere', () => {
  assert.deepEqual(parseContentType(' (lead) text / html (the subtype) ; (x) charset = utf-8 (trail)'), {
    type: 'text',
    subtype: 'html',
    params: [['charset', 'utf-8']],
  });
});

test('a quoted boundary folded inside its quotes loses only the line break', () => {
  assert.deepEqual(parseContentType('multipart/mixed; boundary="foo\r\n bar"').params, [['boundary', 'foo bar']]);
  assert.deepEqual(parseContentType('a/b; x="q\\"uo\\\\te"').params, [['x', 'q"uo\\te']]);
});

test('broken Content-Type values become "" "" without parameters', () => {
  const broken = { type: '', subtype: '', params: [] };
  for (const value of ['text', 'text; charset=us-ascii', 'application-x-gzip', '', '   ', 'multipart/', '/plain', 'multipart/mixed\r\n\tboundary="b"', 'text/plain (unterminated']) {
    assert.deepEqual(parseContentType(value), broken, JSON.stringify(value));
  }
});

test('parameters without a value are dropped; empty values kept', () => {
  assert.deepEqual(parseContentType('text/plain; format; charset=utf-8; x=; y=""').params, [
    ['charset', 'utf-8'],
    ['x', ''],
    ['y', ''],
  ]);
});

test('a run of empty parameters does not hide the boundary', () => {
  assert.deepEqual(parseContentType('multipart/alternative ; ; ; ;; ;;;;;;;; boundary="foo"').params, [['boundary', 'foo']]);
});

test('an unquoted encoded word is taken whole as the value', () => {
  assert.deepEqual(parseContentType('text/plain; name==?koi8-r?B?89DJ08/LLmRvYw==?=; charset=x').params, [
    ['name', '=?koi8-r?B?89DJ08/LLmRvYw==?='],
    ['charset', 'x'],
  ]);
});

test('RFC 2231 continuations are joined, extended pieces marked with *', () => {
  assert.deepEqual(parseContentType('a/b; title*1="b"; title*0="a"; x=1').params, [
    ['x', '1'],
    ['title', 'ab'],
  ]);
  assert.deepEqual(parseContentType("a/b; name*0*=us-ascii'en'This%20is; name*1=\" 100%\"; name*2*=%21").params, [
    ['name*', "us-ascii'en'This%20is 100%25%21"],
  ]);
  assert.deepEqual(parseContentType("a/b; name*0=plain; name*1*=%41").params, [['name*', "''plain%41"]]);
  assert.deepEqual(parseContentType("a/b; filename*=UTF-8''%E2%82%AC.txt").params, [['filename*', "UTF-8''%E2%82%AC.txt"]]);
});

test('RFC 2231 pieces with a gap in their numbering are kept under their own names', () => {
  assert.deepEqual(parseContentType('a/b; n*0=a; n*2=c').params, [
    ['n*0', 'a'],
    ['n*2', 'c'],
  ]);
});

test('paramValue decodes RFC 2231 and RFC 2047 values', () => {
  const params = parseContentType("a/b; filename*=ISO-8859-1''%E9t%E9.txt; name=\"=?UTF-8?Q?=C3=A9t=C3=A9?=\"").params;
  assert.equal(paramValue(params, 'FILENAME'), 'été.txt');
  assert.equal(paramValue(params, 'name'), 'été');
  assert.equal(paramValue(params, 'missing'), null);
  assert.equal(decodeRfc2231Value("utf-8'en'%E2%82%AC"), '€');
  assert.equal(decodeRfc2231Value('no%20charset'), 'no charset');
});

test('boundaryOf: plain, RFC 2231 form, and cut to 80 characters', () => {
  assert.equal(boundaryOf(parseContentType('multipart/mixed; BOUNDARY="x y"')), 'x y');
  assert.equal(boundaryOf(parseContentType("multipart/signed; boundary*=\"ansi-x3.4-1968''EeQf%41\"")), 'EeQfA');
  assert.equal(boundaryOf(parseContentType(`multipart/mixed; boundary="${'b'.repeat(7000)}"`)), 'b'.repeat(80));
  assert.equal(boundaryOf(parseContentType('multipart/mixed')), null);
});

test('Content-Disposition: type and parameters, even an empty type', () => {
  assert.deepEqual(parseContentDisposition('attachment; filename="a b.txt"; size=3'), {
    type: 'attachment',
    params: [
      ['filename', 'a b.txt'],
      ['size', '3'],
    ],
  });
  assert.deepEqual(parseContentDisposition(';\r\n        filename="image001.png"'), { type: '', params: [['filename', 'image001.png']] });
  assert.equal(parseContentDisposition('inline (unterminated'), null);
});

test('Content-Language is a list of tags', () => {
  assert.deepEqual(parseContentLanguage('en-US, fr (French)'), ['en-US', 'fr']);
  assert.equal(parseContentLanguage(''), null);
});
