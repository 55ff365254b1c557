// Cases modelled on Pigeonhole's test suite (tests/extensions/subaddress/basic.svtest and
// tests/match-types/matches.svtest): the same messages and envelopes, each test expression paired
// with the answer Pigeonhole's suite expects. They also cover the per-run caches of address parts
// and folded values (match-test.ts): several tests read one field with different parts and cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from './helpers.js';

async function holds(requires: string[], expression: string, text: string, envelope: { from: string; to: string }): Promise<boolean> {
  const script = `require ${JSON.stringify(['fileinto', ...requires])};\nif ${expression} { fileinto "yes"; }\n`;
  const result = await run(script, text, { envelope });
  assert.equal(result.error, null, `${expression}: ${result.error?.message}`);
  return result.actions.some((a) => a.type === 'fileinto');
}

const SUBADDRESS_MESSAGE = 'From: stephan+sieve@example.org\nTo: test+failed@example.com\nSubject: subaddress test\n\nTest!\n';
const SUBADDRESS_ENVELOPE = { to: 'friep+frop@dovecot.example.net', from: 'list+request@lists.dovecot.example.net' };

test('subaddress :user and :detail of header addresses and the envelope (Pigeonhole subaddress/basic)', async () => {
  const cases: Array<[string, boolean]> = [
    ['address :is :user "from" "stephan"', true],
    ['address :is :user "from" "nonsence"', false],
    ['address :is :detail "from" "sieve"', true],
    ['address :is :detail "from" "nonsence"', false],
    ['address :contains :user "to" "est"', true],
    ['address :contains :user "to" "ail"', false],
    ['address :contains :detail "to" "fai"', true],
    ['address :contains :detail "to" "sen"', false],
    ['envelope :is :user "to" "friep"', true],
    ['envelope :comparator "i;ascii-casemap" :is :user "to" "FRIEP"', true],
    ['envelope :comparator "i;ascii-casemap" :is :user "to" "FROP"', false],
    ['envelope :comparator "i;ascii-casemap" :contains :detail "from" "QUES"', true],
    ['envelope :comparator "i;ascii-casemap" :contains :detail "from" "LIS"', false],
  ];
  for (const [expression, expected] of cases) assert.equal(await holds(['envelope', 'subaddress'], expression, SUBADDRESS_MESSAGE, SUBADDRESS_ENVELOPE), expected, expression);
});

const MATCHES_MESSAGE = `From: stephan+sieve@friep.example.com
To: sirius@example.org
To: nico@frop.example.org
Cc: me@example.com
Cc: timo@dovecot.example.com
X-Hufter: TRUE
Subject: make your money very fast!!!
X-Spam-Score: **********
X-Bullshit: 33333???a
Comment:
X-Slash: Slashy slash\\
X-a: a

Het werkt!
`;

test(':matches wildcards: empty values, several "*", "?" and escapes (Pigeonhole match-types/matches)', async () => {
  const cases: Array<[string, boolean]> = [
    ['header :matches "comment" ""', true],
    ['header :matches "comment" "*"', true],
    ['header :matches "comment" "?"', false],
    ['address :matches "from" "*@fri*p*examp*.com"', true],
    ['address :matches "from" "*@f*pex*mple.com"', false],
    ['address :matches "from" "stephan+sieve@friep.*"', true],
    ['address :matches "from" "stepan+sieve@friep.*"', false],
    ['address :matches "from" "*+sieve@friep.example.com"', true],
    ['address :matches "from" "*+sieve@friep.example.om"', false],
    ['address :matches "from" "stephan+sieve?friep.example.com"', true],
    ['address :matches "from" "stephan+sieve?fiep.example.com"', false],
    ['header :matches "x-spam-score" "\\\\*\\\\*\\\\*\\\\*\\\\*\\\\*\\\\*\\\\*\\\\*\\\\*"', true],
    ['header :matches "x-bullshit" "33333\\\\?\\\\?\\\\??"', true],
    ['header :matches "x-bullshit" "33333\\\\?\\\\?\\\\?"', false],
    ['header :matches "x-slash" "Slashy slash\\\\\\\\"', true],
    ['header :matches "x-a" "?*"', true],
    ['header :matches "x-a" "?*?"', false],
    ['header :matches :comparator "i;octet" "x-hufter" "true"', false],
    ['header :matches "x-hufter" "true"', true],
    ['address :matches :domain "to" "*.org"', true],
    ['address :matches :all "cc" "*@dovecot.*"', true],
  ];
  for (const [expression, expected] of cases) assert.equal(await holds([], expression, MATCHES_MESSAGE, { from: 'a@b.example', to: 'c@d.example' }), expected, expression);
});
