// Benchmark: Dovecot's imaptest in stress mode (random LOGIN/LIST/STATUS/SELECT/FETCH/STORE/EXPUNGE/
// APPEND/LOGOUT from concurrent clients) against a real `mailroom serve` over implicit TLS, with the
// shared corpus as imaptest's APPEND source. Prints commands per second and the `Error:` lines imaptest
// reported. `--server dovecot` runs the same load against Dovecot 2.3 from Debian (maildir, implicit TLS
// with a throw-away certificate, its default settings otherwise) for a same-machine, same-run comparison;
// `--server both` runs Mailroom, then Dovecot.
// Run: npx tsc -p tsconfig.json && node dist/bench/imaptest-stress.js [--secs 300] [--clients 10] [--logout0] [--server mailroom|dovecot|both]
// [--profile <dir>] [--log <prefix>] (imaptest's whole output to <prefix>.<server>[.logout0].txt) (Mailroom runs with node --cpu-prof and writes its profile to <dir> when it stops).
// Needs imaptest built by ../shared/tools/imaptest/build.sh (/tmp/imaptest).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../test/helpers/daemon.js';
import { startDovecot } from '../test/helpers/dovecot.js';

const { values } = parseArgs({ options: { secs: { type: 'string', default: '300' }, clients: { type: 'string', default: '10' }, logout0: { type: 'boolean', default: false }, server: { type: 'string', default: 'mailroom' }, profile: { type: 'string' }, log: { type: 'string' } } });
const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/server/host/cli.js');
const tool = join(root, '../shared/tools/imaptest');
const PASSWORD = 'imaptest password';
/** imaptest's MAX_INLINE_LITERAL_SIZE (src/settings.h). */
const IMAPTEST_INLINE_LITERAL = 32 * 1024;

const bin = execFileSync('bash', [join(tool, 'build.sh')], { encoding: 'utf8' }).trim();
const clients = Number(values.clients);

interface Target {
  port: number;
  stop(): Promise<void>;
}

/** `mailroom serve` on a fresh data folder with users u1..uN; its implicit-TLS IMAP port. */
async function startMailroom(dir: string): Promise<Target> {
  const data = join(dir, 'data');
  const run = (args: string[], input = '') => execFileSync(process.execPath, [cli, ...args, '--data-dir', data], { input });
  run(['domain', 'add', 'example.com']);
  for (let i = 1; i <= clients; i++) run(['user', 'add', `u${i}@example.com`, '--password-stdin'], `${PASSWORD}\n`);
  const ports = ['smtp', 'submission', 'submissions', 'imap', 'imaps', 'pop3', 'pop3s', 'managesieve', 'admin', 'autoconfig'].flatMap((p) => [`--${p}-port`, '0']);
  const profile = values.profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', values.profile];
  const server = spawn(process.execPath, [...profile, cli, 'serve', '--data-dir', data, '--listen-host', '127.0.0.1', ...ports], { stdio: ['ignore', 'pipe', 'ignore'] });
  const ready = await new Promise<{ ports: Record<string, number> }>((resolve) => {
    createInterface({ input: server.stdout }).once('line', (line) => resolve(JSON.parse(line) as { ports: Record<string, number> }));
  });
  return {
    port: ready.ports.imaps,
    stop: () => new Promise((resolve) => (server.once('exit', () => resolve()), server.kill('SIGTERM'))),
  };
}

/** Dovecot with imaps on a free loopback port, a self-signed certificate, any password accepted. */
async function startDovecotImaps(dir: string): Promise<Target> {
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '2', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const port = await freePort();
  const dovecot = await startDovecot({
    extraConfig: `protocols = imap
ssl = required
ssl_cert = <${cert}
ssl_key = <${key}
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${port}
  }
}
`,
  });
  return { port, stop: () => dovecot.stop() };
}

function stress(name: string, port: number, mbox: string): { commands: number; errors: string[]; totals: string } {
  const args = [
    'host=127.0.0.1',
    `port=${port}`,
    'ssl=any-cert',
    'user=u%d@example.com',
    `pass=${PASSWORD}`,
    `users=${clients}`,
    `clients=${clients}`,
    `secs=${values.secs}`,
    `mbox=${mbox}`,
    ...(values.logout0 ? ['logout=0'] : []),
  ];
  // imaptest prints its statistics on stdout and its `Error:` lines on stderr: keep both.
  const result = spawnSync(bin, args, { env: { ...process.env, LD_LIBRARY_PATH: '/usr/lib/dovecot' }, encoding: 'utf8', maxBuffer: 256 << 20 });
  const output = `${result.stdout}${result.stderr}`;
  // Its per-second lines show a stall or a slow-down that the totals hide.
  if (values.log !== undefined) writeFileSync(`${values.log}.${name}${values.logout0 ? '.logout0' : ''}.txt`, output);
  const totals = output.slice(output.lastIndexOf('Totals:'));
  const counts = totals.split('\n')[4]?.trim().split(/\s+/).map(Number) ?? [];
  return { commands: counts.reduce((a, b) => a + b, 0), errors: output.split('\n').filter((l) => l.startsWith('Error:')), totals: totals.split('\n').slice(0, 5).join('\n') };
}

const servers = values.server === 'both' ? ['mailroom', 'dovecot'] : [values.server!];
const dir = mkdtempSync(join(tmpdir(), 'mailroom-stress-'));
try {
  // imaptest reads an mbox: the corpus messages, each behind a From_ line, with body From_ lines quoted.
  // Left out, because imaptest itself cannot handle them (not the server): messages with NUL bytes (its
  // mbox reader sizes each line with strlen(), so the APPEND literal it announces is shorter than the
  // bytes it sends and the server rightly answers BAD to the rest) and a second message with a
  // Message-ID already used (imaptest keys its consistency checks on Message-ID and reports "ENVELOPE
  // changed" when two different messages share one) or one that is not a single <local@domain> (imaptest reports
  // "invalid Message-Id" for the envelope the server rightly returns as written), and a header section
  // over 32 KiB (imaptest keeps larger literals as a size only, then reports "Broken HEADER.FIELDS").
  const corpus = join(root, '../shared/corpus/messages');
  const seen = new Set<string>();
  const left: string[] = [];
  const mbox = readdirSync(corpus)
    .sort()
    .flatMap((name) => {
      const raw = readFileSync(join(corpus, name));
      const text = raw.toString('latin1').replace(/\r\n/g, '\n').replace(/^From /gm, '>From ');
      const header = text.slice(0, text.indexOf('\n\n') >>> 0);
      const id = /^message-id:(.*(?:\n[ \t].*)*)/im.exec(header)?.[1].replace(/\s+/g, ' ').trim().toLowerCase();
      const idUnusable = id !== undefined && (seen.has(id) || !/^<[^<>\s@]+@[^<>\s]+>$/.test(id));
      if (raw.includes(0) || idUnusable || header.length > IMAPTEST_INLINE_LITERAL) {
        left.push(name);
        return [];
      }
      if (id !== undefined) seen.add(id);
      return [`From user@example.com  Mon Jan  1 00:00:00 2026\n${text.replace(/\n*$/, '\n')}\n`];
    })
    .join('');
  console.log(`mbox: ${readdirSync(corpus).length - left.length} corpus messages (left out for imaptest: ${left.join(', ')})`);
  writeFileSync(join(dir, 'corpus.mbox'), mbox, 'latin1');

  for (const name of servers) {
    const target = name === 'dovecot' ? await startDovecotImaps(dir) : await startMailroom(dir);
    // The machine is shared: the 1-minute load average before and after says how loaded the run was.
    const loadBefore = loadavg()[0];
    const r = stress(name, target.port, join(dir, 'corpus.mbox'));
    const loadAfter = loadavg()[0];
    await target.stop();
    console.log(`${name}\n${r.totals}`);
    console.log(`${name} ${new Date().toISOString()} load average (1 min) ${loadBefore.toFixed(1)} -> ${loadAfter.toFixed(1)}`);
    console.log(`${name} clients=${clients} secs=${values.secs}${values.logout0 ? ' logout=0' : ''}: ${r.commands} commands, ${(r.commands / Number(values.secs)).toFixed(0)} cmds/s, ${r.errors.length} Error: lines`);
    for (const line of r.errors.slice(0, 20)) console.log(`  ${line}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
