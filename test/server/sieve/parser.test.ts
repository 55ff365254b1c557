import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScript } from '../../../server/sieve/parser.js';
import { SieveError } from '../../../server/sieve/errors.js';
import { MAX_NESTING_DEPTH } from '../../../server/sieve/limits.js';

function parseError(src: string): string {
  try {
    parseScript(src);
  } catch (e) {
    assert.ok(e instanceof SieveError);
    return e.message;
  }
  assert.fail('expected a parse error');
}

test('commands with arguments, test lists and blocks become a tree with positions', () => {
  const [cmd] = parseScript('if anyof (true, header :is "a" ["b", "c"]) {\n  stop;\n}');
  assert.equal(cmd.name, 'if');
  assert.deepEqual(cmd.position, { line: 1, column: 1 });
  assert.equal(cmd.tests.length, 1);
  const anyof = cmd.tests[0];
  assert.equal(anyof.testList, true);
  assert.deepEqual(anyof.tests.map((t) => t.name), ['true', 'header']);
  const header = anyof.tests[1];
  assert.deepEqual(header.args.map((a) => a.type), ['tag', 'string', 'string-list']);
  assert.deepEqual(header.position, { line: 1, column: 17 });
  assert.deepEqual(cmd.block?.map((c) => [c.name, c.position.line, c.position.column]), [['stop', 2, 3]]);
});

test('syntax errors say what was expected, with line and column', () => {
  assert.equal(parseError('keep'), 'line 1, column 5: expected ";" or "{" after command "keep" but found the end of the script.');
  assert.equal(parseError('if true {\n keep;\n'), 'line 3, column 1: expected "}" or a command but found the end of the script (the block opened at line 1 is not closed).');
  assert.equal(parseError('x ["a" "b"];'), 'line 1, column 8: expected "," or "]" but found a string.');
  assert.equal(parseError('if anyof (true, ) {}'), 'line 1, column 17: expected a test but found ")".');
  assert.equal(parseError('if anyof (true "x" {}'), 'line 1, column 20: expected "," or ")" but found "{".');
  assert.equal(parseError('keep; }'), 'line 1, column 7: expected a command but found "}".');
  assert.equal(parseError('x [];'), 'line 1, column 4: expected a string in the list but found "]".');
});

test('nesting deeper than the limit is refused', () => {
  const deep = 'if true {'.repeat(MAX_NESTING_DEPTH + 1) + '}'.repeat(MAX_NESTING_DEPTH + 1);
  assert.match(parseError(deep), /nesting deeper than 32 levels/);
  const tests = 'if ' + 'not '.repeat(MAX_NESTING_DEPTH + 1) + 'true {}';
  assert.match(parseError(tests), /nesting deeper than 32 levels/);
});
