// RFC 5231 relational: the examples of §6 and the validation errors (Pigeonhole relational/*).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors, passes } from './helpers.js';

const RFC5231_MESSAGE = `Received: ...
Received: ...
Subject: example
To: foo@example.com, baz@example.com
CC: qux@example.com

body
`;

const REQ = '"relational", "comparator-i;ascii-numeric"';

test('§6 examples with :count', async () => {
  const check = (t: string): Promise<boolean> => passes(REQ, t, RFC5231_MESSAGE);
  assert.equal(await check('address :count "ge" :comparator "i;ascii-numeric" ["to", "cc"] ["3"]'), true);
  assert.equal(await check('anyof (address :count "ge" :comparator "i;ascii-numeric" ["to"] ["3"], address :count "ge" :comparator "i;ascii-numeric" ["cc"] ["3"])'), false);
  assert.equal(await check('header :count "ge" :comparator "i;ascii-numeric" ["received"] ["3"]'), false);
  assert.equal(await check('header :count "ge" :comparator "i;ascii-numeric" ["received", "subject"] ["3"]'), true);
  assert.equal(await check('header :count "ge" :comparator "i;ascii-numeric" ["to", "cc"] ["3"]'), false);
});

test(':value compares with the comparator order', async () => {
  const m = 'X-Spam-Score: 12\nX-Priority: 3\nFrom: neil@example.org\n\nx\n';
  assert.equal(await passes(REQ, 'header :value "gt" :comparator "i;ascii-numeric" "x-spam-score" "9"', m), true);
  assert.equal(await passes(REQ, 'header :value "gt" "x-spam-score" "9"', m), false); // "12" < "9" as text
  assert.equal(await passes(REQ, 'header :value "le" :comparator "i;ascii-numeric" "x-priority" ["1", "3"]', m), true);
  assert.equal(await passes(REQ, 'header :value "ne" :comparator "i;ascii-numeric" "x-missing" "0"', m), false);
  assert.equal(await passes(REQ, 'address :value "gt" :all :comparator "i;ascii-casemap" "from" "M"', m), true);
  assert.equal(await passes(REQ, 'header :value "eq" :comparator "i;ascii-numeric" "x-priority" "003"', m), true);
});

test('bad relational operators and misuse are refused at compile time', () => {
  assert.deepEqual(errors('require "relational";\nif header :value "gg" "a" "b" { }'), ['line 2, column 18: "gg" is not a relational operator (gt, ge, lt, le, eq, ne).']);
  assert.deepEqual(errors('require "relational";\nif header :value "gt" :count "lt" "a" "b" { }'), ['line 2, column 23: ":count" cannot be combined with ":value".']);
  assert.deepEqual(errors('if header :count "gt" "a" "b" { }'), ['line 1, column 11: tag ":count" needs require "relational".']);
});
