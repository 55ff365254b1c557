// Debian's rspamd as a real milter (its proxy worker in milter mode, scanning in-process, no redis, no
// system service): started here with its own configuration in a temp folder, listening on a free
// 127.0.0.1 port and on a Unix socket. rspamd negotiates "no reply" for every event but end of message,
// so this also checks that the client never waits for a reply the milter will not send.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createMilterChain, type MessageVerdict } from '../../server/milter/index.js';
import { freePort } from '../helpers/daemon.js';

/** rspamd's test patterns (options.enable_test_patterns): the GTUBE variants for each action. */
const GTUBE = {
  reject: 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X',
  addHeader: 'YJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X',
  rewriteSubject: 'ZJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X',
};
/** rspamd compiles its rules on a cold start; on a busy shared machine that took about a minute. */
const START_LIMIT_MS = 240_000;

const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } };

let dir: string;
let rspamd: ChildProcess | null = null;
let output = '';
let port: number;
let socketPath: string;

function canConnect(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function writeConfig(): string {
  for (const sub of ['local.d', 'db', 'run', 'log']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'local.d', 'milter_headers.conf'), 'extended_spam_headers = true;\n');
  const config = join(dir, 'rspamd.conf');
  writeFileSync(
    config,
    `.include "$CONFDIR/common.conf"
options {
  pidfile = "$RUNDIR/rspamd.pid";
  .include "$CONFDIR/options.inc"
  enable_test_patterns = true;
  disable_hyperscan = true;
}
logging { type = "file"; filename = "$LOGDIR/rspamd.log"; level = "warning"; }
worker "rspamd_proxy" {
  bind_socket = "127.0.0.1:${port}";
  bind_socket = "${socketPath} mode=0600";
  milter = yes;
  timeout = 60s;
  count = 1;
  upstream "local" { default = yes; self_scan = yes; }
  spam_header = "X-Spam";
}
`,
  );
  return config;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailroom-rspamd-'));
  port = await freePort();
  socketPath = join(dir, 'run', 'milter.sock');
  const config = writeConfig();
  const vars = { CONFDIR: '/etc/rspamd', LOCAL_CONFDIR: dir, DBDIR: join(dir, 'db'), RUNDIR: join(dir, 'run'), LOGDIR: join(dir, 'log') };
  const args = ['-f', '-i', '-c', config, ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}=${v}`])];
  const child = spawn('rspamd', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  rspamd = child;
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<string>((resolve) => {
    child.once('error', (e) => resolve(`rspamd did not start (${e.message}): .ci/run installs it (apt-get install rspamd)`));
    child.once('exit', (code) => resolve(`rspamd exited with ${code}: ${output.slice(-2000)}`));
  });
  const deadline = Date.now() + START_LIMIT_MS;
  for (;;) {
    const outcome = await Promise.race([exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 500))]);
    if (outcome !== null) throw new Error(outcome);
    if (await canConnect()) break;
    if (Date.now() > deadline) throw new Error(`rspamd did not listen within ${START_LIMIT_MS} ms: ${output.slice(-2000)}`);
  }
});

after(async () => {
  const child = rspamd;
  if (child && child.exitCode === null) {
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await gone;
  }
  rmSync(dir, { recursive: true, force: true });
});

async function scan(endpoint: string, body: string): Promise<MessageVerdict> {
  const chain = createMilterChain({ hostname: 'mx.local.example', milters: [{ name: 'rspamd', endpoint, contentTimeoutMs: 60_000 }] }, { log: silent });
  const s = chain.open();
  try {
    for (const verdict of [
      await s.connect({ hostname: 'client.example', address: '192.0.2.7', port: 40000 }),
      await s.helo('client.example'),
      await s.mail('sender@example.org', [], { i: '4AB1C2' }),
      await s.rcpt('alice@local.example'),
      await s.data(),
    ]) {
      assert.deepEqual(verdict, { action: 'continue' });
    }
    const message = [
      'From: sender@example.org',
      'To: alice@local.example',
      'Subject: interop',
      'Message-ID: <interop-1@example.org>',
      'Date: Wed, 02 Dec 2026 16:00:00 +0000',
      '',
      body,
      '',
    ].join('\r\n');
    return await s.message(Buffer.from(message));
  } finally {
    s.quit();
  }
}

describe('rspamd as a milter', { timeout: START_LIMIT_MS + 120_000 }, () => {
  it('rejects GTUBE with its SMTP reply (TCP)', async () => {
    const verdict = await scan(`inet:127.0.0.1:${port}`, GTUBE.reject);
    assert.equal(verdict.action, 'reject');
    assert.deepEqual(verdict.action === 'reject' && [verdict.reply.code, verdict.reply.enhanced, verdict.reply.text], [554, '5.7.1', 'Gtube pattern']);
  });

  it('rejects GTUBE over its Unix socket too', async () => {
    const verdict = await scan(`unix:${socketPath}`, GTUBE.reject);
    assert.deepEqual(verdict.action === 'reject' && verdict.reply.code, 554);
  });

  it('marks the add-header pattern with X-Spam: Yes (a header change applied to the message)', async () => {
    const verdict = await scan(`inet:127.0.0.1:${port}`, GTUBE.addHeader);
    assert.equal(verdict.action, 'continue');
    if (verdict.action !== 'continue') return;
    assert.match(verdict.message.toString(), /\r\nX-Spam: Yes\r\n\r\nYJS\*/);
    assert.ok(verdict.modifications.some((m) => m.kind === 'change-header' && m.name === 'X-Spam'));
  });

  it('rewrites the subject for the rewrite-subject pattern', async () => {
    const verdict = await scan(`inet:127.0.0.1:${port}`, GTUBE.rewriteSubject);
    assert.match(verdict.action === 'continue' ? verdict.message.toString() : '', /\r\nSubject: \*\*\* SPAM \*\*\* interop\r\n/);
  });

  it('adds its folded result headers to ordinary mail', async () => {
    const verdict = await scan(`inet:127.0.0.1:${port}`, 'Lunch tomorrow at noon?');
    assert.equal(verdict.action, 'continue');
    const text = verdict.action === 'continue' ? verdict.message.toString() : '';
    assert.match(text, /\r\nX-Spamd-Result: default: False \[[\d.]+ \/ [\d.]+\];\r\n\t/);
    assert.match(text, /\r\nX-Rspamd-Queue-Id: 4AB1C2\r\n/);
    assert.ok(text.endsWith('\r\n\r\nLunch tomorrow at noon?\r\n'));
  });
});
