import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenize } from '../../../server/sieve/lexer.js';
import { SieveError } from '../../../server/sieve/errors.js';

const kinds = (src: string): string[] => tokenize(src).map((t) => (t.type === 'number' ? `number:${t.value}` : `${t.type}:${t.text}`));

function lexError(src: string): string {
  try {
    tokenize(src);
  } catch (e) {
    assert.ok(e instanceof SieveError);
    return e.message;
  }
  assert.fail('expected a lexer error');
}

test('identifiers, tags, numbers with quantifiers, punctuation; comments skipped', () => {
  assert.deepEqual(kinds('if size :OVER 100K { # note\n discard; } /* x\n y */ [1M, 2g]'), [
    'identifier:if', 'identifier:size', 'tag:over', 'number:102400', 'punct:{', 'identifier:discard', 'punct:;', 'punct:}',
    'punct:[', 'number:1048576', 'punct:,', 'number:2147483648', 'punct:]', 'eof:',
  ]);
});

test('quoted strings unescape any backslashed character', () => {
  const [t] = tokenize('"a\\"b\\\\c\\d"');
  assert.equal(t.text, 'a"b\\cd');
});

test('multi-line strings: dot-stuffing removed, CRLF line ends, comment after text: allowed', () => {
  const [t] = tokenize('text: # comment\r\nline one\n..dotted\n.\n');
  assert.equal(t.type, 'string');
  assert.equal(t.multiline, true);
  assert.equal(t.text, 'line one\r\n.dotted\r\n');
});

test('tokens carry line and column', () => {
  const tokens = tokenize('keep;\n  discard;');
  assert.deepEqual(tokens.map((t) => [t.line, t.column]), [[1, 1], [1, 5], [2, 3], [2, 10], [2, 11]]);
});

test('lexical errors point at the problem', () => {
  assert.equal(lexError('keep;\n "open'), 'line 2, column 2: string is never closed with a double quote.');
  assert.equal(lexError('/* never\nclosed'), 'line 1, column 1: comment "/*" is never closed with "*/".');
  assert.equal(lexError('x 12Q'), 'line 1, column 5: a number may only be followed by K, M or G.');
  assert.equal(lexError('a\n\n   @'), 'line 3, column 4: unexpected character "@".');
  assert.equal(lexError('x text: more\n.\n'), 'line 1, column 9: "text:" must be followed by the end of the line.');
  assert.equal(lexError('x text:\nabc\n'), 'line 1, column 3: multi-line string is never ended with a line holding only ".".');
  assert.equal(lexError('x 9999999999G'), 'line 1, column 3: number too large (the largest is 9007199254740991).');
});
