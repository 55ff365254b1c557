// The README's path to a working `mailroom` (issue 11 §6): `npm run build` empties dist/ and compiles
// again, and the CLI must come out runnable by itself — through its shebang, as the bin link
// (node_modules/.bin/mailroom → dist/server/host/cli.js) runs it — not only as `node cli.js`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CLI } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const posix = process.platform !== 'win32';

test('the build step marks a freshly compiled cli.js executable', { skip: !posix && 'no executable bit on Windows' }, async (t) => {
  const build = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.build;
  const steps = build.split('&&').map((s) => s.trim());
  assert.ok(steps.indexOf('node scripts/make-cli-executable.mjs') > steps.indexOf('tsc -p tsconfig.json'), `build runs the step after compiling the server: ${build}`);

  // A fresh compile as after `npm run clean`: a new file with the default mode.
  const root = tempDir(t);
  const fresh = join(root, 'dist', 'server', 'host', 'cli.js');
  mkdirSync(join(root, 'dist', 'server', 'host'), { recursive: true });
  copyFileSync(CLI, fresh);
  await run(process.execPath, [join(ROOT, 'scripts', 'make-cli-executable.mjs'), root]);
  assert.equal(statSync(fresh).mode & 0o777, 0o755);
});

test('the built CLI runs by itself and through a bin link on PATH', { skip: !posix && 'no shebang on Windows' }, async (t) => {
  assert.ok(statSync(CLI).mode & 0o100, 'dist/server/host/cli.js is executable after the build');
  const data = tempDir(t);
  const direct = await run(CLI, ['domain', 'add', 'example.com', '--data-dir', data]);
  assert.equal(direct.stdout.trim(), 'added domain example.com');

  const bin = tempDir(t);
  symlinkSync(CLI, join(bin, 'mailroom'));
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  const linked = await run('sh', ['-c', `mailroom domain list --json --data-dir '${data}'`], { env });
  assert.deepEqual((JSON.parse(linked.stdout) as Array<{ name: string }>).map((d) => d.name), ['example.com']);
});
