// RFC 5228 §2.4.2.4 encoded-character: the RFC's examples (Pigeonhole encoded-character.svtest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actions, errors } from './helpers.js';

const decode = async (text: string): Promise<string> => {
  const [a] = await actions(`require ["encoded-character", "fileinto"]; fileinto "${text}";`);
  return a.replace(/^fileinto /, '');
};

test('hex and unicode encodings decode; malformed ones stay literal', async () => {
  assert.equal(await decode('$${hex:24 24}'), '$$$');
  assert.equal(await decode('${hex: 40}'), '@');
  assert.equal(await decode('${HeX:40}'), '@');
  assert.equal(await decode('${hex:40'), '${hex:40');
  assert.equal(await decode('${hex:400}'), '${hex:400}');
  assert.equal(await decode('${hex:4${hex:30}}'), '${hex:40}');
  assert.equal(await decode('${unicode:40}'), '@');
  assert.equal(await decode('${ unicode:40}'), '${ unicode:40}');
  assert.equal(await decode('${UNICODE:40}'), '@');
  assert.equal(await decode('${UnICoDE:0000040}'), '@');
  assert.equal(await decode('${Unicode:40}'), '@');
  assert.equal(await decode('${Unicode:Cool}'), '${Unicode:Cool}');
  assert.equal(await decode('${unicode:1F600 20 e9}'), '\u{1F600} é');
  assert.equal(await decode('a${hex:}b'), 'ab');
});

test('an invalid code point is an error at the string', () => {
  assert.deepEqual(errors('require ["encoded-character", "fileinto"];\nkeep;\nfileinto "${unicode:200000}";'), [
    'line 3, column 10: ${unicode:200000} is not a valid Unicode character.',
  ]);
  assert.deepEqual(errors('require "encoded-character"; if header :is "a" "${Unicode:DF01}" { }'), [
    'line 1, column 48: ${unicode:DF01} is not a valid Unicode character.',
  ]);
});

test('without the require, encodings are plain text', async () => {
  assert.deepEqual(await actions('require "fileinto"; fileinto "${hex:40}";'), ['fileinto ${hex:40}']);
});

test('a decoded "$" never starts a variable reference', async () => {
  const [a] = await actions('require ["encoded-character", "variables", "fileinto"]; set "a" "x"; fileinto "${hex:24}{a}";');
  assert.equal(a, 'fileinto ${a}');
});
