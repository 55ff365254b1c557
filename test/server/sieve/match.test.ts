import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wildcardMatch } from '../../../server/sieve/match.js';
import { ASCII_CASEMAP, ASCII_NUMERIC, OCTET } from '../../../server/sieve/comparators.js';

const id = (s: string): string => s;

test('wildcards capture as little as possible, left to right (RFC 5229 §3.2 example)', () => {
  assert.deepEqual(wildcardMatch('[acme-users] [fwd] version 1.0 is out', '[*] *', id), ['acme-users', '[fwd] version 1.0 is out']);
  assert.deepEqual(wildcardMatch('coyote@desert.example.org', '*@*.*', id), ['coyote', 'desert', 'example.org']);
  assert.deepEqual(wildcardMatch('abc', '?*?', id), ['a', 'b', 'c']);
  assert.deepEqual(wildcardMatch('', '*', id), ['']);
  assert.equal(wildcardMatch('abc', 'ab', id), null);
  assert.equal(wildcardMatch('ab', '*a', id), null);
});

test('wildcard matching stays linear-ish on hostile patterns', () => {
  const value = 'a'.repeat(20_000);
  assert.equal(wildcardMatch(value, '*a*a*a*a*a*a*a*a*b', id), null);
});

test('comparators: octet, ascii-casemap, ascii-numeric (RFC 4790)', () => {
  assert.notEqual(OCTET.order('A', 'a'), 0);
  assert.equal(ASCII_CASEMAP.order('HeLLo', 'hello'), 0);
  assert.notEqual(ASCII_CASEMAP.order('É', 'é'), 0);
  assert.equal(ASCII_NUMERIC.order('0042', '42abc'), 0);
  assert.ok(ASCII_NUMERIC.order('9', '10') < 0);
  assert.ok(ASCII_NUMERIC.order('123456789012345678901234567890', '99') > 0);
  assert.ok(ASCII_NUMERIC.order('x', '99999') > 0);
  assert.equal(ASCII_NUMERIC.order('x', 'y'), 0);
});
