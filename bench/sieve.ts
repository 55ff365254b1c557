// Benchmark: local delivery with a 50-rule Sieve script against delivery without one (issue 15's
// target: at most 15 % slower). Messages go through the delivery agent the SMTP listener uses
// (prepare, per-recipient Sieve, group commit with synchronous=FULL), in process and without the
// network, so the difference is Sieve's: loading the account's scripts (compiled once, then
// cached), parsing the message for it and running 50 rules that do not match (every rule is
// evaluated; the message ends in INBOX by implicit keep). Rounds alternate without and with the
// script, so a busy machine affects both alike; every message is checked to be stored.
//
// Run: npx tsc -p tsconfig.json && node dist/bench/sieve.js [--n 2000] [--rounds 3] [--concurrency 16]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { openContext } from '../server/index.js';
import { createAdminApi } from '../server/admin/api.js';
import { createPasswordHasher } from '../server/auth/password-hash.js';
import { createDeliveryAgent } from '../server/delivery/index.js';
import { parseAddress } from '../server/mime/addr-spec.js';
import { benchMessage, fiftyRules } from './sieve-rules.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '3' }, concurrency: { type: 'string', default: '16' } } });
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
const CONCURRENCY = Number(values.concurrency);

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-bench-sieve-'));
  const ctx = await openContext(dir, { hasher: createPasswordHasher({ cost: 'test' }) });
  try {
    const admin = createAdminApi({ ...ctx, status: () => ({ version: 'bench', startedAt: 0, listeners: {} }) });
    await admin.addDomain({ name: 'bench.example' });
    await admin.addAccount({ address: 'inbox@bench.example', password: 'bench-password' });
    const account = (await ctx.store.accounts.find('inbox', 'bench.example'))!;
    const inbox = (await ctx.store.mailboxes.get(account.id, 'INBOX'))!;
    const agent = createDeliveryAgent({ ...ctx, log: ctx.log.child({ component: 'delivery' }) });
    const resolution = await agent.resolver.resolve(parseAddress('inbox@bench.example'), 0);
    if (!resolution.ok) throw new Error('recipient does not resolve');
    const recipients = [{ address: 'inbox@bench.example', route: resolution.route }];
    let serial = 0;
    const raw = () => benchMessage(serial++);
    const info = { id: 'bench', hostname: 'mx.bench.example', helo: 'client.example', clientHostname: 'client.example', ip: '127.0.0.1', protocol: 'ESMTP', tls: null, authenticatedAs: null, sender: 'sender@outside.example' };
    const log = ctx.log.child({ component: 'bench' });

    /** Messages per second of wall time, and CPU milliseconds per message (less sensitive to a busy machine). */
    const round = async (): Promise<{ rate: number; cpuMs: number; commits: number }> => {
      const before = await ctx.store.messages.count(inbox.id);
      const batches = agent.committer.stats().batches;
      let sent = 0;
      const cpu = process.cpuUsage();
      const started = performance.now();
      const worker = async () => {
        while (sent < N) {
          sent++;
          await agent.accept({ raw: raw(), info, recipients, log });
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      const stored = (await ctx.store.messages.count(inbox.id)) - before;
      if (stored !== N) throw new Error(`expected ${N} new messages in INBOX, found ${stored}`);
      return { rate: N / seconds, cpuMs: (used.user + used.system) / 1000 / N, commits: agent.committer.stats().batches - batches };
    };

    const script = fiftyRules();
    await ctx.store.sieve.put(account.id, 'rules', script, 10);
    const rates: Record<'none' | 'fifty', Array<{ rate: number; cpuMs: number; commits: number }>> = { none: [], fifty: [] };
    await round(); // warm-up (JIT, page cache), not counted
    for (let r = 0; r < ROUNDS; r++) {
      await ctx.store.sieve.setActive(account.id, null);
      rates.none.push(await round());
      await ctx.store.sieve.setActive(account.id, 'rules');
      rates.fifty.push(await round());
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const line = (label: string, rs: Array<{ rate: number; cpuMs: number; commits: number }>) =>
      `  ${label} ${median(rs.map((r) => r.rate)).toFixed(0)} messages/s, ${median(rs.map((r) => r.cpuMs)).toFixed(3)} ms CPU and ${(N / median(rs.map((r) => r.commits))).toFixed(1)} messages per commit (rounds: ${rs.map((r) => r.rate.toFixed(0)).join(', ')} msg/s)`;
    console.log(`sieve delivery: ${N} messages x ${raw().length} bytes per round, ${ROUNDS} rounds each, concurrency ${CONCURRENCY}`);
    console.log(line('no script:     ', rates.none));
    console.log(line('50-rule script:', rates.fifty));
    const none = median(rates.none.map((r) => r.rate));
    const fifty = median(rates.fifty.map((r) => r.rate));
    const cpuNone = median(rates.none.map((r) => r.cpuMs));
    const cpuFifty = median(rates.fifty.map((r) => r.cpuMs));
    console.log(`  slower by ${((1 - fifty / none) * 100).toFixed(1)} % in messages/s, ${((cpuFifty / cpuNone - 1) * 100).toFixed(1)} % more CPU per message (medians)`);
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
