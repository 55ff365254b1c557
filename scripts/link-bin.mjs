// npm does not link a package's own `bin` into its own node_modules/.bin, so `npx mailroom` from a
// checkout would look for it on the registry. After the build (npm's prepare step) we link it
// ourselves: a symlink on POSIX, a .cmd shim on Windows. The build has made cli.js executable
// (scripts/make-cli-executable.mjs).
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname.replace(/^\/([A-Za-z]:)/, '$1');
const target = join(root, 'dist', 'server', 'host', 'cli.js');
const binDir = join(root, 'node_modules', '.bin');
if (!existsSync(target)) {
  console.error('link-bin: dist/server/host/cli.js is missing; run the build first');
  process.exit(1);
}
mkdirSync(binDir, { recursive: true });
if (process.platform === 'win32') {
  writeFileSync(join(binDir, 'mailroom.cmd'), `@node "${target}" %*\r\n`);
} else {
  const link = join(binDir, 'mailroom');
  rmSync(link, { force: true });
  symlinkSync('../../dist/server/host/cli.js', link);
}
