import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileScript, SieveCompileError, SIEVE_EXTENSIONS, MAX_SCRIPT_SIZE } from '../../../server/sieve/index.js';
import { errors } from './helpers.js';

test('a valid script compiles with no errors', () => {
  assert.deepEqual(errors('require ["fileinto", "copy"];\nif header :contains "subject" "x" { fileinto :copy "A"; } else { keep; }'), []);
});

test('unknown commands and tests, and commands used as tests', () => {
  assert.deepEqual(errors('keep;\nfrobnicate "x";'), ['line 2, column 1: unknown command "frobnicate".']);
  assert.deepEqual(errors('header "a" "b";'), ['line 1, column 1: unknown command "header" ("header" is a test; use it inside if).']);
  assert.deepEqual(errors('if frob { keep; }'), ['line 1, column 4: unknown test "frob".']);
  assert.deepEqual(errors('if keep { }'), ['line 1, column 4: unknown test "keep" ("keep" is a command, not a test).']);
});

test('extensions must be required, known, and required first', () => {
  assert.deepEqual(errors('fileinto "x";'), ['line 1, column 1: command "fileinto" needs require "fileinto".']);
  assert.deepEqual(errors('require "fileinto";\nredirect :copy "a@b.example";'), ['line 2, column 10: tag ":copy" needs require "copy".']);
  assert.deepEqual(errors('require ["fileinto", "frop"];'), ['line 1, column 22: unknown extension "frop".']);
  assert.deepEqual(errors('keep;\nrequire "fileinto";'), ['line 2, column 1: require must come before every other command, at the top of the script.']);
  assert.deepEqual(errors('if true { require "fileinto"; }'), ['line 1, column 11: require must come before every other command, at the top of the script.']);
});

test('argument checks: counts, types, tags, groups', () => {
  assert.deepEqual(errors('redirect;'), ['line 1, column 1: redirect takes 1 positional argument <address: string>, not 0.']);
  assert.deepEqual(errors('redirect 5;'), ["line 1, column 10: redirect's address must be a string."]);
  assert.deepEqual(errors('if header :frop "a" "b" {}'), ['line 1, column 11: unknown tag ":frop" for header.']);
  assert.deepEqual(errors('if header :is :contains "a" "b" {}'), ['line 1, column 15: ":contains" cannot be combined with ":is".']);
  assert.deepEqual(errors('if header "a" :is "b" {}'), ['line 1, column 15: tag ":is" must come before the other arguments of header.']);
  assert.deepEqual(errors('if header :comparator {}'), ['line 1, column 11: tag ":comparator" of header needs a string after it.', 'line 1, column 4: header takes 2 positional arguments <names: string-list> <keys: string-list>, not 0.']);
  assert.deepEqual(errors('if size 100 {}'), ['line 1, column 4: size needs exactly one of :over or :under.']);
  assert.deepEqual(errors('if header :comparator "i;frop" "a" "b" {}'), ['line 1, column 23: unknown comparator "i;frop".']);
  assert.deepEqual(errors('if header :comparator "i;ascii-numeric" "a" "b" {}'), ['line 1, column 23: comparator "i;ascii-numeric" needs require "comparator-i;ascii-numeric".']);
  assert.deepEqual(errors('require "comparator-i;ascii-numeric";\nif header :contains :comparator "i;ascii-numeric" "a" "1" {}'), ['line 2, column 4: comparator "i;ascii-numeric" cannot be used with :contains.']);
  assert.deepEqual(errors('redirect "not an address";'), ['line 1, column 10: redirect needs a valid address: "not an address" is not an email address: it has no @.']);
});

test('control structure and blocks', () => {
  assert.deepEqual(errors('elsif true { }'), ['line 1, column 1: elsif must follow if or elsif.']);
  assert.deepEqual(errors('if true { } keep; else { }'), ['line 1, column 19: else must follow if or elsif.']);
  assert.deepEqual(errors('if true;'), ['line 1, column 1: if needs a block in "{ }".']);
  assert.deepEqual(errors('keep { }'), ['line 1, column 1: keep takes no block; end it with ";".']);
  assert.deepEqual(errors('if (true) { }'), ['line 1, column 1: if needs exactly one test.']);
  assert.deepEqual(errors('if not (true, false) { }'), ['line 1, column 4: not needs exactly one test.']);
  assert.deepEqual(errors('if allof true { }'), ['line 1, column 4: allof needs a test list in "( )".']);
  assert.deepEqual(errors('if true false { }'), ['line 1, column 9: true takes no nested test.']);
});

test('several problems are reported together, in order', () => {
  const e = errors('frop;\nkeep;\nfileinto "x";\nif header :is "a" {}');
  assert.deepEqual(e, [
    'line 1, column 1: unknown command "frop".',
    'line 3, column 1: command "fileinto" needs require "fileinto".',
    'line 4, column 4: header takes 2 positional arguments <names: string-list> <keys: string-list>, not 1.',
  ]);
});

test('compileScript throws SieveCompileError; oversized scripts are refused', () => {
  assert.throws(() => compileScript('frop;'), (e: unknown) => e instanceof SieveCompileError && e.errors[0].position.line === 1);
  assert.throws(() => compileScript('#'.repeat(MAX_SCRIPT_SIZE + 1)), /the limit is 1048576/);
});

test('the capability list names every extension', () => {
  for (const name of ['fileinto', 'reject', 'ereject', 'envelope', 'encoded-character', 'imap4flags', 'copy', 'body', 'variables', 'vacation', 'vacation-seconds', 'relational', 'subaddress', 'date', 'index', 'include', 'mailbox', 'comparator-i;ascii-numeric']) {
    assert.ok(SIEVE_EXTENSIONS.includes(name), name);
  }
});
