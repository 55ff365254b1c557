// Runs test files (as test/run.mjs does) with every protocol fixture's store on PostgreSQL: starts a
// private server (test/helpers/postgres.ts: Debian's initdb/postgres in a temp folder), names it in
// MAILROOM_TEST_POSTGRES (test/helpers/fixture-database.ts gives each fixture a fresh database there),
// and stops it at the end. Build first.
// Usage: node test/run-postgres.mjs test/protocol/   — same substrings as test/run.mjs.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const { startPostgres, postgresMissing } = await import(join(root, 'dist', 'test', 'helpers', 'postgres.js'));
if (postgresMissing) {
  console.error(`cannot run on PostgreSQL: ${postgresMissing}`);
  process.exit(2);
}
const server = await startPostgres();
const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, [join(root, 'test', 'run.mjs'), ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, MAILROOM_TEST_POSTGRES: server.url('postgres') },
  });
  child.on('exit', (c) => resolve(c ?? 1));
});
await server.stop();
process.exit(code);
