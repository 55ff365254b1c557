// Benchmark: SMTP ingest end to end. Messages are sent to the MX listener for a local recipient, so
// each is accepted, described, and committed with synchronous=FULL before its 250; then the store is
// checked to hold every one. The server runs in a child process (so the client's CPU does not count
// against it) with DNS answered by a local fake; the child reports its peak RSS and how the group
// committer batched the commits.
//
// Two drivers:
// - `--tool node` (default): a nodemailer pool over C connections reusing them, from 127.0.0.1
//   (the host itself: a trusted client, no SPF/DKIM/DMARC).
// - `--tool smtp-source`: Postfix's load generator (/usr/sbin/smtp-source, Debian package `postfix`)
//   at 1, 10 and 50 sessions, 4 KiB and 100 KiB, one new connection per message as other MTAs send
//   inbound mail. The server listens on this host's first non-loopback IPv4 address, so the client is
//   untrusted and every message runs the inbound SPF/DKIM/DMARC checks against the fake DNS. Each
//   case is then run against Postfix's smtp-sink (accepts and discards) for the protocol ceiling.
// - `--tool memory`: the server's peak RSS with 50 connections sending 25 MiB of DATA at once (all
//   delivered), and with 1,000 idle connections (issue 11).
//
// Run: npx tsc -p tsconfig.json && node dist/bench/smtp.js [--tool node|smtp-source] [--n 2000]
//      [--size 4096] [--concurrency 16] [--case 4096/10 ...: smtp-source cases to run]
//      [--profile <dir>: the server child writes a --cpu-prof there] [--milter inet:HOST:PORT|unix:PATH]
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createTransport } from 'nodemailer';
import { openContext } from '../server/index.js';
import { createAdminApi } from '../server/admin/api.js';
import { createPasswordHasher } from '../server/auth/password-hash.js';
import { createDeliveryAgent } from '../server/delivery/index.js';
import { createDnsResolver } from '../server/dns/resolver.js';
import { createSmtpListeners } from '../server/smtp/index.js';
import type { SettingsPatch } from '../server/settings.js';
import { startFakeDns } from '../test/helpers/fake-dns.js';
import { SmtpClient } from '../test/protocol/smtp/client.js';

const SMTP_SOURCE = '/usr/sbin/smtp-source';
const SMTP_SINK = '/usr/sbin/smtp-sink';
const SENDER = 'sender@outside.example';
const RECIPIENT = 'inbox@bench.example';

const { values } = parseArgs({
  options: {
    tool: { type: 'string', default: 'node' },
    n: { type: 'string' },
    size: { type: 'string', default: '4096' },
    concurrency: { type: 'string', default: '16' },
    profile: { type: 'string' },
    /** smtp-source mode: run only these cases, `size/sessions` (e.g. 4096/10); repeatable. */
    case: { type: 'string', multiple: true },
    serve: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    /** A milter in the MX path (inet:HOST:PORT or unix:PATH), as bench/milter.ts runs it. */
    milter: { type: 'string' },
  },
});

interface ServerStats {
  peakRss: number;
  /** At the peak: the main thread's V8 heap and external memory, and the RSS's file-backed part (Linux), MiB. */
  atPeak: { heapTotal: number; heapUsed: number; external: number; rssFile: number | null };
  /** CPU time (user + system) the server spent from listening to stop, in ms. */
  cpuMs: number;
  /** Of which in the kernel (socket writes, fsync, ...). */
  systemMs: number;
  /** Of which on the main thread (the event loop; Linux only, else null): the bound on a free core. */
  mainMs: number | null;
  batches: number;
  deliveries: number;
  largestBatch: number;
}

/** Child: the MX listener over `dir` on `host`; prints its port, then its figures when stdin says `stats`. */
async function serve(dir: string, host: string) {
  // The sender's domain publishes SPF and DMARC, so the inbound checks do their full work.
  const dns = await startFakeDns({ after: () => {} }, {
    'outside.example': { TXT: ['v=spf1 ip4:0.0.0.0/0 ip6:::/0 ~all'] },
    '_dmarc.outside.example': { TXT: ['v=DMARC1; p=none'] },
  });
  const resolver = createDnsResolver({ servers: () => [dns.server], timeoutMs: 1000, tries: 1 });
  const ctx = await openContext(dir, { hasher: createPasswordHasher({ cost: 'test' }), resolver });
  const agent = createDeliveryAgent({ ...ctx, log: ctx.log.child({ component: 'delivery' }) });
  const refuseAuth = { verify: async () => ({ ok: false as const, reason: 'invalid' as const }) };
  const [mx] = createSmtpListeners(ctx, refuseAuth, { reverseLookup: false, dnsbl: async () => false, agent });
  const port = await mx.start(host, 0);
  let peakRss = process.memoryUsage().rss;
  const cpuAtStart = process.cpuUsage();
  const mainAtStart = mainThreadCpuMs();
  let atPeak: ServerStats['atPeak'] = { heapTotal: 0, heapUsed: 0, external: 0, rssFile: null };
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss <= peakRss) return;
    peakRss = rss;
    const m = process.memoryUsage();
    atPeak = { heapTotal: m.heapTotal / MIB, heapUsed: m.heapUsed / MIB, external: m.external / MIB, rssFile: rssFileMib() };
  }, 50);
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  createInterface({ input: process.stdin }).once('line', async () => {
    clearInterval(sampler);
    const cpu = process.cpuUsage(cpuAtStart);
    const mainAtEnd = mainThreadCpuMs();
    const mainMs = mainAtStart === null || mainAtEnd === null ? null : mainAtEnd - mainAtStart;
    await mx.stop();
    await ctx.close();
    await dns.close();
    const stats: ServerStats = { peakRss, atPeak, cpuMs: (cpu.user + cpu.system) / 1000, systemMs: cpu.system / 1000, mainMs, ...agent.committer.stats() };
    process.stdout.write(`${JSON.stringify(stats)}\n`);
    process.exit(0);
  });
}

/** CPU time (user + system) of this process's main thread so far, from /proc (10 ms ticks); null where there is none. */
function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5); the slice starts at field 3.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

const MIB = 1024 * 1024;

/** The file-backed part of this process's RSS (the node binary's pages, mostly), MiB; null where /proc has none. */
function rssFileMib(): number | null {
  try {
    const match = /RssFile:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** What the peak RSS held, one line. */
function peakLine(stats: ServerStats): string {
  const p = stats.atPeak;
  const file = p.rssFile === null ? '' : `, ${p.rssFile.toFixed(1)} MiB of it file-backed`;
  return `  at the peak RSS (${mb(stats.peakRss)} MiB${file}): main-thread V8 heap ${p.heapUsed.toFixed(1)} used of ${p.heapTotal.toFixed(1)} MiB, external ${p.external.toFixed(1)} MiB`;
}

/** "x.xx ms (main thread m.mm, kernel k.kk)" per message. */
function cpuPerMessage(stats: ServerStats, n: number): string {
  const main = stats.mainMs === null ? '' : `main thread ${(stats.mainMs / n).toFixed(2)}, `;
  return `${(stats.cpuMs / n).toFixed(2)} ms (${main}kernel ${(stats.systemMs / n).toFixed(2)})`;
}

/** A data folder with the recipient's domain and account, and a connection limit that fits. */
async function prepare(concurrency: number, limits: SettingsPatch['limits'] = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-bench-smtp-'));
  const setup = await openContext(dir, { hasher: createPasswordHasher({ cost: 'test' }) });
  const admin = createAdminApi({ store: setup.store, settingsCache: setup.settingsCache, credentials: setup.credentials, clock: setup.clock, bus: setup.bus, log: setup.log, status: () => ({ version: 'bench', startedAt: 0, listeners: {} }) });
  const milters = values.milter ? [{ name: 'bench', endpoint: values.milter, listeners: ['mx' as const], timeoutMs: 30_000, contentTimeoutMs: 300_000, defaultAction: 'tempfail' as const }] : [];
  await admin.updateSettings({ hostname: 'mx.bench.example', limits: { maxConnectionsPerIp: concurrency + 4, ...limits }, milters });
  await admin.addDomain({ name: 'bench.example' });
  await admin.addAccount({ address: RECIPIENT, password: 'bench-password' });
  await setup.close();
  return dir;
}

interface RunningServer {
  port: number;
  /** Stops the child and returns its figures. */
  stop(): Promise<ServerStats>;
}

async function startServer(dir: string, host: string): Promise<RunningServer> {
  const profile = values.profile ? ['--cpu-prof', '--cpu-prof-dir', values.profile] : [];
  // The heap tuning `mailroom serve` runs with (server/heap.ts), on before the server's modules load.
  const heap = ['--import', new URL('../server/host/heap.js', import.meta.url).href];
  const child = spawn(process.execPath, [...heap, ...profile, fileURLToPath(import.meta.url), '--serve', dir, '--host', host], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const nextLine = () => new Promise<string>((resolve) => lines.once('line', resolve));
  const { port } = JSON.parse(await nextLine()) as { port: number };
  return {
    port,
    async stop() {
      child.stdin.write('stats\n');
      const stats = JSON.parse(await nextLine()) as ServerStats;
      await new Promise((resolve) => child.once('exit', resolve));
      return stats;
    },
  };
}

/** How many messages the store holds for the bench recipient (what was committed). */
async function storedCount(dir: string): Promise<number> {
  const check = await openContext(dir);
  try {
    const account = await check.store.accounts.require('inbox', 'bench.example');
    return await check.store.messages.count((await check.store.mailboxes.require(account.id, 'INBOX')).id);
  } finally {
    await check.close();
  }
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function nodeClient(n: number, size: number, concurrency: number) {
  const dir = await prepare(concurrency);
  try {
    const server = await startServer(dir, '127.0.0.1');
    const body = 'x'.repeat(76) + '\r\n';
    const header = (i: number) => `From: <${SENDER}>\r\nTo: <${RECIPIENT}>\r\nSubject: bench ${i}\r\nMessage-ID: <bench-${i}@outside.example>\r\n\r\n`;
    const raw = (i: number) => {
      const h = header(i);
      return h + body.repeat(Math.max(0, Math.ceil((size - h.length) / body.length)));
    };
    const transport = createTransport({ host: '127.0.0.1', port: server.port, pool: true, maxConnections: concurrency, maxMessages: Infinity, ignoreTLS: true, name: 'bench.client' });
    const started = performance.now();
    let sent = 0;
    const worker = async () => {
      while (sent < n) {
        const i = sent++;
        await transport.sendMail({ envelope: { from: SENDER, to: [RECIPIENT] }, raw: raw(i) });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    transport.close();
    const stats = await server.stop();
    const stored = await storedCount(dir);
    if (stored !== n) throw new Error(`expected ${n} stored messages, found ${stored}`);
    console.log(`smtp ingest: ${n} messages x ${size} bytes, concurrency ${concurrency}, all ${stored} stored`);
    console.log(`  ${(n / seconds).toFixed(0)} messages/s, ${mb((n * size) / seconds)} MiB/s, ${seconds.toFixed(2)} s`);
    console.log(`  server CPU ${cpuPerMessage(stats, n)} per message; peak RSS ${mb(stats.peakRss)} MiB; ${stats.batches} commits for ${stats.deliveries} deliveries (largest batch ${stats.largestBatch})`);
    console.log(peakLine(stats));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The figures of issue 13 (Postfix 3.7 + Dovecot 2.3, same machine), msg/s; null where not measured. */
const REFERENCE: Record<string, number | null> = { '4096/1': 300, '4096/10': 258, '4096/50': 279, '102400/10': 229 };

/** This host's first non-loopback IPv4 address: connections to it come from it, an untrusted client. */
function untrustedAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  throw new Error('no non-loopback IPv4 address on this host: the smtp-source mode needs one so the client is untrusted');
}

/** Runs smtp-source to the end; its wall time in seconds (it exits once every message got its reply). */
async function runSmtpSource(host: string, port: number, n: number, size: number, sessions: number): Promise<number> {
  const args = ['-s', String(sessions), '-m', String(n), '-l', String(size), '-f', SENDER, '-t', RECIPIENT, '-M', 'client.outside.example', `${host}:${port}`];
  const started = performance.now();
  const child = spawn(SMTP_SOURCE, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`smtp-source exited with ${code}: ${stderr.trim()}`);
  return (performance.now() - started) / 1000;
}

/** smtp-sink on an ephemeral-ish port of `host` (it takes no port 0); stopped by the caller. */
async function startSink(host: string): Promise<{ port: number; child: ChildProcess }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  // As root smtp-sink insists on dropping privileges to a named user.
  const user = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
  const child = spawn(SMTP_SINK, [...user, `${host}:${port}`, '256'], { stdio: ['ignore', 'ignore', 'inherit'] });
  await new Promise((resolve) => setTimeout(resolve, 300));
  if (child.exitCode !== null) throw new Error(`smtp-sink did not start on ${host}:${port}`);
  return { port, child };
}

async function smtpSourceMatrix(nGiven: number | null) {
  for (const tool of [SMTP_SOURCE, SMTP_SINK]) {
    if (!existsSync(tool)) {
      throw new Error(`${tool} not found: install Postfix's tools with \`DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postfix\` (and leave the postfix service stopped)`);
    }
  }
  const host = untrustedAddress();
  const cases: Array<[size: number, sessions: number]> = [
    [4096, 1],
    [4096, 10],
    [4096, 50],
    [102400, 1],
    [102400, 10],
    [102400, 50],
  ];
  console.log(`smtp-source → Mailroom MX on ${host} (untrusted client, inbound SPF/DKIM/DMARC against a fake DNS), one connection per message`);
  console.log('| Size | Sessions | Messages | Mailroom msg/s (committed) | Reference msg/s | smtp-sink msg/s | Mailroom / sink | Server CPU per message (main thread, kernel) | Server peak RSS | Commits |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const chosen = values.case ? cases.filter(([size, sessions]) => values.case?.includes(`${size}/${sessions}`)) : cases;
  for (const [size, sessions] of chosen) {
    const n = nGiven ?? (size > 10_000 ? 1000 : 3000);
    const dir = await prepare(sessions);
    try {
      const server = await startServer(dir, host);
      const seconds = await runSmtpSource(host, server.port, n, size, sessions);
      const stats = await server.stop();
      const stored = await storedCount(dir);
      if (stored !== n) throw new Error(`expected ${n} stored messages, found ${stored}`);
      const sink = await startSink(host);
      const sinkSeconds = await runSmtpSource(host, sink.port, n, size, sessions).finally(() => sink.child.kill());
      const rate = n / seconds;
      const sinkRate = n / sinkSeconds;
      const reference = REFERENCE[`${size}/${sessions}`];
      console.log(
        `| ${size / 1024} KiB | ${sessions} | ${n} | **${rate.toFixed(0)}** | ${reference ?? '—'} | ${sinkRate.toFixed(0)} | ${((100 * rate) / sinkRate).toFixed(0)} % | ${cpuPerMessage(stats, n)} | ${mb(stats.peakRss)} MiB | ${stats.batches} (largest ${stats.largestBatch}) |`,
      );
      console.log(peakLine(stats));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** Peak server RSS for 50 × 25 MiB concurrent DATA, then for 1,000 idle connections. */
async function memory() {
  const MIB = 1024 * 1024;
  const big = async (connections: number, mib: number) => {
    const dir = await prepare(connections, { maxMessageBytes: (mib + 1) * MIB });
    try {
      const server = await startServer(dir, '127.0.0.1');
      const line = Buffer.from(`${'x'.repeat(1022)}\r\n`);
      const chunk = Buffer.concat(Array.from({ length: 64 }, () => line));
      const started = performance.now();
      await Promise.all(
        Array.from({ length: connections }, async (_, i) => {
          const { client } = await SmtpClient.open(server.port, { from: '127.0.0.1' });
          await client.ehlo();
          await client.send(`MAIL FROM:<${SENDER}>`);
          await client.send(`RCPT TO:<${RECIPIENT}>`);
          if ((await client.send('DATA')).code !== 354) throw new Error('DATA refused');
          client.write(`From: <${SENDER}>\r\nSubject: big ${i}\r\n\r\n`);
          await client.writeRepeated(chunk, (mib * MIB) / chunk.length);
          client.write('.\r\n');
          // Spilled messages are delivered one at a time: the last waits for all the others.
          const reply = await client.next(3600_000);
          if (reply.code !== 250) throw new Error(`message ${i}: ${reply.code} ${reply.text}`);
          client.close();
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const stats = await server.stop();
      const stored = await storedCount(dir);
      if (stored !== connections) throw new Error(`expected ${connections} stored, found ${stored}`);
      console.log(`${connections} x ${mib} MiB concurrent DATA, all stored: server peak RSS ${mb(stats.peakRss)} MiB (${seconds.toFixed(1)} s)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const idle = async (connections: number) => {
    const dir = await prepare(connections, { maxSmtpConnections: connections + 10 });
    try {
      const server = await startServer(dir, '127.0.0.1');
      const clients: SmtpClient[] = [];
      for (let i = 0; i < connections; i++) {
        const { client } = await SmtpClient.open(server.port, { from: '127.0.0.1' });
        await client.ehlo();
        clients.push(client);
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const stats = await server.stop();
      for (const c of clients) c.close();
      console.log(`${connections} idle connections (after EHLO): server peak RSS ${mb(stats.peakRss)} MiB`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  await big(Number(values.n ?? 50), 25);
  await idle(1000);
}

if (values.serve) await serve(values.serve, values.host);
else if (values.tool === 'memory') await memory();
else if (values.tool === 'smtp-source') await smtpSourceMatrix(values.n === undefined ? null : Number(values.n));
else await nodeClient(Number(values.n ?? 2000), Number(values.size), Number(values.concurrency));
