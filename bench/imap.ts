// Benchmark: IMAP operations on a large mailbox. Fills one INBOX with M messages (stored as delivery
// stores them: CRLF, ENVELOPE/BODYSTRUCTURE/part tree cached), starts the IMAP listener in a child
// process (so the client's CPU does not count against it), and times over a raw socket:
// LOGIN, SELECT, FETCH 1:* (UID FLAGS ENVELOPE), 100 random UID FETCH BODY.PEEK[] (one command each),
// SEARCH by header text and by body text, STORE +FLAGS / -FLAGS on 1:*, and K concurrent clients.
// Each figure is the median of RUNS runs after one warm-up run; the warm-up of SEARCH HEADER is
// printed too, because it fills the header cache (migrations/0002) for every message.
// Run: npx tsc -p tsconfig.json && node dist/bench/imap.js [--messages 10000] [--clients 10] [--hash test|default]
//      [--pool N: the server's read workers (default one per core)]
//      [--data DIR: fill DIR once and reuse it in later runs (same --messages), instead of a temp folder]
// Each phase also prints the server's CPU time per run (all threads, and the main thread alone: what
// holds up other sessions; both independent of the machine's load), its CPU time over its wall time (1.0 = one core busy; the writer and
// read workers are threads of the same process) and each core's busy share of the whole machine (other
// processes included); the server's peak RSS is printed at the end.
// Profiling: [--only <regexp of operation names>] [--runs N] [--profile <dir>] (the child runs with
// node --cpu-prof and writes its profile to <dir> when it exits) [--wrap 'heaptrack -o FILE': the child
// runs under that command; the CPU and RSS figures are then the wrapper's].
// Then the operations of issue 17's comparison — LOGIN+SELECT, FETCH 1:* (UID FLAGS), SORT (ARRIVAL,
// DATE, SUBJECT, FROM), THREAD=REFERENCES, ESEARCH COUNT, SEARCH BODY and TEXT for a word in 1 % of the
// messages — with [--dovecot] also against Dovecot 2.3 (bench/imap-dovecot.ts: maildir, no FTS plugin,
// the same messages), the two servers' runs alternating so both see the same load; the first (cold) run
// of each is printed apart: it fills Dovecot's cache file and Mailroom's header cache.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createPasswordHasher } from '../server/auth/password-hash.js';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../server/host/data-dir.js';
import { createImapListeners } from '../server/imap/server.js';
import { openContext } from '../server/index.js';
import { BENCH_DOMAIN, BENCH_PASSWORD, fillMailbox } from './fill-mailbox.js';
import { BenchClient } from './imap-client.js';
import { startBenchDovecot, type BenchDovecot } from './imap-dovecot.js';

const RANDOM_BODIES = 100;
const ADDRESS = `inbox@${BENCH_DOMAIN}`;
const PASSWORD = BENCH_PASSWORD;

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '10000' },
    clients: { type: 'string', default: '10' },
    hash: { type: 'string', default: 'test' },
    serve: { type: 'string' },
    only: { type: 'string' },
    runs: { type: 'string', default: '7' },
    profile: { type: 'string' },
    pool: { type: 'string' },
    data: { type: 'string' },
    dovecot: { type: 'boolean', default: false },
    wrap: { type: 'string' },
  },
});
const RUNS = Number(values.runs);
const only = values.only === undefined ? null : new RegExp(values.only, 'i');
const cost = values.hash === 'default' ? 'default' : 'test';

/** Child: the IMAP listener over `dir`; prints its port; exits when stdin closes or says anything. */
async function serve(dir: string) {
  const ctx = await openContext(dir, { hasher: createPasswordHasher({ cost }), ...(values.pool !== undefined && { readWorkers: Number(values.pool) }) });
  const [imap] = createImapListeners(ctx);
  const port = await imap.start('127.0.0.1', 0);
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  createInterface({ input: process.stdin }).once('close', async () => {
    await imap.stop();
    await ctx.close();
    // maxRSS: the peak resident set of the whole process (all threads), in KiB.
    process.stdout.write(`${JSON.stringify({ peakRss: process.resourceUsage().maxRSS * 1024 })}\n`);
    process.exit(0);
  });
}

/** Clock ticks (USER_HZ, 100 on Linux) of each core: [busy, total]. */
function coreTicks(): Array<[number, number]> {
  return readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .filter((l) => /^cpu\d/.test(l))
    .map((l) => {
      const [user, nice, system, idle, iowait, irq, softirq, steal] = l.split(/\s+/).slice(1).map(Number);
      const busy = user + nice + system + irq + softirq + steal;
      return [busy, busy + idle + iowait];
    });
}

/** CPU seconds (user + system, every thread) the process `pid` has used; `thread`: its main thread only. */
function processCpuSeconds(pid: number, thread = false): number {
  const fields = readFileSync(thread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Parent: fills the data folder, starts the child, times, prints. */
async function drive(messages: number, clients: number) {
  const kept = values.data;
  const dir = kept ?? mkdtempSync(join(tmpdir(), 'mailroom-bench-imap-'));
  // A kept folder is filled once: the marker names the message count it holds.
  const marker = join(dir, 'bench-filled');
  try {
    const fillStart = performance.now();
    const filled = kept !== undefined && existsSync(marker) && readFileSync(marker, 'utf8') === String(messages);
    if (!filled) {
      if (kept !== undefined) rmSync(kept, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      await fillMailbox(dir, { accounts: ['inbox'], messages, hash: cost, settings: { limits: { maxConnectionsPerIp: clients + 4 }, allowPlaintextAuthFromTrusted: true } });
      if (kept !== undefined) writeFileSync(marker, String(messages));
    }
    const fillMs = filled ? NaN : performance.now() - fillStart;

    const poolArgs = values.pool === undefined ? [] : ['--pool', values.pool];
    // The heap tuning `mailroom serve` runs with (server/heap.ts), on before the server's modules load.
    const heap = ['--import', new URL('../server/host/heap.js', import.meta.url).href];
    const profile = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
    // --wrap 'heaptrack -o FILE': the child runs under that command (its CPU and RSS figures are then the wrapper's).
    const command = [...(values.wrap?.split(' ').filter(Boolean) ?? []), process.execPath, ...heap, ...profile, fileURLToPath(import.meta.url), '--serve', dir, '--hash', cost, ...poolArgs];
    const child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout });
    // The child's JSON lines (a --wrap command may print lines of its own).
    const nextJson = () =>
      new Promise<string>((resolve) => {
        const take = (line: string) => {
          if (!line.startsWith('{')) return;
          lines.off('line', take);
          resolve(line);
        };
        lines.on('line', take);
      });
    const { port } = JSON.parse(await nextJson()) as { port: number };

    const loadAtStart = loadavg()[0];
    const figures: Array<[string, number, string, string]> = [];
    /** The server's peak RSS so far (VmHWM), MiB: printed per phase, so the phase that raised it shows. */
    const peakSoFar = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    const time = async (name: string, target: string, run: () => Promise<unknown>, warmups = 1): Promise<number[]> => {
      const warm: number[] = [];
      if (only !== null && !only.test(name)) return [NaN];
      for (let i = 0; i < warmups; i++) {
        const t = performance.now();
        await run();
        warm.push(performance.now() - t);
      }
      const times: number[] = [];
      const [cores, cpu, mainCpu, start] = [coreTicks(), processCpuSeconds(child.pid!), processCpuSeconds(child.pid!, true), performance.now()];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await run();
        times.push(performance.now() - t);
      }
      const wall = (performance.now() - start) / 1000;
      const server = (processCpuSeconds(child.pid!) - cpu) / wall;
      // CPU time per run, whatever the machine's load: all threads, and the event loop's thread alone.
      const perRun = (seconds: number) => `${((seconds * 1000) / RUNS).toFixed(0)} ms`;
      const cpuPerRun = `CPU per run ${perRun(processCpuSeconds(child.pid!) - cpu)} (main thread ${perRun(processCpuSeconds(child.pid!, true) - mainCpu)})`;
      const perCore = coreTicks().map(([busy, total], i) => `${((100 * (busy - cores[i][0])) / Math.max(1, total - cores[i][1])).toFixed(0)}%`);
      figures.push([name, median(times), target, `${cpuPerRun}, server ${server.toFixed(2)} cores, machine ${perCore.join('/')}, peak RSS so far ${peakSoFar().toFixed(0)} MiB`]);
      return warm;
    };

    let session: BenchClient | null = null;
    await time('LOGIN (scrypt ' + cost + ' cost)', '', async () => {
      const c = await BenchClient.open(port);
      await c.ok(`LOGIN ${ADDRESS} "${PASSWORD}"`);
      await c.close();
    });
    await time('LOGIN + SELECT', '29 ms', async () => {
      const c = await BenchClient.open(port);
      await c.ok(`LOGIN ${ADDRESS} "${PASSWORD}"`);
      await c.ok('SELECT INBOX');
      await c.close();
    });
    session = await BenchClient.open(port);
    const c = session;
    await c.ok(`LOGIN ${ADDRESS} "${PASSWORD}"`);
    await c.ok('SELECT INBOX');
    await time('SELECT INBOX', '', () => c.ok('SELECT INBOX'));
    let fetchBytes = 0;
    await time('FETCH 1:* (UID FLAGS ENVELOPE)', '84 ms', async () => (fetchBytes = await c.ok('FETCH 1:* (UID FLAGS ENVELOPE)')));
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % messages;
    await time(`${RANDOM_BODIES} random UID FETCH BODY.PEEK[]`, '24 ms', async () => {
      for (let i = 0; i < RANDOM_BODIES; i++) await c.ok(`UID FETCH ${random() + 1} BODY.PEEK[]`);
    });
    const [coldHeader] = await time('SEARCH HEADER Subject "quarterly"', '21 ms', () => c.ok('SEARCH HEADER Subject "quarterly"'));
    await time('SEARCH FROM "sender7@"', '', () => c.ok('SEARCH FROM "sender7@"'));
    await time('SEARCH BODY "zebra"', '', () => c.ok('SEARCH BODY "zebra"'));
    let flip = false;
    await time('STORE 1:* +FLAGS/-FLAGS (\\Flagged)', '156 ms', async () => {
      flip = !flip;
      await c.ok(`STORE 1:* ${flip ? '+' : '-'}FLAGS (\\Flagged)`);
    });
    await c.close();

    await time(`${clients} concurrent clients: LOGIN, EXAMINE, FETCH 1:* (UID FLAGS), SEARCH FROM, 20 BODY[] each`, '', async () => {
      await Promise.all(
        Array.from({ length: clients }, async (_, k) => {
          const client = await BenchClient.open(port);
          await client.ok(`LOGIN ${ADDRESS} "${PASSWORD}"`);
          await client.ok('EXAMINE INBOX');
          await client.ok('FETCH 1:* (UID FLAGS)');
          await client.ok(`SEARCH FROM "sender${k}@"`);
          for (let i = 0; i < 20; i++) await client.ok(`UID FETCH ${((k * 997 + i * 131) % messages) + 1} BODY.PEEK[]`);
          await client.close();
        }),
      );
    });

    await compare(messages, { name: 'Mailroom', port, pid: child.pid! });

    child.stdin.end();
    const { peakRss } = JSON.parse(await nextJson()) as { peakRss: number };
    await new Promise((resolve) => child.once('exit', resolve));
    console.log(`IMAP bench: ${messages} messages in INBOX (${Number.isNaN(fillMs) ? 'kept from an earlier run' : `filled in ${(fillMs / 1000).toFixed(1)} s`}), median of ${RUNS} runs${values.pool === undefined ? '' : `, read workers ${values.pool}`}`);
    for (const [name, ms, target, cpu] of figures) console.log(`  ${name.padEnd(78)} ${ms.toFixed(1).padStart(8)} ms  ${cpu}${target ? `   (target ${target})` : ''}`);
    console.log(`  server peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB; load average ${loadAtStart.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`);
    console.log(`  first SEARCH HEADER (fills the header cache for ${messages} messages) ${coldHeader.toFixed(1)} ms`);
    console.log(`  FETCH 1:* (UID FLAGS ENVELOPE) answer: ${(fetchBytes / 1024 / 1024).toFixed(2)} MiB`);
    console.log(`  ${indexOverhead(join(dir, DATABASE_FILE))}`);
  } finally {
    if (kept === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

/** The operations compared with Dovecot (issue 17): a command on a session that has INBOX selected, or a fresh LOGIN+SELECT. */
const COMPARED: Array<{ name: string; command: string | null }> = [
  { name: 'LOGIN + SELECT INBOX', command: null },
  { name: 'FETCH 1:* (UID FLAGS)', command: 'FETCH 1:* (UID FLAGS)' },
  { name: 'SORT (ARRIVAL)', command: 'SORT (ARRIVAL) UTF-8 ALL' },
  { name: 'SORT (DATE)', command: 'SORT (DATE) UTF-8 ALL' },
  { name: 'SORT (SUBJECT)', command: 'SORT (SUBJECT) UTF-8 ALL' },
  { name: 'SORT (FROM)', command: 'SORT (FROM) UTF-8 ALL' },
  { name: 'THREAD=REFERENCES', command: 'THREAD REFERENCES UTF-8 ALL' },
  { name: 'ESEARCH COUNT (UNSEEN)', command: 'SEARCH RETURN (COUNT) UNSEEN' },
  { name: 'SEARCH BODY "zebra" (1 %)', command: 'SEARCH BODY "zebra"' },
  { name: 'SEARCH TEXT "zebra" (1 %)', command: 'SEARCH TEXT "zebra"' },
];

interface Target {
  name: string;
  port: number;
  /** Its process, for CPU per run (Mailroom's child); Dovecot's processes are not counted. */
  pid?: number;
}

/** Times COMPARED on Mailroom and (with --dovecot) Dovecot, alternating run by run; prints one table. */
async function compare(messages: number, mailroom: Target) {
  let dovecot: BenchDovecot | null = null;
  const targets = [mailroom];
  if (values.dovecot) {
    const fill = performance.now();
    dovecot = await startBenchDovecot(ADDRESS, messages);
    console.log(`Dovecot: ${messages} messages written to its maildir in ${((performance.now() - fill) / 1000).toFixed(1)} s`);
    targets.push({ name: 'Dovecot', port: dovecot.port });
  }
  try {
    const sessions = await Promise.all(
      targets.map(async (target) => {
        const c = await BenchClient.open(target.port);
        await c.ok(`LOGIN ${ADDRESS} "${PASSWORD}"`);
        await c.ok('SELECT INBOX');
        return c;
      }),
    );
    const loginSelect = async (port: number) => {
      const c = await BenchClient.open(port);
      await c.ok(`LOGIN ${ADDRESS} "${PASSWORD}"`);
      await c.ok('SELECT INBOX');
      await c.close();
    };
    const rows: string[] = [];
    for (const op of COMPARED) {
      if (only !== null && !only.test(op.name)) continue;
      const cold: number[] = [];
      const times: number[][] = targets.map(() => []);
      const cpu = targets.map(() => 0);
      const once = async (k: number) => {
        const started = performance.now();
        const cpuBefore = targets[k].pid === undefined ? 0 : processCpuSeconds(targets[k].pid!);
        await (op.command === null ? loginSelect(targets[k].port) : sessions[k].ok(op.command));
        if (targets[k].pid !== undefined) cpu[k] += processCpuSeconds(targets[k].pid!) - cpuBefore;
        return performance.now() - started;
      };
      for (let k = 0; k < targets.length; k++) cold.push(await once(k));
      cpu.fill(0);
      for (let i = 0; i < RUNS; i++) for (let k = 0; k < targets.length; k++) times[k].push(await once(k));
      const cells = targets.map((target, k) => {
        const sorted = [...times[k]].sort((a, b) => a - b);
        const cpuText = target.pid === undefined ? '' : `, CPU ${((cpu[k] * 1000) / RUNS).toFixed(0)} ms/run`;
        return `${target.name} ${median(times[k]).toFixed(1)} ms (${sorted[0].toFixed(1)}–${sorted[sorted.length - 1].toFixed(1)}; cold ${cold[k].toFixed(0)})${cpuText}`;
      });
      const ratio = targets.length === 2 ? `   Dovecot/Mailroom ${(median(times[1]) / median(times[0])).toFixed(1)}x` : '';
      rows.push(`  ${op.name.padEnd(28)} ${cells.join(' | ')}${ratio}`);
    }
    for (const c of sessions) await c.close();
    console.log(`Compared (${messages} messages, median of ${RUNS} runs after a cold one, servers alternating; load ${loadavg()[0].toFixed(1)}):`);
    for (const row of rows) console.log(row);
  } finally {
    await dovecot?.stop();
  }
}

/** The full-text index's pages (store/message-text.ts) beside the mail stored (RFC822.SIZE summed). */
function indexOverhead(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const index = db.prepare("SELECT coalesce(sum(pgsize), 0) AS n FROM dbstat WHERE name LIKE 'message\\_text%' ESCAPE '\\'").get() as { n: number };
    const mail = db.prepare('SELECT coalesce(sum(size), 0) AS n FROM messages').get() as { n: number };
    const pending = db.prepare('SELECT count(*) AS n FROM message_text_pending').get() as { n: number };
    const pct = mail.n === 0 ? 0 : (100 * index.n) / mail.n;
    return `full-text index ${(index.n / 1024 / 1024).toFixed(1)} MiB = ${pct.toFixed(1)} % of the mail stored (${(mail.n / 1024 / 1024).toFixed(1)} MiB); ${pending.n} blobs pending`;
  } finally {
    db.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

if (values.serve) await serve(values.serve);
else await drive(Number(values.messages), Number(values.clients));
