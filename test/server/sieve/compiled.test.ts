// The work done once per compiled script (tests compiled into closures, keys folded, header slots)
// and once per run (each header decoded, parsed and folded once): none of it may carry values from
// one message, run, script or environment to another, and the compiled paths must agree with the
// general ones (variables in names or keys, :index, several names, any case).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProgram, runProgram, type SieveMessage } from '../../../server/sieve/index.js';
import { brief, environment, message } from './helpers.js';

const text = (subject: string, from: string, extra = ''): string => `From: ${from}\nTo: Bob <bob+lists@example.com>\nSubject: ${subject}\n${extra}\nbody\n`;

async function program(script: string, scripts: Record<string, string> = {}) {
  return loadProgram(script, { loader: async (_location, name) => scripts[name] ?? null });
}

const outcome = (p: Awaited<ReturnType<typeof program>>, m: SieveMessage, env = {}) => {
  const result = runProgram(p, m, environment(env));
  if (result.error !== null) throw result.error;
  return result.actions.map(brief);
};

test('one compiled program run on different messages sees each message only', async () => {
  const p = await program(`require "fileinto";
if header :contains "subject" "invoice" { fileinto "Invoices"; }
elsif address :domain :is "from" "vendor.example" { fileinto "Vendor"; }
elsif exists "x-tag" { fileinto "Tagged"; }`);
  const invoice = message(text('Your INVOICE 42', 'a@other.example'));
  const vendor = message(text('hello', 'Sales <sales@VENDOR.example>'));
  const tagged = message(text('hello', 'a@other.example', 'X-Tag: t1'));
  const plain = message(text('hello', 'a@other.example'));
  for (let round = 0; round < 2; round++) {
    assert.deepEqual(outcome(p, invoice), ['fileinto Invoices']);
    assert.deepEqual(outcome(p, plain), ['implicit keep']);
    assert.deepEqual(outcome(p, vendor), ['fileinto Vendor']);
    assert.deepEqual(outcome(p, tagged), ['fileinto Tagged']);
    assert.deepEqual(outcome(p, plain), ['implicit keep']);
  }
});

test('runs sharing one message view (several recipients) each start afresh: match variables, environment', async () => {
  const p = await program(`require ["fileinto", "variables", "subaddress"];
if address :detail :is "to" "lists" { fileinto "plus"; }
if header :matches "subject" "[*] *" { fileinto "\${1}"; }`);
  const shared = message(text('[acme] news', 'a@other.example'));
  assert.deepEqual(outcome(p, shared), ['fileinto plus', 'fileinto acme']);
  // another separator on the same view: bob+lists has no "-" detail
  assert.deepEqual(outcome(p, shared, { subaddressSeparator: '-' }), ['fileinto acme']);
  assert.deepEqual(outcome(p, shared), ['fileinto plus', 'fileinto acme']);
  const other = message(text('[beta] news', 'a@other.example'));
  assert.deepEqual(outcome(p, other), ['fileinto plus', 'fileinto beta']);
});

test('header slots belong to their script: an included script reading other headers sees its own', async () => {
  // main's slot 0 is x-a, the included script's slot 0 is x-b; each must read its own header
  const p = await program(
    `require ["include", "fileinto"];
if header :is "x-a" "1" { fileinto "A"; }
include :personal "second";
if header :is "X-B" "2" { fileinto "B-main"; }`,
    { second: `require "fileinto";\nif header :is "x-b" "2" { fileinto "B"; }\nif header :is "x-a" "2" { fileinto "wrong"; }\nif header :is "x-a" "1" { fileinto "A-second"; }` },
  );
  const m = message(text('s', 'a@other.example', 'X-A: 1\nX-B: 2'));
  assert.deepEqual(outcome(p, m), ['fileinto A', 'fileinto B', 'fileinto A-second', 'fileinto B-main']);
  const swapped = message(text('s', 'a@other.example', 'X-A: 2\nX-B: 1'));
  assert.deepEqual(outcome(p, swapped), ['fileinto wrong']);
});

test('compiled and general paths agree: variables in names and keys, :index, several names, case, i;octet', async () => {
  const m = message(text('Report for March', 'Ann <ann@example.org>', 'Received: from a\nReceived: from b\nX-Tag: Blue'));
  const check = async (test: string, expected: boolean, requires = '"variables", "index"') => {
    const p = await program(`require [${requires}];\nset "h" "SUBJECT"; set "k" "march";\nif ${test} { discard; }`);
    assert.equal(outcome(p, m).includes('discard'), expected, test);
  };
  await check('header :contains "subject" "march"', true);
  await check('header :contains "${h}" "${k}"', true);
  await check('header :contains "Subject" "${k}"', true);
  await check('header :comparator "i;octet" :contains "subject" "march"', false);
  await check('header :comparator "i;octet" :contains "subject" "March"', true);
  await check('header :is ["x-none", "X-TAG"] "blue"', true);
  await check('header :is ["x-none", "x-other"] "blue"', false);
  await check('header :index 2 :is "received" "from b"', true);
  await check('header :index 1 :last :is "received" "from b"', true);
  await check('header :index 2 :is "received" "from a"', false);
  await check('address :localpart :is ["to", "from"] "ann"', true);
  await check('address :user :is "to" "bob"', true, '"variables", "index", "subaddress"');
  await check('address :index 1 :domain :is "from" "example.org"', true);
  await check('exists ["subject", "x-tag"]', true);
  await check('exists ["subject", "x-none"]', false);
  await check('exists "${h}"', true);
  await check('not exists "x-none"', true);
  await check('allof (size :over 10, header :matches "subject" "*march")', true);
  await check('anyof (size :under 10, header :matches "subject" "*april")', false);
  await check('header :count "ge" :comparator "i;ascii-numeric" "received" "2"', true, '"variables", "index", "relational", "comparator-i;ascii-numeric"');
});
