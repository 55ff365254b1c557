// Benchmark: a backup of a running server (issue 12: "SMTP and IMAP keep answering; measure the longest
// stall"). Fills one INBOX (100,000 messages; 20,000 with --quick), starts the IMAP and SMTP (MX)
// listeners and the backup service in a child process, and while a second user's IMAP session loops
// NOOP and a client keeps opening SMTP connections (time to the 220 greeting), asks the child for a
// backup, as the schedule or the GUI would. Prints the p50 / p99 / max latency of the probes while idle
// and during each stage of the backup (copying, checking, writing, verifying).
// Then the round trip, checked with the sqlite3 shell rather than Mailroom's code: `mailroom restore
// FILE --yes` into a fresh data folder, SQLite's integrity_check of the restored database, and the
// shell's `.sha3sum` of the mail tables (domains, accounts' names, mailboxes, messages, blobs) in the
// original and the restored database, which must be equal.
// Run: npx tsc -p tsconfig.json && node dist/bench/backup-stall.js [--quick] [--messages N]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createPasswordHasher } from '../server/auth/password-hash.js';
import { createBackupService } from '../server/backup/service.js';
import { createImapListeners } from '../server/imap/server.js';
import { openContext } from '../server/index.js';
import { createSmtpListeners } from '../server/smtp/index.js';
import { fillMailbox } from './fill-mailbox.js';
import { PROBE_GAP_MS, noopSession, percentiles, probeLoop, sleep, smtpGreeting, type Sample } from './probes.js';

const IDLE_MS = 3000;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    messages: { type: 'string' },
    serve: { type: 'string' },
    to: { type: 'string' },
  },
});

/** Wall-clock milliseconds, comparable between the two processes. */
const now = () => performance.timeOrigin + performance.now();

/** Child: IMAP and SMTP listeners and the backup service over `dir`; a line on stdin starts a backup into `to`. */
async function serve(dir: string, to: string) {
  const ctx = await openContext(dir, { hasher: createPasswordHasher({ cost: 'test' }) }, (line) => {
    if (/ (error|warn) /.test(line)) process.stderr.write(`${line}\n`);
  });
  const [imap] = createImapListeners(ctx);
  const refuseAuth = { verify: async () => ({ ok: false as const, reason: 'invalid' as const }) };
  const [mx] = createSmtpListeners(ctx, refuseAuth, { reverseLookup: false, dnsbl: async () => false });
  const backups = createBackupService({ ...ctx, settings: ctx.settingsCache, dataDir: dir, version: 'bench', hostname: 'bench.example', now: () => ctx.clock.now(), log: ctx.log });
  const say = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);
  ctx.bus.on('backup', (event: { stage: string }) => say({ stage: event.stage, at: now() }));
  say({ imap: await imap.start('127.0.0.1', 0), smtp: await mx.start('127.0.0.1', 0) });
  const input = createInterface({ input: process.stdin });
  input.on('line', async () => {
    const started = now();
    const result = await backups.run({ to });
    say({ done: true, at: now(), seconds: (now() - started) / 1000, file: result.file, bytes: result.bytes, messages: result.manifest.counts.messages });
  });
  input.once('close', async () => {
    await imap.stop();
    await mx.stop();
    await ctx.close();
    process.exit(0);
  });
}

/** The sqlite3 shell's answer to `commands` on `file`. */
const sqlite3 = (file: string, ...commands: string[]) => execFileSync('sqlite3', ['-readonly', file, ...commands], { encoding: 'utf8' }).trim();

async function drive(messages: number) {
  const work = mkdtempSync(join(tmpdir(), 'mailroom-bench-backup-'));
  try {
    const dir = join(work, 'data');
    const fillStart = performance.now();
    await fillMailbox(dir, { accounts: ['inbox', 'other'], messages, hash: 'test', settings: { limits: { maxConnectionsPerIp: 50 }, allowPlaintextAuthFromTrusted: true } });
    const database = join(dir, 'mailroom.sqlite');
    console.log(`backup stall bench: ${messages} messages in INBOX (filled in ${((performance.now() - fillStart) / 1000).toFixed(1)} s); probes pause ${PROBE_GAP_MS} ms between tries`);
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', dir, '--to', join(work, 'backups')], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout });
    const events: Array<{ stage?: string; done?: boolean; at: number; seconds?: number; file?: string; bytes?: number; messages?: number }> = [];
    let onEvent = () => undefined as void;
    const ports = await new Promise<{ imap: number; smtp: number }>((resolve) => {
      lines.on('line', (line) => {
        const value = JSON.parse(line) as { imap?: number; smtp?: number; stage?: string; at: number };
        if (value.imap !== undefined) resolve(value as { imap: number; smtp: number });
        else {
          events.push(value);
          onEvent();
        }
      });
    });

    const { client: other, noop } = await noopSession(ports.imap);
    const noops = probeLoop(noop);
    const greetings = probeLoop(() => smtpGreeting(ports.smtp));
    const idleFrom = now();
    await sleep(IDLE_MS);
    console.log(`load average before the backup: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const asked = now();
    child.stdin.write('backup\n');
    await new Promise<void>((resolve) => (onEvent = () => (events.some((e) => e.done) ? resolve() : undefined)));
    const [n, g] = await Promise.all([noops.stop(), greetings.stop()]);
    console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    await other.close();
    const done = events.find((e) => e.done)!;

    // Each probe counts in the phase it started in (sample.at is this process's performance.now()).
    const wall = (s: Sample) => performance.timeOrigin + s.at;
    const stages = events.filter((e) => e.stage !== undefined);
    const phases: Array<{ name: string; from: number; to: number }> = [{ name: 'idle (before the backup)', from: idleFrom, to: asked }];
    stages.forEach((e, i) => phases.push({ name: e.stage!, from: i === 0 ? asked : e.at, to: stages[i + 1]?.at ?? done.at }));
    phases.push({ name: 'whole backup', from: asked, to: done.at });
    console.log(`latency in ms: p50 p99 max (samples)`);
    console.log(`${'phase'.padEnd(26)} ${'its time'.padStart(9)} | ${'other user NOOP'.padEnd(34)} | new SMTP connection: 220 greeting`);
    for (const p of phases) {
      const inPhase = (samples: Sample[]) => samples.filter((s) => wall(s) >= p.from && wall(s) < p.to).map((s) => s.ms);
      console.log(`${p.name.padEnd(26)} ${`${((p.to - p.from) / 1000).toFixed(1)} s`.padStart(9)} | ${percentiles(inPhase(n))} | ${percentiles(inPhase(g))}`);
    }
    console.log(`backup: ${done.file} (${((done.bytes ?? 0) / 2 ** 20).toFixed(1)} MiB, ${done.messages} messages) in ${done.seconds!.toFixed(1)} s`);

    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));

    // The round trip, checked by the sqlite3 shell.
    const restored = join(work, 'restored');
    const t = performance.now();
    const cli = fileURLToPath(new URL('../server/host/cli.js', import.meta.url));
    execFileSync(process.execPath, [cli, '--data-dir', restored, 'restore', done.file!, '--yes'], { stdio: ['ignore', 'ignore', 'inherit'] });
    console.log(`mailroom restore into a fresh data folder: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const restoredDb = join(restored, 'mailroom.sqlite');
    const tables = ['domains', 'mailboxes', 'messages', 'blobs'];
    const sums = (file: string) => [...tables.map((table) => sqlite3(file, `.sha3sum ${table}`)), sqlite3(file, 'SELECT group_concat(local_part || char(9) || password_hash, char(10)) FROM (SELECT * FROM accounts ORDER BY id)')];
    const [a, b] = [sums(database), sums(restoredDb)];
    console.log(`sqlite3 integrity_check of the restored database: ${sqlite3(restoredDb, 'PRAGMA integrity_check;')}`);
    console.log(`sqlite3 counts (messages, blobs, bytes): original ${sqlite3(database, 'SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM blobs), (SELECT sum(length(data)) FROM blobs);')}, restored ${sqlite3(restoredDb, 'SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM blobs), (SELECT sum(length(data)) FROM blobs);')}`);
    tables.forEach((table, i) => console.log(`sqlite3 .sha3sum ${table.padEnd(9)} ${a[i] === b[i] ? 'equal' : 'DIFFERENT'} (${a[i].slice(0, 16)}…)`));
    console.log(`accounts' names and password hashes: ${a[tables.length] === b[tables.length] ? 'equal' : 'DIFFERENT'}`);
    if (a.some((x, i) => x !== b[i])) process.exitCode = 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (values.serve) await serve(values.serve, values.to!);
else await drive(Number(values.messages ?? (values.quick ? 20_000 : 100_000)));
