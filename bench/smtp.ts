// Benchmark: SMTP ingest end to end. N messages of S bytes are sent over C concurrent connections to
// the MX listener (local recipient, so each message is accepted, described, and committed with
// synchronous=FULL before its 250), then the store is checked to hold all N. The server runs in a
// child process so the client's CPU does not count against it; the child reports its peak RSS and
// how the group committer batched the commits.
// Run: npx tsc -p tsconfig.json && node dist/bench/smtp.js [--n 2000] [--size 4096] [--concurrency 16]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
import { createSmtpListeners } from '../server/smtp/index.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    size: { type: 'string', default: '4096' },
    concurrency: { type: 'string', default: '16' },
    serve: { type: 'string' },
  },
});

if (values.serve) await serve(values.serve);
else await drive(Number(values.n), Number(values.size), Number(values.concurrency));

/** Child: the MX listener over `dir`; prints its port, then its figures when stdin says `stats`. */
async function serve(dir: string) {
  const ctx = await openContext(dir, { hasher: createPasswordHasher({ cost: 'test' }) });
  const agent = createDeliveryAgent({ store: ctx.store, bus: ctx.bus, log: ctx.log.child({ component: 'delivery' }), clock: ctx.clock });
  const refuseAuth = { verify: async () => ({ ok: false as const, reason: 'invalid' as const }) };
  const [mx] = createSmtpListeners(ctx, refuseAuth, { reverseLookup: false, dnsbl: async () => false, agent });
  const port = await mx.start('127.0.0.1', 0);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  createInterface({ input: process.stdin }).once('line', async () => {
    clearInterval(sampler);
    await mx.stop();
    await ctx.close();
    process.stdout.write(`${JSON.stringify({ peakRss, ...agent.committer.stats() })}\n`);
    process.exit(0);
  });
}

/** Parent: sets up the data folder, starts the child, sends, and prints the figures. */
async function drive(n: number, size: number, concurrency: number) {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-bench-smtp-'));
  try {
    const setup = await openContext(dir, { hasher: createPasswordHasher({ cost: 'test' }) });
    const admin = createAdminApi({ store: setup.store, settingsCache: setup.settingsCache, credentials: setup.credentials, clock: setup.clock, bus: setup.bus, log: setup.log, status: () => ({ version: 'bench', startedAt: 0, listeners: {} }) });
    await admin.updateSettings({ limits: { maxConnectionsPerIp: concurrency + 4 } });
    await admin.addDomain({ name: 'bench.example' });
    await admin.addAccount({ address: 'inbox@bench.example', password: 'bench-password' });
    await setup.close();

    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', dir], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout });
    const nextLine = () => new Promise<string>((resolve) => lines.once('line', resolve));
    const { port } = JSON.parse(await nextLine()) as { port: number };

    const body = 'x'.repeat(76) + '\r\n';
    const header = (i: number) => `From: <sender@outside.example>\r\nTo: <inbox@bench.example>\r\nSubject: bench ${i}\r\nMessage-ID: <bench-${i}@outside.example>\r\n\r\n`;
    const raw = (i: number) => {
      const h = header(i);
      return h + body.repeat(Math.max(0, Math.ceil((size - h.length) / body.length)));
    };
    const transport = createTransport({ host: '127.0.0.1', port, pool: true, maxConnections: concurrency, maxMessages: Infinity, ignoreTLS: true, name: 'bench.client' });
    const started = performance.now();
    let sent = 0;
    const worker = async () => {
      while (sent < n) {
        const i = sent++;
        await transport.sendMail({ envelope: { from: 'sender@outside.example', to: ['inbox@bench.example'] }, raw: raw(i) });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    transport.close();

    child.stdin.write('stats\n');
    const stats = JSON.parse(await nextLine()) as { peakRss: number; batches: number; deliveries: number; largestBatch: number };
    await new Promise((resolve) => child.once('exit', resolve));

    const check = await openContext(dir);
    const account = await check.store.accounts.require('inbox', 'bench.example');
    const stored = await check.store.messages.count((await check.store.mailboxes.require(account.id, 'INBOX')).id);
    await check.close();
    if (stored !== n) throw new Error(`expected ${n} stored messages, found ${stored}`);

    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    console.log(`smtp ingest: ${n} messages x ${size} bytes, concurrency ${concurrency}, all ${stored} stored`);
    console.log(`  ${(n / seconds).toFixed(0)} messages/s, ${mb((n * size) / seconds)} MiB/s, ${seconds.toFixed(2)} s`);
    console.log(`  server peak RSS ${mb(stats.peakRss)} MiB; ${stats.batches} commits for ${stats.deliveries} deliveries (largest batch ${stats.largestBatch})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
