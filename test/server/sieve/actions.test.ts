// fileinto (RFC 5228 §4.1), mailbox (RFC 5490), copy (RFC 3894), reject/ereject (RFC 5429): the
// RFC examples and the conflicts of Pigeonhole's execute/errors/conflict-*.sieve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actions, brief, errors, run } from './helpers.js';

test('RFC 3894: fileinto :copy and redirect :copy keep the implicit keep', async () => {
  assert.deepEqual(await actions('require ["copy", "fileinto"]; fileinto :copy "incoming";'), ['fileinto incoming :copy', 'implicit keep']);
  assert.deepEqual(await actions('require ["copy"]; redirect :copy "sent@example.com";'), ['redirect sent@example.com :copy', 'implicit keep']);
  assert.deepEqual(await actions('redirect "sent@example.com";'), ['redirect sent@example.com']);
});

test('RFC 5490: mailboxexists asks the environment; fileinto :create', async () => {
  const script = `require ["fileinto", "reject", "mailbox"];
if mailboxexists "Partners" {
   fileinto "Partners";
} else {
   reject "This message was not accepted by the Mailstore";
}`;
  const exists = (names: string[]) => ({ mailboxExists: (n: string) => names.includes(n) });
  assert.deepEqual(await actions(script, undefined, exists(['INBOX', 'Partners'])), ['fileinto Partners']);
  assert.deepEqual(await actions(script, undefined, exists(['INBOX'])), ['reject This message was not accepted by the Mailstore']);
  assert.deepEqual(await actions('require ["fileinto", "mailbox"]; fileinto :create "INBOX.folder";'), ['fileinto INBOX.folder :create']);
  assert.deepEqual(errors('require "fileinto"; fileinto :create "x";'), ['line 1, column 30: tag ":create" needs require "mailbox".']);
});

test('RFC 5429: reject with a multi-line reason; ereject', async () => {
  const script = `require ["reject"];
if header :contains "from" "coyote@desert.example.org" {
   reject text:
I am not taking mail from you, and I don't
want your birdseed, either.
.
   ;
}`;
  assert.deepEqual(await actions(script, 'From: coyote@desert.example.org\n\nhi\n'), [
    "reject I am not taking mail from you, and I don't\r\nwant your birdseed, either.\r\n",
  ]);
  assert.deepEqual(await actions('require "ereject"; ereject "No thanks.";'), ['ereject No thanks.']);
});

test('reject conflicts with keep, fileinto, redirect, vacation and another reject', async () => {
  const cases = [
    'require "reject";\nreject "x";\nkeep;',
    'require ["reject", "fileinto"];\nreject "x";\nfileinto "a";',
    'require "reject";\nreject "x";\nredirect "a@b.example";',
    'require ["reject", "vacation"];\nvacation "away";\nreject "x";',
    'require "reject";\nreject "x";\nreject "y";',
  ];
  for (const script of cases) {
    const result = await run(script);
    assert.equal(result.error?.position.line, 3, script);
    assert.match(result.error?.message ?? '', /conflicts/);
    assert.deepEqual(result.actions.map(brief), ['implicit keep']);
  }
});

test('fileinto with an empty name fails at run time', async () => {
  const result = await run('require ["fileinto", "variables"];\nfileinto "${nothing}";');
  assert.equal(result.error?.message, 'line 2, column 1: fileinto needs a mailbox name, not an empty string.');
});
