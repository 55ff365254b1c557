// `mailroom --help`, per-command help and usage errors (exit 2), run in-process: the parser refuses
// malformed input with its reason before anything is touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminFixture } from '../../../helpers/admin.js';
import { runCliOn } from '../../../helpers/cli.js';
import { VERSION } from '../../../../server/index.js';

const NOUNS = ['serve', 'domain', 'user', 'alias', 'network', 'transport', 'rule', 'queue', 'config', 'admin', 'log'];

test('--help lists every command, and each command has its own help', async (t) => {
  const { api } = await adminFixture(t);
  const top = await runCliOn(api, ['--help']);
  assert.equal(top.code, 0);
  for (const noun of NOUNS) assert.match(top.stdout, new RegExp(`^  ${noun}\\b`, 'm'), `${noun} is listed`);
  assert.match(top.stdout, /Exit codes: 0 done, 1 refused, 2 usage error, 3 internal error/);

  const add = await runCliOn(api, ['user', 'add', '--help']);
  assert.equal(add.code, 0);
  assert.match(add.stdout, /^Usage: mailroom user add \[options\] <address>/m);
  assert.match(add.stdout, /--password-stdin/);
  assert.match(add.stdout, /--data-dir <dir>/, 'global options shown with each command');
  const rule = await runCliOn(api, ['rule', 'add', '--help']);
  assert.match(rule.stdout, /choices: "connect", "helo",\s+"mail-from", "rcpt-to", "data"/, 'stages offered from the rule schema');
  assert.equal((await runCliOn(api, ['help', 'network'])).code, 0);
  assert.deepEqual((await runCliOn(api, ['--version'])).lines, [VERSION]);
});

test('usage errors exit 2 with the reason, before any change', async (t) => {
  const { api } = await adminFixture(t);
  const cases: Array<[string[], RegExp]> = [
    [[], /Usage: mailroom/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['domain'], /Usage: mailroom domain/],
    [['domain', 'add'], /missing required argument 'name'/],
    [['domain', 'add', 'a.example', 'b.example'], /too many arguments/],
    [['domain', 'add', 'a.example', '--quota', 'lots'], /"lots" is not a size/],
    [['user', 'quota', 'x@example.com'], /required option '--quota <size>' not specified/],
    [['serve', '--smtp-port', '70000'], /"70000" is not a port: A port is 0 to 65535/],
    [['serve', '--imap-port', 'imap'], /is not a port/],
    [['rule', 'add', '--stage', 'connectt', '--action', 'reject'], /Allowed choices are connect, helo/],
    [['rule', 'add', '--stage', 'helo', '--action', 'allow', '--authenticated', '--unauthenticated'], /cannot be used with option '--authenticated'/],
    [['rule', 'remove', 'one'], /"one" is not a whole number/],
    [['log', '--limit', '0'], /limit|>=1/i],
    [['config', 'get', 'noSuchKey'], /unknown setting "noSuchKey"/],
    [['config', 'set', 'ports.smtp', 'twenty-five'], /ports\.smtp is a number/],
    [['domain', 'list', '--no-such-option'], /unknown option '--no-such-option'/],
  ];
  for (const [args, message] of cases) {
    const result = await runCliOn(api, args);
    assert.equal(result.code, 2, `mailroom ${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message, `mailroom ${args.join(' ')}`);
  }
  assert.deepEqual(await api.listDomains(), [], 'nothing was added');
});

test('text output escapes control characters stored in display names; --json keeps them encoded', async (t) => {
  const { api, store } = await adminFixture(t);
  await api.addDomain({ name: 'example.com' });
  await api.addAccount({ address: 'eve@example.com', password: 'long enough' });
  // As an older version could have stored it, before display names were checked.
  await store.accounts.update((await store.accounts.find('eve', 'example.com'))!.id, { displayName: 'Eve\u001b[2J\r\nroot' });
  const table = await runCliOn(api, ['user', 'list']);
  assert.equal(table.code, 0);
  assert.doesNotMatch(table.stdout.replaceAll('\n', ''), /\p{Cc}/u, 'no raw control characters');
  assert.match(table.stdout, /Eve\\x1b\[2J\\x0d\\x0aroot/);
  const json = await runCliOn(api, ['user', 'list', '--json']);
  assert.equal((JSON.parse(json.stdout) as Array<{ displayName: string }>)[0].displayName, 'Eve\u001b[2J\r\nroot');
});

test('network add refuses an open relay unless --i-know-this-is-an-open-relay', async (t) => {
  const { api } = await adminFixture(t);
  const refused = await runCliOn(api, ['network', 'add', '0.0.0.0/0', '--relay']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /open relay/);
  assert.equal((await runCliOn(api, ['network', 'add', '::/0', '--relay'])).code, 1);
  assert.equal((await runCliOn(api, ['network', 'add', '192.168.1.0/24', '--relay'])).code, 0);
  assert.equal((await runCliOn(api, ['network', 'add', '0.0.0.0/0', '--relay', '--i-know-this-is-an-open-relay'])).code, 0);
  assert.deepEqual((await api.listNetworks()).map((n) => [n.cidr, n.relay]).sort(), [
    ['0.0.0.0/0', true],
    ['192.168.1.0/24', true],
  ]);
});

test('doctor prints each check with its fix and exits 1 when one fails', async (t) => {
  const { api } = await adminFixture(t);
  const healthy = await runCliOn(api, ['doctor']);
  assert.equal(healthy.code, 0, healthy.stderr);
  assert.match(healthy.stdout, /^ok {4}Relay exposure/m);
  assert.match(healthy.stdout, /add --integrity/);
  await api.addNetwork({ cidr: '::/0', relay: true, confirmOpenRelay: true });
  const sick = await runCliOn(api, ['doctor']);
  assert.equal(sick.code, 1);
  assert.match(sick.stdout, /^FAIL {2}Relay exposure +::\/0 may relay mail anywhere/m);
  assert.match(sick.stdout, /^ +fix: Remove or narrow the range: mailroom network remove ::\/0/m);
  assert.match(sick.stderr, /1 check\(s\) failed/);
  const json = await runCliOn(api, ['doctor', '--json', '--integrity']);
  const report = JSON.parse(json.stdout) as { status: string; checks: Array<{ id: string; status: string }> };
  assert.equal(report.status, 'fail');
  assert.deepEqual(report.checks.find((c) => c.id === 'integrity')?.status, 'ok');
});
