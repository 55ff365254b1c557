// RFC 5229 variables: the examples of §3, §4 and §5, and the limits (Pigeonhole variables/*.svtest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_VARIABLE_SIZE } from '../../../server/sieve/index.js';
import { actions, errors, run } from './helpers.js';

const msg = (headers: string): string => `${headers}\n\nbody\n`;

test('§3: names are case-insensitive; multi-line values expand references', async () => {
  const script = `require ["variables", "fileinto"];
set "honorific"  "Mr";
set "first_name" "Wile";
set "last_name"  "Coyote";
set "vacation" text:
Dear \${HONORIFIC} \${last_name},
I'm out, please leave a message after the meep.
.
;
fileinto "\${vacation}";`;
  assert.deepEqual(await actions(script), ["fileinto Dear Mr Coyote,\r\nI'm out, please leave a message after the meep.\r\n"]);
});

test('§3: unknown variables are empty; malformed references stay literal', async () => {
  const script = 'require ["variables", "fileinto"]; set "a" "x"; fileinto "[${a}] [${b}] [${} ${a] $${a}} ${1a}]";';
  assert.deepEqual(await actions(script), ['fileinto [x] [] [${} ${a] $x} ${1a}]']);
});

test('§4.1: set modifiers, applied by precedence', async () => {
  const cases: [string, string][] = [
    [':length', '15'],
    [':lower', 'jumbled letters'],
    [':upper', 'JUMBLED LETTERS'],
    [':lowerfirst', 'juMBlEd lETteRS'],
    [':upperfirst', 'JuMBlEd lETteRS'],
    [':upperfirst :lower', 'Jumbled letters'],
    [':quotewildcard', 'juMBlEd lETteRS'],
  ];
  for (const [mods, expected] of cases) {
    const script = `require ["variables", "fileinto"]; set "a" "juMBlEd lETteRS"; set ${mods} "b" "\${a}"; fileinto "\${b}";`;
    assert.deepEqual(await actions(script), [`fileinto ${expected}`], mods);
  }
  assert.deepEqual(await actions('require ["variables", "fileinto"]; set :quotewildcard "b" "Rock*?\\\\"; fileinto "${b}";'), ['fileinto Rock\\*\\?\\\\']);
  assert.deepEqual(errors('require "variables"; set :lower :upper "b" "x";'), ['line 1, column 33: ":upper" cannot be combined with ":lower".']);
});

test('§3.2: match variables from :matches, as in the RFC examples', async () => {
  const script = `require ["fileinto", "variables"];
if header :matches "List-ID" "*<*@*" {
    fileinto "INBOX.lists.\${2}"; stop;
}
if header :matches "Subject" "[*] *" {
    fileinto "INBOX.lists.\${1}"; stop;
}
if address :matches ["To", "Cc"] ["coyote@**.com", "wile@**.com"] {
    fileinto "INBOX.business.\${2}-[\${1}]-\${0}"; stop;
}`;
  assert.deepEqual(await actions(script, msg('List-ID: Sieve discussion <sieve@ietf.org>')), ['fileinto INBOX.lists.sieve']);
  assert.deepEqual(await actions(script, msg('Subject: [acme-users] [fwd] version 1.0 is out')), ['fileinto INBOX.lists.acme-users']);
  assert.deepEqual(await actions(script, msg('To: coyote@ACME.Example.COM')), ['fileinto INBOX.business.ACME.Example-[]-coyote@ACME.Example.COM']);
});

test('§3.2: match variables stay unchanged when a test fails or is not evaluated', async () => {
  const script = `require ["fileinto", "variables"];
if header :matches "Subject" "*" { set "s" "\${1}"; }
if header :matches "Subject" "nomatch*" { }
if anyof (true, header :matches "From" "*") { }
fileinto "\${1}|\${s}";`;
  assert.deepEqual(await actions(script, msg('Subject: hello\nFrom: x@y.test')), ['fileinto hello|hello']);
});

test('§5: string test, with :count counting non-empty strings', async () => {
  const script = `require ["variables", "relational", "fileinto"];
set "state" "pending approved";
if string :matches " \${state} " "* pending *" { fileinto "pending"; }
if string :count "eq" ["\${state}", "", "x"] "2" { fileinto "two"; }
if string :is "\${nothing}" "" { fileinto "empty"; }`;
  assert.deepEqual(await actions(script), ['fileinto pending', 'fileinto two', 'fileinto empty']);
});

test('set checks its variable name at compile time', () => {
  assert.deepEqual(errors('require "variables";\nset "1abc" "x";'), ['line 2, column 5: "1abc" is not a valid variable name (letters, digits and "_", not starting with a digit).']);
  assert.deepEqual(errors('require "variables";\nset "${a}" "x";'), ['line 2, column 5: the variable name must be a constant string, without variables.']);
  assert.deepEqual(errors('set "a" "b";'), ['line 1, column 1: command "set" needs require "variables".']);
});

test('without require "variables", "${x}" is literal text', async () => {
  assert.deepEqual(await actions('require "fileinto"; fileinto "${x}";'), ['fileinto ${x}']);
});

test('values longer than the limit are cut at a character boundary', async () => {
  const result = await run(`require ["variables", "fileinto"]; set "a" "${'é'.repeat(MAX_VARIABLE_SIZE)}"; set :length "n" "\${a}"; fileinto "\${n}";`);
  assert.equal(result.error, null);
  assert.deepEqual(result.actions.map((a) => (a.type === 'fileinto' ? a.mailbox : '')), [String(MAX_VARIABLE_SIZE / 2)]);
});
