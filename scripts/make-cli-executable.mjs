// The build's last word on the CLI: tsc writes dist/server/host/cli.js without the executable bit, and
// `npm run build` empties dist/ first, so without this every `npx mailroom` after a build would fail
// with "Permission denied" (issue 11 §6). Usage: node scripts/make-cli-executable.mjs [ROOT]
import { chmodSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = process.argv[2] ? resolve(process.argv[2]) : new URL('..', import.meta.url).pathname.replace(/^\/([A-Za-z]:)/, '$1');
const cli = join(root, 'dist', 'server', 'host', 'cli.js');
if (!existsSync(cli)) {
  console.error(`make-cli-executable: ${cli} is missing; compile first`);
  process.exit(1);
}
// Windows has no executable bit: npm's .cmd shim (scripts/link-bin.mjs) runs it through node.
if (process.platform !== 'win32') chmodSync(cli, 0o755);
