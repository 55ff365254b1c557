// Benchmark: Dovecot's imaptest in stress mode (random LOGIN/LIST/STATUS/SELECT/FETCH/STORE/EXPUNGE/
// APPEND/LOGOUT from concurrent clients) against a real `mailroom serve` over implicit TLS, with the
// shared corpus as imaptest's APPEND source. Prints commands per second and the `Error:` lines imaptest
// reported. Compare with Dovecot on the same machine (issue 14: ~665 cmds/s default, ~2,865 with
// logout=0, clients=10 secs=300).
// Run: npx tsc -p tsconfig.json && node dist/bench/imaptest-stress.js [--secs 300] [--clients 10] [--logout0]
// Needs imaptest built by ../shared/tools/imaptest/build.sh (/tmp/imaptest).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { secs: { type: 'string', default: '300' }, clients: { type: 'string', default: '10' }, logout0: { type: 'boolean', default: false } } });
const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/server/host/cli.js');
const tool = join(root, '../shared/tools/imaptest');
const PASSWORD = 'imaptest password';

const bin = execFileSync('bash', [join(tool, 'build.sh')], { encoding: 'utf8' }).trim();
const dir = mkdtempSync(join(tmpdir(), 'mailroom-stress-'));
try {
  // imaptest reads an mbox: the corpus messages, each behind a From_ line, with body From_ lines quoted.
  const corpus = join(root, '../shared/corpus/messages');
  const mbox = readdirSync(corpus)
    .sort()
    .map((name) => {
      const text = readFileSync(join(corpus, name), 'latin1').replace(/\r\n/g, '\n').replace(/^From /gm, '>From ');
      return `From user@example.com  Mon Jan  1 00:00:00 2026\n${text.replace(/\n*$/, '\n')}\n`;
    })
    .join('');
  writeFileSync(join(dir, 'corpus.mbox'), mbox, 'latin1');

  const data = join(dir, 'data');
  const run = (args: string[], input = '') => execFileSync(process.execPath, [cli, ...args, '--data-dir', data], { input });
  run(['domain', 'add', 'example.com']);
  const clients = Number(values.clients);
  for (let i = 1; i <= clients; i++) run(['user', 'add', `u${i}@example.com`, '--password-stdin'], `${PASSWORD}\n`);

  const ports = ['smtp', 'submission', 'submissions', 'imap', 'imaps', 'pop3', 'pop3s', 'managesieve', 'admin'].flatMap((p) => [`--${p}-port`, '0']);
  const server = spawn(process.execPath, [cli, 'serve', '--data-dir', data, '--listen-host', '127.0.0.1', ...ports], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = await new Promise<{ ports: Record<string, number> }>((resolve) => {
    createInterface({ input: server.stdout }).once('line', (line) => resolve(JSON.parse(line) as { ports: Record<string, number> }));
  });
  const args = [
    'host=127.0.0.1',
    `port=${ready.ports.imaps}`,
    'ssl=any-cert',
    'user=u%d@example.com',
    `pass=${PASSWORD}`,
    `users=${clients}`,
    `clients=${clients}`,
    `secs=${values.secs}`,
    `mbox=${join(dir, 'corpus.mbox')}`,
    ...(values.logout0 ? ['logout=0'] : []),
  ];
  let output = '';
  try {
    output = execFileSync(bin, args, { env: { ...process.env, LD_LIBRARY_PATH: '/usr/lib/dovecot' }, encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? '');
  }
  server.kill('SIGTERM');
  const totals = output.slice(output.lastIndexOf('Totals:'));
  const counts = totals.split('\n')[4]?.trim().split(/\s+/).map(Number) ?? [];
  const commands = counts.reduce((a, b) => a + b, 0);
  const errors = output.split('\n').filter((l) => l.startsWith('Error:'));
  console.log(totals.split('\n').slice(0, 5).join('\n'));
  console.log(`clients=${clients} secs=${values.secs}${values.logout0 ? ' logout=0' : ''}: ${commands} commands, ${(commands / Number(values.secs)).toFixed(0)} cmds/s, ${errors.length} Error: lines`);
  for (const line of errors.slice(0, 20)) console.log(`  ${line}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
