// Dovecot's imaptest as independent eyes (issue 14): its 71 scripted test groups, one run per group,
// against a real `mailroom serve` over implicit TLS. Every group that runs must pass with no `Error:`
// line; groups imaptest skips because a capability is missing are listed (they are the extensions still
// to build), so the log says group by group what ran. imaptest is built from the vendored source by
// ../shared/tools/imaptest/build.sh (.ci/run installs its Debian build dependencies); without the
// script or a toolchain the test is skipped with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, serve } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const TOOL = fileURLToPath(new URL('../../../../shared/tools/imaptest', import.meta.url));
const PASSWORD = 'imaptest password';

function build(): string | null {
  if (!existsSync(join(TOOL, 'build.sh'))) return null;
  try {
    return execFileSync('bash', [join(TOOL, 'build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 }).trim();
  } catch {
    return null;
  }
}

/**
 * Groups of the extensions Mailroom implements (issue 17): each must run commands, not just pass by
 * running none (imaptest runs no command of a group whose `capabilities:` the server does not list).
 */
const EXTENSION_GROUPS = [
  'append-binary',
  'fetch-binary-mime',
  'fetch-binary-mime-base64',
  'fetch-binary-mime-qp',
  'multiappend',
  'catenate',
  'catenate-multiappend',
  'esearch',
  'esearch-condstore',
  'search-context-update',
  'search-context-update2',
  'search-context-update3',
  'search-partial',
  'sort-partial',
  'urlauth',
  'notify',
  'esort',
  'sort-addresses',
  'sort-arrival',
  'sort-date',
  'sort-display-from',
  'sort-display-to',
  'sort-size',
  'sort-subject',
  'thread',
  'thread2',
  'thread3',
  'thread4',
  'thread5',
  'thread6',
  'thread7',
  'thread8',
  'thread-orderedsubject',
  'thread-orderedsubject2',
];

/**
 * Groups that cannot pass on any server as written, with why; they run (their capability is offered)
 * and their failure is expected and checked to stay the known one.
 */
const BROKEN_UPSTREAM: Readonly<Record<string, { why: string; failure: RegExp }>> = {
  // No `messages:` line, so imaptest appends none (test-parser.c: message_count = 0) and its first
  // command, `fetch 1:2`, names messages an empty mailbox lacks. Its second connection also SELECTs
  // user2's "imaptest", which imaptest never creates. test/protocol/imap/urlauth.test.ts does what it
  // means to check: another user URLFETCHing an authuser URL.
  urlauth2: { why: 'FETCH 1:2 in an empty mailbox', failure: /Test urlauth2 (initialization failed|command [12]\/9)/ },
};

interface GroupResult {
  group: string;
  failed: boolean;
  skipped: boolean;
  /** Commands the group ran (base protocol and extensions). */
  commands: number;
  errors: string[];
  output: string;
}

function runGroup(bin: string, tests: string, group: string, port: number): Promise<GroupResult> {
  const args = [`host=127.0.0.1`, `port=${port}`, 'ssl=any-cert', 'user=u1@example.com', 'user2=u2@example.com', `pass=${PASSWORD}`, `test=${join(tests, group)}`];
  return new Promise((resolve, reject) => {
    execFile(bin, args, { env: { ...process.env, LD_LIBRARY_PATH: '/usr/lib/dovecot' }, timeout: 120_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      const summary = /(\d+) test groups: (\d+) failed, (\d+) skipped/.exec(output);
      if (summary === null) return reject(new Error(`imaptest ${group}: no summary (${error?.message ?? ''})\n${output}`));
      const counted = [...output.matchAll(/(?:base protocol|extensions): \d+\/(\d+) individual commands/g)];
      resolve({
        group,
        failed: Number(summary[2]) > 0,
        skipped: Number(summary[3]) > 0,
        commands: counted.reduce((sum, m) => sum + Number(m[1]), 0),
        errors: output.split('\n').filter((l) => l.startsWith('Error:')),
        output,
      });
    });
  });
}

const bin = build();

test('imaptest: every scripted group that runs passes, with no Error: lines', { skip: bin === null && 'imaptest could not be built (../shared/tools/imaptest/build.sh)', timeout: 900_000 }, async (t) => {
  const tests = join(dirname(dirname(bin!)), 'src', 'tests');
  // Files without an extension are the groups (`x.mbox` is a group's mail; broken/ holds imaptest's own
  // known-broken scripts, which its full run leaves out too).
  const groups = readdirSync(tests, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.includes('.'))
    .map((e) => e.name)
    .sort();
  assert.ok(groups.length >= 70, `imaptest's groups found (${groups.length})`);

  const dataDir = tempDir(t, 'mailroom-imaptest-');
  assert.equal((await runCli(['domain', 'add', 'example.com', '--data-dir', dataDir])).code, 0);
  for (const user of ['u1', 'u2']) {
    assert.equal((await runCli(['user', 'add', `${user}@example.com`, '--password-stdin', '--data-dir', dataDir], `${PASSWORD}\n`)).code, 0);
  }
  const served = await serve(dataDir);
  t.after(() => served.stop());

  const results: GroupResult[] = [];
  for (const group of groups) results.push(await runGroup(bin!, tests, group, served.ready.ports.imaps));
  const ran = results.filter((r) => r.commands > 0).map((r) => r.group);
  const idle = results.filter((r) => r.commands === 0).map((r) => r.group);
  t.diagnostic(`ran ${ran.length}: ${ran.join(' ')}`);
  t.diagnostic(`ran no command (capability missing) ${idle.length}: ${idle.join(' ')}`);
  assert.deepEqual(EXTENSION_GROUPS.filter((g) => !ran.includes(g)), [], 'the groups of implemented extensions run');

  for (const [group, { why, failure }] of Object.entries(BROKEN_UPSTREAM)) {
    const r = results.find((x) => x.group === group);
    assert.ok(r !== undefined && r.failed && failure.test(r.output), `${group} fails as known (${why})\n${r?.output.slice(0, 2000) ?? ''}`);
  }
  const failed = results.filter((r) => (r.failed || r.errors.length > 0) && !Object.hasOwn(BROKEN_UPSTREAM, r.group));
  assert.deepEqual(
    failed.map((r) => r.group),
    [],
    failed.map((r) => `--- ${r.group}\n${r.output.slice(0, 3000)}`).join('\n'),
  );
  assert.doesNotMatch(served.stderr(), /SERVERBUG|imap\.command\.failed/);
});
