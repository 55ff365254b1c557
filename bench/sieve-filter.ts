// Benchmark: Sieve's share of local delivery without the commit and the network — the per-recipient
// filter delivery runs after prepare (server/delivery/sieve: the program loader's generation check,
// the message view, the run, carrying out the implicit keep) with the 50-rule script of
// bench/sieve-rules.ts active and with no script, one message at a time, in CPU microseconds per
// message (process.cpuUsage around each filter call, every thread: steadier than wall time on a
// busy machine; preparing the message is not counted). The difference is what the script costs a
// delivery.
//
// Several builds can be compared in one process and one time window: each --engine names a dist
// directory (default: this build's); each gets its own data folder, and rounds alternate.
//
// Run: npx tsc -p tsconfig.json && node dist/bench/sieve-filter.js [--n 2000] [--rounds 9] [--engine /tmp/before/dist ...]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchMessage, benchOptions, fiftyRules } from './sieve-rules.js';

const { n: N, rounds: ROUNDS, engines } = benchOptions(2000);

interface Setup {
  dir: string;
  /** CPU microseconds per message of the Sieve filter over N prepared messages, with or without the script. */
  round(withScript: boolean): Promise<number>;
  close(): Promise<void>;
}

async function setUp(dir: string): Promise<Setup> {
  const load = (path: string) => import(pathToFileURL(`${dir}/server/${path}`).href);
  const [{ openContext }, { createAdminApi }, { createPasswordHasher }, { createDeliverySieve, srsFor }, { prepareDelivery }, { createRecipientResolver }, { parseAddress }] = await Promise.all(
    ['index.js', 'admin/api.js', 'auth/password-hash.js', 'delivery/index.js', 'delivery/prepare.js', 'delivery/recipients.js', 'mime/addr-spec.js'].map(load),
  );
  const data = mkdtempSync(join(tmpdir(), 'mailroom-bench-sieve-filter-'));
  const ctx = await openContext(data, { hasher: createPasswordHasher({ cost: 'test' }) });
  const admin = createAdminApi({ ...ctx, status: () => ({ version: 'bench', startedAt: 0, listeners: {} }) });
  await admin.addDomain({ name: 'bench.example' });
  await admin.addAccount({ address: 'inbox@bench.example', password: 'bench-password' });
  const account = (await ctx.store.accounts.find('inbox', 'bench.example'))!;
  await ctx.store.sieve.put(account.id, 'rules', fiftyRules(), 10);
  const srs = srsFor(ctx);
  const sieve = createDeliverySieve(ctx, srs);
  const resolution = await createRecipientResolver(ctx.store, srs).resolve(parseAddress('inbox@bench.example'), 0);
  if (!resolution.ok) throw new Error('recipient does not resolve');
  const recipients = [{ address: 'inbox@bench.example', route: resolution.route }];
  const info = { id: 'bench', hostname: 'mx.bench.example', helo: 'client.example', clientHostname: 'client.example', ip: '127.0.0.1', protocol: 'ESMTP', tls: null, authenticatedAs: null, sender: 'sender@outside.example' };
  const log = ctx.log.child({ component: 'bench' });
  let serial = 0;
  return {
    dir,
    async round(withScript) {
      await ctx.store.sieve.setActive(account.id, withScript ? 'rules' : null);
      const now = Date.now();
      await sieve({ prepared: prepareDelivery({ raw: benchMessage(0), info, recipients, now }), sender: info.sender, authenticatedAs: null, log, now }); // reloads the program
      let used = 0;
      for (let i = 0; i < N; i++) {
        const p = prepareDelivery({ raw: benchMessage(serial++), info, recipients, now });
        const cpu = process.cpuUsage();
        const out = await sieve({ prepared: p, sender: info.sender, authenticatedAs: null, log, now });
        const spent = process.cpuUsage(cpu);
        used += spent.user + spent.system;
        if (out.local.length !== 1 || out.local[0] !== p.delivery.local[0]) throw new Error(`${dir}: the message did not stay in INBOX`);
      }
      return used / N;
    },
    async close() {
      await ctx.close();
      rmSync(data, { recursive: true, force: true });
    },
  };
}

const setups = [];
for (const dir of engines) setups.push(await setUp(dir));
try {
  for (const s of setups) for (const withScript of [false, true]) await s.round(withScript); // warm-up (JIT), not counted
  const results = setups.map(() => ({ none: [] as number[], fifty: [] as number[] }));
  const loadBefore = loadavg()[0];
  for (let r = 0; r < ROUNDS; r++) {
    for (const [k, s] of setups.entries()) {
      results[k].none.push(await s.round(false));
      results[k].fifty.push(await s.round(true));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`sieve filter: ${N} prepared messages x ${ROUNDS} rounds each, load average ${loadBefore.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`);
  for (const [k, s] of setups.entries()) {
    const { none, fifty } = results[k];
    const diffs = none.map((x, i) => fifty[i] - x);
    console.log(`  ${s.dir}: no script ${median(none).toFixed(1)} us, 50 rules ${median(fifty).toFixed(1)} us CPU per message; the script costs ${median(diffs).toFixed(1)} us (median of per-round differences: ${diffs.map((d) => d.toFixed(1)).join(', ')})`);
  }
} finally {
  for (const s of setups) await s.close();
}
