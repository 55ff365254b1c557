// RFC 5232 imap4flags: the RFC examples and the flag list rules (Pigeonhole imap4flags/*.svtest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actions, errors, passes } from './helpers.js';

const big = `Subject: big\nFrom: boss@company.example.com\n\n${'x'.repeat(1100)}\n`;

test('§5 example: setflag then the implicit keep stores the internal flags', async () => {
  const script = 'require ["imap4flags"];\nif size :over 1K { setflag "\\\\Deleted"; }';
  assert.deepEqual(await actions(script, big), ['implicit keep [\\Deleted]']);
  assert.deepEqual(await actions(script), ['implicit keep']);
});

test('§5 example: flags in a variable, then fileinto :flags', async () => {
  const script = `require ["fileinto", "imap4flags", "variables"];
if size :over 1K {
    addflag "MyFlags" "Big";
    if header :is "From" "boss@company.example.com" {
        addflag "MyFlags" "\\\\Flagged";
    }
    fileinto :flags "\${MyFlags}" "Big messages";
}`;
  assert.deepEqual(await actions(script, big), ['fileinto Big messages [Big \\Flagged]']);
});

test('addflag/removeflag/setflag: space-separated, case-insensitive, no duplicates', async () => {
  const script = `require ["imap4flags"];
addflag ["\\\\seen \\\\Answered", "$Label1"];
addflag "\\\\SEEN";
removeflag "$label1";
keep;
setflag "\\\\Flagged";
keep :flags "a b a";`;
  assert.deepEqual(await actions(script), ['keep [\\seen \\Answered a b]']);
});

test('hasflag on the internal variable and on named variables, with match types', async () => {
  assert.equal(await passes('"imap4flags"', 'allof (true, true)'), true);
  const script = (t: string): string => `require ["imap4flags", "variables", "relational", "comparator-i;ascii-numeric"];
addflag ["\\\\Seen", "Junk"];
set "v" "a b c";
if ${t} { discard; }`;
  const has = async (t: string): Promise<boolean> => (await actions(script(t))).includes('discard');
  assert.equal(await has('hasflag "junk"'), true);
  assert.equal(await has('hasflag :is "\\\\seen"'), true);
  assert.equal(await has('hasflag "other"'), false);
  assert.equal(await has('hasflag :contains "Ju"'), true);
  assert.equal(await has('hasflag :count "eq" :comparator "i;ascii-numeric" "2"'), true);
  assert.equal(await has('hasflag "v" "b"'), true);
  assert.equal(await has('hasflag :count "eq" :comparator "i;ascii-numeric" "v" "3"'), true);
});

test('a variable name needs require "variables"', () => {
  assert.deepEqual(errors('require "imap4flags"; addflag "v" "x";'), ['line 1, column 23: addflag with a variable name needs require "variables".']);
  assert.deepEqual(errors('require "fileinto"; fileinto :flags "x" "y";'), ['line 1, column 30: tag ":flags" needs require "imap4flags".']);
});
