// Benchmark (issue 16): SMTP ingest with one milter (Debian's rspamd, its proxy worker in milter
// mode, started here as the tests start it) in the MX path vs none, in the same run, with the same
// driver (bench/smtp.ts's node driver: a nodemailer pool from 127.0.0.1, every message committed and
// counted). The milter's own cost is reported separately: rspamd's CPU time during the SMTP run (its
// processes, from /proc), and rspamd alone driven by Mailroom's milter client without SMTP or the
// store (messages/s and mean time per message).
//
// Why 127.0.0.1 and not smtp-source from an outside address: with no network here, rspamd's DNS
// lookups for an outside client (SPF, DMARC, RBLs) fail and it answers soft reject (451), so nothing
// would be stored; from 127.0.0.1 rspamd scans every message (rules, Bayes, headers) without them.
//
// Run: npx tsc -p tsconfig.json && node dist/bench/milter.js [--n 2000] [--size 4096] [--concurrency 10]
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createMilterChain } from '../server/milter/index.js';
import { startRspamd } from '../test/helpers/rspamd.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '2000' }, size: { type: 'string', default: '4096' }, concurrency: { type: 'string', default: '10' } } });
const n = Number(values.n);
const size = Number(values.size);
const concurrency = Number(values.concurrency);
const smtpBench = fileURLToPath(new URL('./smtp.js', import.meta.url));

/** bench/smtp.ts's node driver; its figures (two lines). */
function ingest(milter: string | null): Promise<string> {
  const args = [smtpBench, '--n', String(n), '--size', String(size), '--concurrency', String(concurrency), ...(milter ? ['--milter', milter] : [])];
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024, timeout: 3600_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.trim().split('\n').slice(1).join('\n')),
    ),
  );
}

/** CPU seconds (user + system) of every process whose command line is rspamd's. */
function rspamdCpuSeconds(): number {
  const tick = 100;
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('rspamd')) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/** rspamd alone: `count` messages through Mailroom's milter client, `concurrency` at a time. */
async function milterAlone(endpoint: string, count: number, concurrency: number) {
  const chain = createMilterChain({ hostname: 'mx.bench.example', milters: [{ name: 'rspamd', endpoint, contentTimeoutMs: 300_000 }] }, { log: silent });
  const header = (i: number) => `From: <sender@outside.example>\r\nTo: <inbox@bench.example>\r\nSubject: bench ${i}\r\nMessage-ID: <milter-${i}@outside.example>\r\n\r\n`;
  const line = `${'x'.repeat(76)}\r\n`;
  let next = 0;
  let busyMs = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const body = header(i) + line.repeat(Math.max(0, Math.ceil((size - header(i).length) / line.length)));
      const t0 = performance.now();
      const s = chain.open();
      try {
        await s.connect({ hostname: 'localhost', address: '127.0.0.1', port: 40000 });
        await s.helo('client.outside.example');
        await s.mail('sender@outside.example', [], { i: `Q${i}` });
        await s.rcpt('inbox@bench.example');
        await s.data();
        const verdict = await s.message(Buffer.from(body));
        if (verdict.action !== 'continue') throw new Error(`message ${i}: ${verdict.action}`);
      } finally {
        s.quit();
      }
      busyMs += performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { rate: count / seconds, meanMs: busyMs / count };
}

const rspamd = await startRspamd();
try {
  const endpoint = `inet:127.0.0.1:${rspamd.milterPort}`;
  console.log(`SMTP ingest from 127.0.0.1, ${concurrency} connections, ${n} messages of ${size} bytes, all committed; rspamd ${endpoint}`);
  console.log(`no milter:\n${await ingest(null)}`);
  const cpuBefore = rspamdCpuSeconds();
  console.log(`rspamd in the MX path:\n${await ingest(endpoint)}`);
  const cpu = rspamdCpuSeconds() - cpuBefore;
  console.log(`rspamd's CPU during the rspamd run: ${cpu.toFixed(1)} s, ${((1000 * cpu) / n).toFixed(2)} ms per message`);
  const alone = await milterAlone(endpoint, n, concurrency);
  console.log(`rspamd alone (Mailroom's milter client, no SMTP, no store, ${concurrency} at a time): ${alone.rate.toFixed(0)} msg/s, ${alone.meanMs.toFixed(1)} ms per message`);
} finally {
  await rspamd.stop();
}
