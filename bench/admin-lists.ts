// Benchmark: the admin lists that grow (issue 18's target: each page of the GUI answers in < 200 ms
// with 10,000 users and 100,000 log rows). Fills a fresh data folder through the store (accounts with
// a cheap stored hash, aliases, queue rows, log rows in batches), then times the admin API calls the
// GUI's pages make: validation, the store's query and the JSON encoding the transports do. The HTTP or
// IPC hop on top is not included. Each call runs --runs times; the median and the worst are printed.
//
// Run: npx tsc -p tsconfig.json && node dist/bench/admin-lists.js [--accounts 10000] [--log 100000] [--runs 15]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { openContext } from '../server/index.js';
import { createAdminApi } from '../server/admin/api.js';
import { createPasswordHasher } from '../server/auth/password-hash.js';
import type { LogRecord } from '../server/store/log.js';

const { values } = parseArgs({ options: { accounts: { type: 'string', default: '10000' }, log: { type: 'string', default: '100000' }, runs: { type: 'string', default: '15' } } });
const ACCOUNTS = Number(values.accounts);
const LOG_ROWS = Number(values.log);
const RUNS = Number(values.runs);
const EVENTS = ['smtp.connect', 'smtp.accepted', 'queue.delivered', 'auth.fail', 'imap.login', 'policy.decision'];

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-bench-lists-'));
  const ctx = await openContext(dir, { hasher: createPasswordHasher({ cost: 'test' }) });
  try {
    const admin = createAdminApi({ ...ctx, status: () => ({ version: 'bench', startedAt: 0, listeners: {} }) });
    const started = performance.now();
    const domainIds: number[] = [];
    for (let d = 0; d < 10; d++) {
      await admin.addDomain({ name: `office${d}.example` });
      domainIds.push((await ctx.store.domains.require(`office${d}.example`)).id);
    }
    for (let i = 0; i < ACCOUNTS; i++) {
      await ctx.store.createAccount({ domainId: domainIds[i % 10]!, localPart: `user${i}`, displayName: `Person ${i}`, passwordHash: '{PLAIN}x', scramSecret: null, quotaBytes: (i % 50) * 1_000_000 });
    }
    for (let i = 0; i < ACCOUNTS / 10; i++) await admin.addAlias({ address: `list${i}@office${i % 10}.example`, destinations: [`user${i}@office${i % 10}.example`] });
    for (let i = 0; i < 200; i++) {
      await ctx.store.deliver({ bytes: Buffer.from(`Subject: queued ${i}\r\n\r\nbody\r\n`), local: [], remote: { sender: `user${i}@office0.example`, recipients: [`someone${i}@far.example`], messageId: null } });
    }
    for (let done = 0; done < LOG_ROWS; ) {
      const batch: LogRecord[] = [];
      for (let i = 0; i < 5000 && done < LOG_ROWS; i++, done++) {
        batch.push({ ts: Date.now() - (LOG_ROWS - done) * 1000, level: done % 17 === 0 ? 'warn' : 'info', component: 'smtp', sessionId: `s${done >> 3}`, queueId: null, messageId: null, event: EVENTS[done % EVENTS.length]!, fields: { remote: `192.0.2.${done % 250}`, user: `user${done % ACCOUNTS}@office${done % 10}.example` } });
      }
      await ctx.store.log.insertMany(batch);
    }
    console.log(`admin-lists bench: ${ACCOUNTS} accounts in 10 domains, ${ACCOUNTS / 10} aliases, 200 queue rows, ${LOG_ROWS} log rows (filled in ${((performance.now() - started) / 1000).toFixed(1)} s); ${RUNS} runs each`);
    console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, node ${process.version}`);

    const newestLog = await admin.queryLog({ limit: 200 });
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['users: first page (50, by address)', () => admin.searchAccounts({})],
      ['users: page 100 of 200', () => admin.searchAccounts({ cursor: '4950' })],
      ['users: sorted by storage used, desc', () => admin.searchAccounts({ sort: 'used', order: 'desc' })],
      ['users: search "person 99"', () => admin.searchAccounts({ query: 'person 99' })],
      ['users: one domain, sorted by last login', () => admin.searchAccounts({ domain: 'office3.example', sort: 'lastLogin' })],
      ['aliases: first page', () => admin.searchAliases({})],
      ['aliases: search a destination', () => admin.searchAliases({ query: 'user77@' })],
      ['queue: first page', () => admin.searchQueue({})],
      ['log: newest 200', () => admin.queryLog({ limit: 200 })],
      ['log: load older 200', () => admin.queryLog({ limit: 200, beforeId: newestLog[0]!.id })],
      ['log: level warn', () => admin.queryLog({ limit: 200, level: 'warn' })],
      ['log: text search', () => admin.queryLog({ limit: 200, text: 'user4242@' })],
      ['log: one session', () => admin.queryLog({ limit: 200, sessionId: 's777' })],
      ['dashboard: activity 24 h / 14 d', () => admin.getActivity({})],
      ['domains list', () => admin.listDomains({})],
    ];
    console.log('call'.padEnd(44), 'median ms'.padStart(10), 'max ms'.padStart(10), 'bytes'.padStart(9));
    for (const [name, call] of cases) {
      const times: number[] = [];
      let bytes = 0;
      for (let r = 0; r < RUNS; r++) {
        const t0 = performance.now();
        bytes = JSON.stringify(await call()).length;
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      console.log(name.padEnd(44), times[Math.floor(times.length / 2)]!.toFixed(1).padStart(10), times.at(-1)!.toFixed(1).padStart(10), String(bytes).padStart(9));
    }
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
