// Runs every compiled test file (dist/test/**/*.test.js) with node's test runner and our reporter,
// whose last line is the `N passed, N failed` summary. Build first (`npm test` does).
// Usage: node test/run.mjs [substring ...]   — only files whose path contains one of the substrings.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const testDir = join(root, 'dist', 'test');
if (!existsSync(testDir)) {
  console.error('dist/test is missing: run `npm run build` first');
  process.exit(2);
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : name.endsWith('.test.js') ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = walk(testDir)
  .filter((f) => filters.length === 0 || filters.some((s) => relative(root, f).includes(s)))
  .sort();
// With no file, node --test would run every test it finds: say so instead.
if (files.length === 0) {
  console.error(`no test file matches ${filters.join(', ')}`);
  process.exit(1);
}

const child = spawn(
  process.execPath,
  ['--enable-source-maps', '--test', '--test-reporter', join(root, 'test', 'reporter.mjs'), ...files],
  { stdio: 'inherit', cwd: root },
);
child.on('exit', (code) => process.exit(code ?? 1));
