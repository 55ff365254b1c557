// RFC 6609 include: the RFC examples, :optional, :once, return, global variables, and the
// linking errors (Pigeonhole include/*.svtest: circular, depth limit, missing scripts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProgram, MAX_INCLUDE_DEPTH, SieveCompileError, type ScriptLoader } from '../../../server/sieve/index.js';
import { actions } from './helpers.js';

function loader(personal: Record<string, string>, global: Record<string, string> = {}): ScriptLoader {
  return async (location, name) => (location === 'personal' ? personal : global)[name] ?? null;
}

async function linkError(script: string, load: ScriptLoader): Promise<string> {
  try {
    await loadProgram(script, { loader: load });
  } catch (e) {
    assert.ok(e instanceof SieveCompileError);
    return e.message;
  }
  assert.fail('expected a link error');
}

const RFC_EX1 = `require ["include"];
include :personal "always_allow";
include :global "spam_tests";
include :personal "spam_tests";
include :personal "mailing_lists";`;

const ex1 = loader(
  {
    always_allow: 'if address :is "from" "boss@example.com"\n{\n    keep;\n}',
    spam_tests: 'require "reject";\nif header :contains "Subject" "$$" { reject "Subject $$ is unacceptable."; }',
    mailing_lists: 'require "fileinto";\nif header :is "Sender" "owner-ietf-mta-filters@ietf.org"\n{\n    fileinto "lists.sieve";\n}',
  },
  { spam_tests: 'require "reject";\nif header :contains "Subject" "XXXX" { reject "Subject XXXX is unacceptable."; }' },
);

test('RFC 6609 §4 example 1: personal and global scripts of the same name', async () => {
  const m = (headers: string): string => `${headers}\n\nx\n`;
  assert.deepEqual(await actions(RFC_EX1, m('From: boss@example.com\nSubject: hi'), {}, ex1), ['keep']);
  assert.deepEqual(await actions(RFC_EX1, m('From: x@example.com\nSubject: XXXX'), {}, ex1), ['reject Subject XXXX is unacceptable.']);
  assert.deepEqual(await actions(RFC_EX1, m('From: x@example.com\nSubject: $$ now'), {}, ex1), ['reject Subject $$ is unacceptable.']);
  assert.deepEqual(await actions(RFC_EX1, m('From: x@example.com\nSender: owner-ietf-mta-filters@ietf.org'), {}, ex1), ['fileinto lists.sieve']);
});

test('RFC 6609 §3.4: global variables are shared; others stay local', async () => {
  const main = `require ["variables", "include", "fileinto"];
global "test";
global "test_mailbox";
set "local" "main";
set "test" "$$";
include "subject_tests";
set "test" "Make money";
include "subject_tests";
fileinto "\${test_mailbox}|\${local}";`;
  const scripts = loader({
    subject_tests: `require ["include", "variables", "fileinto"];
global ["test", "test_mailbox"];
if header :contains "Subject" "\${test}" {
    set "test_mailbox" "spam-\${test}";
    fileinto "\${test_mailbox}";
}
fileinto "local=[\${local}]";`,
  });
  assert.deepEqual(await actions(main, 'Subject: Make money fast\n\nx\n', {}, scripts), ['fileinto local=[]', 'fileinto spam-Make money', 'fileinto spam-Make money|main']);
});

test(':optional skips a missing script; without it, a missing script is an error at the include', async () => {
  assert.deepEqual(await actions('require "include";\ninclude :optional "nothere";\nkeep;', undefined, {}, loader({})), ['keep']);
  assert.equal(await linkError('require "include";\nkeep;\ninclude "nothere";', loader({})), 'line 3, column 1: personal script "nothere" does not exist.');
});

test(':once includes a script a single time; return ends only the included script', async () => {
  const scripts = loader({
    counter: 'require ["include", "variables"];\nglobal "n";\nset "n" "${n}x";\nreturn;\nset "n" "never";',
    twice: 'require ["include"];\ninclude :once "counter";\ninclude "counter";',
  });
  const main = (once: string): string => `require ["include", "variables", "fileinto"];\nglobal "n";\ninclude ${once} "counter";\ninclude "twice";\nfileinto "\${n}";`;
  assert.deepEqual(await actions(main(':once'), undefined, {}, scripts), ['fileinto xx']);
  assert.deepEqual(await actions(main(''), undefined, {}, scripts), ['fileinto xx']);
  assert.deepEqual(await actions(main('').replace('include "twice";', 'include "twice";\ninclude "counter";'), undefined, {}, scripts), ['fileinto xxx']);
});

test('stop inside an included script ends the whole run', async () => {
  const scripts = loader({ stopper: 'stop;' });
  assert.deepEqual(await actions('require ["include"];\ninclude "stopper";\ndiscard;', undefined, {}, scripts), ['implicit keep']);
});

test('circular includes, errors inside included scripts and depth are refused at load', async () => {
  assert.equal(
    await linkError('require "include";\ninclude "a";', loader({ a: 'require "include";\ninclude "b";', b: 'require "include";\ninclude "a";' })),
    'line 2, column 1: personal script "a" includes itself (circular include).',
  );
  assert.equal(
    await linkError('require "include";\ninclude "bad";', loader({ bad: 'keep;\nfrop;' })),
    'line 2, column 1: personal script "bad" has errors: line 2, column 1: unknown command "frop".',
  );
  const chain: Record<string, string> = {};
  for (let i = 0; i <= MAX_INCLUDE_DEPTH; i++) chain[`s${i}`] = `require "include";\ninclude "s${i + 1}";`;
  chain[`s${MAX_INCLUDE_DEPTH + 1}`] = 'keep;';
  assert.match(await linkError('require "include";\ninclude "s0";', loader(chain)), /includes nested more than 10 deep/);
});

test('include names are constants; global needs variables', async () => {
  assert.match(await linkError('require ["include", "variables"];\nset "n" "x";\ninclude "${n}";', loader({})), /line 3, column 9: the included script name must be a constant string/);
  assert.match(await linkError('require "include";\nglobal "x";', loader({})), /line 2, column 1: global needs require "variables"/);
  assert.match(await linkError('require "include";\ninclude "a/b";', loader({})), /"a\/b" is not a valid script name/);
});
