// RFC 5228: the example script of §9 and the examples of the base tests and actions, plus the
// run-time rules (implicit keep, duplicates, conflicts, limits) as Pigeonhole's tests/execute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ACTIONS, MAX_REDIRECTS, MAX_STEPS } from '../../../server/sieve/index.js';
import { actions, brief, MESSAGE, passes, run } from './helpers.js';

const RFC5228_EXAMPLE = `#
# Example Sieve Filter
# Declare any optional features or extension used by the script
#
require ["fileinto"];

#
# Handle messages from known mailing lists
# Move messages from IETF filter discussion list to filter mailbox
#
if header :is "Sender" "owner-ietf-mta-filters@imc.org"
        {
        fileinto "filter";  # move to "filter" mailbox
        }
#
# Keep all messages to or from people in my company
#
elsif address :DOMAIN :is ["From", "To"] "example.com"
        {
        keep;               # keep in "In" mailbox
        }

#
# Try and catch unsolicited email.  If a message is not to me,
# or it contains a subject known to be spam, file it away.
#
elsif anyof (NOT address :all :contains
               ["To", "Cc", "Bcc"] "me@example.com",
             header :matches "subject"
               ["*make*money*fast*", "*university*dipl*mas*"])
        {
        fileinto "spam";   # move to "spam" mailbox
        }
else
        {
        # Move all other (non-company) mail to "personal"
        # mailbox.
        fileinto "personal";
        }
`;

const msg = (headers: string): string => `${headers}\n\nbody\n`;

test('RFC 5228 §9 example: each branch', async () => {
  assert.deepEqual(await actions(RFC5228_EXAMPLE, msg('Sender: owner-ietf-mta-filters@imc.org\nFrom: x@y.org\nTo: me@example.com')), ['fileinto filter']);
  assert.deepEqual(await actions(RFC5228_EXAMPLE, msg('From: boss@example.com\nTo: me@example.com')), ['keep']);
  assert.deepEqual(await actions(RFC5228_EXAMPLE, msg('From: a@spam.test\nTo: other@else.test\nSubject: hi')), ['fileinto spam']);
  assert.deepEqual(await actions(RFC5228_EXAMPLE, msg('From: a@spam.test\nTo: list@lists.test\nCc: me@example.com\nSubject: Make lots of MONEY really fast')), ['fileinto spam']);
  assert.deepEqual(await actions(RFC5228_EXAMPLE, msg('From: friend@home.test\nTo: team@home.test\nBcc: me@example.com\nSubject: dinner')), ['fileinto personal']);
});

test('no actions means implicit keep; an empty script keeps', async () => {
  assert.deepEqual(await actions(''), ['implicit keep']);
  assert.deepEqual(await actions('if false { discard; }'), ['implicit keep']);
});

test('discard cancels the implicit keep; keep after discard keeps (RFC 5228 §4.4)', async () => {
  assert.deepEqual(await actions('discard;'), ['discard']);
  assert.deepEqual(await actions('discard; keep;'), ['discard', 'keep']);
});

test('stop ends the script, actions so far stand', async () => {
  assert.deepEqual(await actions('require "fileinto"; fileinto "a"; stop; fileinto "b";'), ['fileinto a']);
  assert.deepEqual(await actions('stop; discard;'), ['implicit keep']);
});

test('duplicate fileinto and redirect are performed once (RFC 5228 §2.10.3)', async () => {
  assert.deepEqual(await actions('require "fileinto"; fileinto "a"; fileinto "a"; redirect "x@y.example"; redirect "X@y.example"; keep; keep;'), [
    'fileinto a',
    'redirect x@y.example',
    'keep',
  ]);
});

test('header: encoded words decoded, case-insensitive by default, i;octet exact (§2.7.2, §2.7.3)', async () => {
  const m = msg('Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= MAKE MONEY FAST');
  assert.equal(await passes('', 'header :contains "Subject" "Grüße"', m), true);
  assert.equal(await passes('', 'header :contains "Subject" "make money fast"', m), true);
  assert.equal(await passes('', 'header :contains :comparator "i;octet" "Subject" "make money fast"', m), false);
  assert.equal(await passes('', 'header :is "subject" ""', m), false);
  assert.equal(await passes('', 'header :is "x-missing" ""'), false);
});

test(':matches wildcards: "*" any run, "?" one character, backslash escapes', async () => {
  const m = msg('Subject: a*b? c');
  assert.equal(await passes('', 'header :matches "Subject" "a\\\\*b\\\\? *"', m), true);
  assert.equal(await passes('', 'header :matches "Subject" "a?b??c"', m), true);
  assert.equal(await passes('', 'header :matches "Subject" "a?b?c"', m), false);
  assert.equal(await passes('', 'header :matches "Subject" "*"', m), true);
});

test('address: parts of each address, groups and display names ignored (§5.1, §2.7.4)', async () => {
  const m = msg('From: "Tim, the Enchanter" <Tim@Example.COM>\nTo: group: a@one.test, b@two.test;, c@three.test');
  assert.equal(await passes('', 'address :is :all "from" "tim@example.com"', m), true);
  assert.equal(await passes('', 'address :is :localpart "from" "tim"', m), true);
  assert.equal(await passes('', 'address :is :domain "from" "example.com"', m), true);
  assert.equal(await passes('', 'address :contains "from" "Enchanter"', m), false);
  assert.equal(await passes('', 'address :is :domain "to" "two.test"', m), true);
  assert.equal(await passes('', 'address :is :localpart "to" "group"', m), false);
});

test('exists needs every named header; size :over/:under (§5.5, §5.9)', async () => {
  assert.equal(await passes('', 'exists ["From", "Date"]'), true);
  assert.equal(await passes('', 'exists ["From", "X-Frop"]'), false);
  const size = Buffer.byteLength(MESSAGE.replace(/\n/g, '\r\n'));
  assert.equal(await passes('', `size :over ${size - 1}`), true);
  assert.equal(await passes('', `size :over ${size}`), false);
  assert.equal(await passes('', `size :under ${size}`), false);
  assert.equal(await passes('', `size :under ${size + 1}`), true);
  assert.equal(await passes('', 'size :under 1K'), true);
});

test('allof, anyof, not', async () => {
  assert.equal(await passes('', 'allof (true, not false)'), true);
  assert.equal(await passes('', 'allof (true, false)'), false);
  assert.equal(await passes('', 'anyof (false, false)'), false);
  assert.equal(await passes('', 'anyof (false, true)'), true);
});

test('elsif chains run only the first matching branch', async () => {
  const script = 'require "fileinto"; if false { fileinto "1"; } elsif true { fileinto "2"; } elsif true { fileinto "3"; } else { fileinto "4"; }';
  assert.deepEqual(await actions(script), ['fileinto 2']);
});

test('redirect with an address that is invalid at run time fails the run and keeps', async () => {
  const result = await run('require "variables"; set "a" "nobody"; redirect "${a}";');
  assert.match(result.error?.message ?? '', /^line 1, column 40: redirect needs a valid address/);
  assert.deepEqual(result.actions.map(brief), ['implicit keep']);
});

test('too many redirects or actions fail the run with an implicit keep (Pigeonhole errors/*-limit)', async () => {
  const redirects = Array.from({ length: MAX_REDIRECTS + 1 }, (_, i) => `redirect "r${i}@example.org";`).join('\n');
  const r = await run(redirects);
  assert.equal(r.error?.message, `line ${MAX_REDIRECTS + 1}, column 1: more than ${MAX_REDIRECTS} redirects.`);
  assert.deepEqual(r.actions.map(brief), ['implicit keep']);
  const files = Array.from({ length: MAX_ACTIONS + 1 }, (_, i) => `fileinto "f${i}";`).join('\n');
  const f = await run(`require "fileinto";\n${files}`);
  assert.equal(f.error?.message, `line ${MAX_ACTIONS + 2}, column 1: more than ${MAX_ACTIONS} actions.`);
});

test('a script running more than MAX_STEPS steps fails', async () => {
  const r = await run('if true { }\n'.repeat(MAX_STEPS / 2 + 1));
  assert.match(r.error?.message ?? '', /the script ran more than 100000 steps/);
  assert.deepEqual(r.actions.map(brief), ['implicit keep']);
});
