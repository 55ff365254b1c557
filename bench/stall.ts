// Benchmark: how long one heavy IMAP command holds everyone else up (issue 20). Fills one INBOX
// (100,000 messages; 30,000 with --quick), starts the IMAP and SMTP (MX) listeners in a child process,
// and runs each heavy command in one session while a second user's session loops NOOP and a third
// client keeps opening SMTP connections (time to the 220 greeting). For each command it prints the
// command's own time and the p50 / p99 / max latency of the NOOPs and greetings that overlapped it.
// Probes pause PROBE_GAP_MS between tries, as a polling client would.
// Run: npx tsc -p tsconfig.json && node dist/bench/stall.js [--quick] [--messages N] [--runs 3]
//      [--pool N: the server's read workers (0 = none; default one per core)] [--only <regexp>]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createPasswordHasher } from '../server/auth/password-hash.js';
import { createImapListeners } from '../server/imap/server.js';
import { openContext } from '../server/index.js';
import { createSmtpListeners } from '../server/smtp/index.js';
import { BENCH_DOMAIN, BENCH_PASSWORD, fillMailbox } from './fill-mailbox.js';
import { BenchClient } from './imap-client.js';
import { PROBE_GAP_MS, noopSession, percentiles, probeLoop, sleep, smtpGreeting } from './probes.js';

const IDLE_MS = 1000;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    messages: { type: 'string' },
    runs: { type: 'string', default: '3' },
    only: { type: 'string' },
    pool: { type: 'string' },
    serve: { type: 'string' },
  },
});
const only = values.only === undefined ? null : new RegExp(values.only, 'i');

/**
 * Child: IMAP and SMTP listeners over `dir`; prints their ports, its peak RSS since the last ask for
 * each line read, and its overall peak RSS when stdin closes (the parent is done or gone).
 */
async function serve(dir: string) {
  const ctx = await openContext(dir, { hasher: createPasswordHasher({ cost: 'test' }), ...(values.pool !== undefined && { readWorkers: Number(values.pool) }) }, (line) => {
    // Server errors would make the figures meaningless: show them.
    if (/ (error|warn) /.test(line)) process.stderr.write(`${line}\n`);
  });
  const [imap] = createImapListeners(ctx);
  const refuseAuth = { verify: async () => ({ ok: false as const, reason: 'invalid' as const }) };
  const [mx] = createSmtpListeners(ctx, refuseAuth, { reverseLookup: false, dnsbl: async () => false });
  const ports = { imap: await imap.start('127.0.0.1', 0), smtp: await mx.start('127.0.0.1', 0) };
  // Peak RSS (and the main thread's V8 heap at that moment) since the last report: each step's share.
  let peak = { rss: 0, heap: 0 };
  let overall = 0;
  const sample = () => {
    const rss = process.memoryUsage.rss();
    if (rss > peak.rss) peak = { rss, heap: process.memoryUsage().heapUsed };
    overall = Math.max(overall, rss);
  };
  const sampler = setInterval(sample, 50);
  process.stdout.write(`${JSON.stringify(ports)}\n`);
  const input = createInterface({ input: process.stdin });
  input.on('line', () => {
    sample();
    process.stdout.write(`${JSON.stringify(peak)}\n`);
    peak = { rss: 0, heap: 0 };
  });
  input.once('close', async () => {
    clearInterval(sampler);
    await imap.stop();
    await mx.stop();
    await ctx.close();
    process.stdout.write(`${JSON.stringify({ peakRss: overall })}\n`);
    process.exit(0);
  });
}

interface Step {
  name: string;
  /** The commands timed, in order, each run as one measured command. */
  commands: string[];
  /** Commands to run before (not measured). */
  before?: string[];
  once?: boolean;
}

async function drive(messages: number, runs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-bench-stall-'));
  try {
    const fillStart = performance.now();
    await fillMailbox(dir, { accounts: ['inbox', 'other'], messages, hash: 'test', settings: { limits: { maxConnectionsPerIp: 50 }, allowPlaintextAuthFromTrusted: true } });
    const fillMs = performance.now() - fillStart;
    const poolArgs = values.pool === undefined ? [] : ['--pool', values.pool];
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', dir, ...poolArgs], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout });
    const nextLine = () => new Promise<string>((resolve) => lines.once('line', resolve));
    const ports = JSON.parse(await nextLine()) as { imap: number; smtp: number };

    const heavy = await BenchClient.open(ports.imap);
    await heavy.ok(`LOGIN inbox@${BENCH_DOMAIN} "${BENCH_PASSWORD}"`);
    await heavy.ok('SELECT INBOX');
    const { client: other, noop } = await noopSession(ports.imap);

    const steps: Step[] = [
      { name: 'idle (no heavy command)', commands: [] },
      { name: 'SELECT INBOX', commands: ['SELECT INBOX'] },
      { name: 'SEARCH BODY "zebra"', commands: ['SEARCH BODY "zebra"'] },
      { name: 'SEARCH TEXT "xyzzy" (no match)', commands: ['SEARCH TEXT "xyzzy"'] },
      { name: 'SEARCH HEADER Subject "quarterly" (first: fills the header cache)', commands: ['SEARCH HEADER Subject "quarterly"'], once: true },
      { name: 'SEARCH HEADER Subject "quarterly"', commands: ['SEARCH HEADER Subject "quarterly"'] },
      { name: 'SEARCH FROM "sender7@"', commands: ['SEARCH FROM "sender7@"'] },
      { name: 'SEARCH UNSEEN', commands: ['SEARCH UNSEEN'] },
      { name: 'FETCH 1:* (ENVELOPE)', commands: ['FETCH 1:* (ENVELOPE)'] },
      { name: 'FETCH 1:* (UID FLAGS)', commands: ['FETCH 1:* (UID FLAGS)'] },
      { name: 'STORE 1:* +FLAGS / -FLAGS (\\Flagged)', commands: ['STORE 1:* +FLAGS (\\Flagged)', 'STORE 1:* -FLAGS (\\Flagged)'] },
      { name: 'STATUS INBOX (MESSAGES UNSEEN UIDNEXT)', commands: ['STATUS INBOX (MESSAGES UNSEEN UIDNEXT)'] },
      { name: 'COPY 1:* Archive', commands: ['COPY 1:* Archive'], once: true },
      { name: 'EXPUNGE (all of Archive, \\Deleted set before)', before: ['SELECT Archive', 'STORE 1:* +FLAGS.SILENT (\\Deleted)'], commands: ['EXPUNGE'], once: true },
      { name: 'MOVE 1:* Archive', before: ['SELECT INBOX'], commands: ['MOVE 1:* Archive'], once: true },
    ];

    console.log(`stall bench: ${messages} messages in INBOX (filled in ${(fillMs / 1000).toFixed(1)} s)${values.pool ? `, read workers ${values.pool}` : ''}; ${runs} runs per command unless marked once`);
    console.log(`latency in ms: p50 p99 max (samples); probes pause ${PROBE_GAP_MS} ms between tries`);
    console.log(`${'heavy command'.padEnd(66)} ${'its time (max)'.padStart(14)} | ${'other user NOOP'.padEnd(34)} | ${'new SMTP connection: 220 greeting'.padEnd(34)} | peak RSS (main heap) MiB`);
    const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
    const stepPeak = async () => {
      child.stdin.write('\n');
      const { rss, heap } = JSON.parse(await nextLine()) as { rss: number; heap: number };
      return `${mib(rss).padStart(5)} (${mib(heap)})`;
    };
    await stepPeak();
    for (const step of steps) {
      if (only !== null && !only.test(step.name)) continue;
      for (const command of step.before ?? []) await heavy.ok(command);
      const noops = probeLoop(noop);
      const greetings = probeLoop(() => smtpGreeting(ports.smtp));
      let longest = 0;
      if (step.commands.length === 0) await sleep(IDLE_MS);
      for (let run = 0; run < (step.once ? 1 : runs); run++) {
        for (const command of step.commands) {
          const t = performance.now();
          await heavy.ok(command);
          longest = Math.max(longest, performance.now() - t);
        }
      }
      const [n, g] = (await Promise.all([noops.stop(), greetings.stop()])).map((samples) => samples.map((x) => x.ms));
      console.log(`${step.name.padEnd(66)} ${(step.commands.length ? `${longest.toFixed(0)} ms` : '').padStart(14)} | ${percentiles(n)} | ${percentiles(g)} | ${await stepPeak()}`);
    }
    await heavy.close();
    await other.close();
    child.stdin.end();
    const { peakRss } = JSON.parse(await nextLine()) as { peakRss: number };
    await new Promise((resolve) => child.once('exit', resolve));
    console.log(`server peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (values.serve) await serve(values.serve);
else await drive(Number(values.messages ?? (values.quick ? 30_000 : 100_000)), Number(values.runs));
