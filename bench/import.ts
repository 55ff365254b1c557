// Benchmark: importing a Maildir (issue 12: ≥ 2,000 msg/s, peak RSS ≤ 250 MiB for 100,000 messages).
// Writes a synthetic Maildir++ (100,000 messages, 10,000 with --quick; 4–100 KiB: 60 % 4–10 KiB,
// 30 % 10–40 KiB, 10 % 40–100 KiB; INBOX 70 %, .Sent and .Archive 15 % each; LF line ends, `S=`
// sizes and flags in the names, as Dovecot leaves them), then imports it into a fresh data folder in
// a child process — the same use case `mailroom import maildir --user` runs — and prints the
// messages per second, MiB per second, that process's peak RSS (its high-water mark, workers included)
// and its CPU time (messages per CPU-second: the figure a loaded machine distorts least).
// Run: npx tsc -p tsconfig.json && node dist/bench/import.js [--quick] [--messages N] [--source DIR (kept, reused)]
// BENCH_CPU_PROF=DIR profiles the import process; BENCH_NODE_FLAGS="--flag ..." starts it with those node/V8 flags.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createImportService } from '../server/admin/services/import.js';
import { createPasswordHasher } from '../server/auth/password-hash.js';
import { openContext } from '../server/index.js';
import { BENCH_DOMAIN, fillMailbox } from './fill-mailbox.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { quick: { type: 'boolean', default: false }, messages: { type: 'string' }, source: { type: 'string' }, child: { type: 'boolean', default: false } },
});

const ADDRESS = `bench@${BENCH_DOMAIN}`;
const FOLDERS = [
  { dir: '', share: 0.7 },
  { dir: '.Sent', share: 0.15 },
  { dir: '.Archive', share: 0.15 },
];

/** A fixed pseudo-random sequence, so every run imports the same Maildir. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function size(r: () => number): number {
  const pick = r();
  const [lo, hi] = pick < 0.6 ? [4, 10] : pick < 0.9 ? [10, 40] : [40, 100];
  return Math.round((lo + (hi - lo) * r()) * 1024);
}

const LINE = 'The quarterly figures are attached; please check the numbers before the meeting on Thursday.\n';

function message(i: number, bytes: number): Buffer {
  const head =
    `Return-Path: <sender${i % 50}@example.org>\nFrom: Sender ${i % 50} <sender${i % 50}@example.org>\nTo: ${ADDRESS}\n` +
    `Subject: Message ${i}\nDate: Tue, 14 May 2024 09:${String(i % 60).padStart(2, '0')}:00 +0200\nMessage-ID: <import-${i}@example.org>\n` +
    'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n';
  const body = LINE.repeat(Math.max(1, Math.ceil((bytes - head.length) / LINE.length)));
  return Buffer.from(head + body);
}

function writeMaildir(root: string, count: number): { bytes: number } {
  const r = random(12);
  let total = 0;
  const counts = FOLDERS.map((f) => Math.round(count * f.share));
  counts[0] += count - counts.reduce((a, b) => a + b, 0);
  let i = 0;
  FOLDERS.forEach((folder, f) => {
    const dir = join(root, folder.dir);
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(dir, sub), { recursive: true });
    if (folder.dir) writeFileSync(join(dir, 'maildirfolder'), '');
    for (let n = 0; n < counts[f]; n++, i++) {
      const bytes = message(i, size(r));
      total += bytes.length;
      const flags = i % 3 === 0 ? '' : i % 7 === 0 ? 'FS' : 'S';
      writeFileSync(join(dir, 'cur', `${1715670000 + i}.M${i}P1.bench,S=${bytes.length}:2,${flags}`), bytes);
    }
  });
  writeFileSync(join(root, 'subscriptions'), 'Sent\nArchive\n');
  return { bytes: total };
}

/** CPU seconds (user + system) of each thread of this process now, by thread id (Linux /proc). */
function threadCpu(): Map<number, { name: string; seconds: number }> {
  const out = new Map<number, { name: string; seconds: number }>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), seconds: (Number(fields[11]) + Number(fields[12])) / 100 });
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** Child: the import itself, alone in its process so its peak RSS is the import's. */
async function child(dataDir: string, maildir: string) {
  const ctx = await openContext(dataDir, { hasher: createPasswordHasher({ cost: 'test' }) });
  const service = createImportService({ store: ctx.store, bus: ctx.bus, log: ctx.log });
  const cpuBefore = process.cpuUsage();
  const threadsBefore = threadCpu();
  let threadsDuring = threadsBefore;
  // Worker threads end with the import: sample their counters while it runs.
  // And the main thread's memory at the process's highest RSS seen.
  let memory = process.memoryUsage();
  let status = '';
  const sampler = setInterval(() => {
    threadsDuring = threadCpu();
    const m = process.memoryUsage();
    if (m.rss > memory.rss) {
      memory = m;
      status = readFileSync('/proc/self/status', 'utf8').match(/^Rss\w+:.*$/gm)?.join(', ').replace(/\s+/g, ' ') ?? '';
    }
  }, 250);
  const started = performance.now();
  const report = await service.maildir({ path: maildir, user: ADDRESS, dryRun: false });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpuBefore);
  // With NODE_OPTIONS=--expose-gc: what the main thread's heap keeps after a full collection (a leak shows here).
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    process.stderr.write(`after the import and a full GC: main thread's V8 heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB used\n`);
  }
  const threadsAfter = threadCpu();
  for (const [tid, t] of threadsAfter) threadsDuring.set(tid, t);
  const threads = [...threadsDuring]
    .map(([tid, t]) => ({ thread: tid === process.pid ? 'main' : `${t.name} ${tid}`, seconds: +(t.seconds - (threadsBefore.get(tid)?.seconds ?? 0)).toFixed(2) }))
    .filter((t) => t.seconds >= 0.05);
  await ctx.close();
  const m = report.mail[0];
  const problems = report.problems.length + m.problems.length + report.plan.conflicts.length;
  process.stdout.write(
    `${JSON.stringify({ messages: m.messages, bytes: m.bytes, folders: m.folders, seconds, maxRssKiB: process.resourceUsage().maxRSS, cpuSeconds: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1e6, importCpuSeconds: (cpu.user + cpu.system) / 1e6, threads, memory, status, problems })}\n`,
  );
}

async function main() {
  const count = Number(values.messages ?? (values.quick ? 10_000 : 100_000));
  const work = mkdtempSync(join(tmpdir(), 'mailroom-bench-import-'));
  const source = values.source ?? join(work, 'Maildir');
  try {
    if (!existsSync(join(source, 'cur'))) {
      const t = performance.now();
      const { bytes } = writeMaildir(source, count);
      console.log(`wrote ${count} messages (${(bytes / 2 ** 20).toFixed(0)} MiB) to ${source} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    } else console.log(`reusing the Maildir at ${source}`);
    const dataDir = join(work, 'data');
    await fillMailbox(dataDir, { accounts: ['bench'], messages: 0, hash: 'test' });
    console.log(`load average before the import: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (${process.env.HOSTNAME ?? ''})`);
    const out = await new Promise<string>((resolve, reject) => {
      const proc = spawn(process.execPath, [...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []), fileURLToPath(import.meta.url), '--child', dataDir, source], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      proc.stdout.on('data', (d: Buffer) => (text += d.toString()));
      proc.on('error', reject);
      proc.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`the import exited with ${code}`))));
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as {
      messages: number;
      bytes: number;
      folders: number;
      seconds: number;
      maxRssKiB: number;
      cpuSeconds: number;
      importCpuSeconds: number;
      threads: Array<{ thread: string; seconds: number }>;
      memory: NodeJS.MemoryUsage;
      status: string;
      problems: number;
    };
    console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(
      `imported ${r.messages} messages in ${r.folders} folders (${(r.bytes / 2 ** 20).toFixed(0)} MiB) in ${r.seconds.toFixed(1)} s: ` +
        `${Math.round(r.messages / r.seconds)} msg/s, ${(r.bytes / 2 ** 20 / r.seconds).toFixed(1)} MiB/s; peak RSS ${(r.maxRssKiB / 1024).toFixed(0)} MiB; problems ${r.problems}`,
    );
    console.log(
      `CPU time of the import process (all threads, start-up included): ${r.cpuSeconds.toFixed(1)} s = ${Math.round(r.messages / r.cpuSeconds)} msg per CPU-second`,
    );
    console.log(
      `CPU time of the import alone (all threads): ${r.importCpuSeconds.toFixed(1)} s = ${Math.round(r.messages / r.importCpuSeconds)} msg per CPU-second; ` +
        `by thread (s): ${r.threads.map((t) => `${t.thread} ${t.seconds}`).join(', ')}`,
    );
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
    console.log(
      `at the highest RSS sampled (${mib(r.memory.rss)}): main thread's V8 heap ${mib(r.memory.heapUsed)} used of ${mib(r.memory.heapTotal)}, ` +
        `external ${mib(r.memory.external)} (array buffers ${mib(r.memory.arrayBuffers)}); ${r.status}`,
    );
    const busiest = Math.max(...r.threads.map((t) => t.seconds));
    console.log(`the busiest thread's CPU time per message: ${((busiest / r.messages) * 1e6).toFixed(0)} µs (one core each: at most ${Math.round(r.messages / busiest)} msg/s)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (values.child) await child(positionals[0], positionals[1]);
else await main();
