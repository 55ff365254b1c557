// Hostile and random input: compiling never throws anything but SieveCompileError, and running a
// script that compiled never throws at all (errors come back in the result), for scripts built from
// random pieces of Sieve syntax with a fixed seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileScript, runProgram, SieveCompileError } from '../../../server/sieve/index.js';
import { environment, MESSAGE, message } from './helpers.js';

const SEEDS = [
  'require ["fileinto", "variables"]; if header :matches "subject" "*" { set "s" "${1}"; fileinto "x-${s}"; } else { keep; }',
  'require ["imap4flags", "relational", "comparator-i;ascii-numeric"]; if size :over 1K { addflag "\\\\Seen"; } if header :count "gt" :comparator "i;ascii-numeric" "to" "1" { discard; }',
  'require ["vacation", "envelope", "subaddress"]; if envelope :detail "to" "x" { vacation :days 3 "away"; } redirect :copy "a@b.example";',
  'require ["body", "date", "index", "relational"]; if anyof (body :contains "hi", date :value "ge" "date" "year" "2000") { stop; } discard;',
  'require ["reject", "encoded-character"]; if not exists "x" { reject "${hex:41} no"; }',
];
const PIECES = ['if', 'true', 'false', 'keep', ';', '{', '}', '(', ')', ',', '"x"', ':is', ':count', 'not', 'stop', 'discard', '[', ']', '1', 'fileinto', 'redirect'];

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** Deletes, duplicates or replaces a few whitespace-separated pieces of a valid script. */
function mutate(script: string, next: () => number): string {
  const words = script.split(' ');
  for (let n = Math.floor(next() * 3); n >= 0; n--) {
    const i = Math.floor(next() * words.length);
    const r = next();
    if (r < 0.3) words.splice(i, 1);
    else if (r < 0.6) words.splice(i, 0, words[Math.floor(next() * words.length)]);
    else words[i] = PIECES[Math.floor(next() * PIECES.length)];
  }
  return words.join(' ');
}

test('mutated scripts: compile errors are positioned SieveCompileErrors; runs never throw and never lose mail', () => {
  const next = random(42);
  let compiled = 0;
  for (let i = 0; i < 2000; i++) {
    const source = mutate(SEEDS[i % SEEDS.length], next);
    let script;
    try {
      script = compileScript(source);
    } catch (e) {
      assert.ok(e instanceof SieveCompileError, `${source}\n${String(e)}`);
      for (const error of e.errors) assert.ok(error.position.line >= 1 && error.position.column >= 1, source);
      continue;
    }
    compiled++;
    const result = runProgram({ main: script, scripts: new Map() }, message(MESSAGE), environment());
    const delivered = result.actions.some((a) => ['keep', 'fileinto', 'redirect', 'discard', 'reject'].includes(a.type));
    assert.ok(delivered, `${source}: ${JSON.stringify(result.actions)}`);
  }
  assert.ok(compiled > 20, `only ${compiled} mutated scripts compiled`);
});
