// Micro-benchmark of the Sieve engine alone: what delivery does per recipient with a script
// (server/delivery/sieve/index.ts) — the message view over the already parsed message, its
// Delivered-To lookup and the run of the 50-rule script of bench/sieve-rules.ts, included by a
// generated main script as delivery links it, on messages with a Received field on top — in CPU
// microseconds per message (process.cpuUsage, steadier than wall time on a busy machine).
//
// Several builds can be compared in one process and one time window: each --engine names a dist
// directory (default: this build's), and rounds alternate between them so load affects all alike.
//
// Run: npx tsc -p tsconfig.json && node dist/bench/sieve-engine.js [--n 20000] [--rounds 9] [--engine /tmp/before/dist ...]
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { benchMessage, benchOptions, fiftyRules } from './sieve-rules.js';

const { n: N, rounds: ROUNDS, engines, values } = benchOptions(20000, { messages: { type: 'string', default: '500' } });

/** The trace field delivery puts on top (delivery/prepare.ts). */
const RECEIVED = 'Received: from client.example (client.example [127.0.0.1])\r\n\tby mx.bench.example with ESMTP id bench\r\n\tfor <inbox@bench.example>; Thu, 1 Jan 2026 00:00:00 +0000\r\n';

interface Engine {
  dir: string;
  /** One delivery's Sieve work on message i; returns the number of actions (1: the implicit keep). */
  deliver(i: number): number;
}

async function load(dir: string): Promise<Engine> {
  const sieve = await import(pathToFileURL(`${dir}/server/sieve/index.js`).href);
  const { parseMessage } = await import(pathToFileURL(`${dir}/server/mime/part-tree.js`).href);
  // as delivery links it (server/delivery/sieve/programs.ts): the script is included by a generated main script
  const program = await sieve.loadProgram('require "include";\ninclude :personal "rules";\n', { loader: async () => fiftyRules() });
  const messages = Array.from({ length: Number(values.messages) }, (_, i) => {
    const raw = Buffer.concat([Buffer.from(RECEIVED), benchMessage(i)]);
    return { raw, parsed: parseMessage(raw) };
  });
  return {
    dir,
    deliver(i) {
      const { raw, parsed } = messages[i % messages.length];
      const view = sieve.mimeSieveMessage(raw, parsed);
      if (view.headerValues('delivered-to').length > 0) throw new Error('unexpected Delivered-To');
      const result = sieve.runProgram(program, view, { envelope: { from: 'sender@outside.example', to: 'inbox@bench.example' }, now: new Date() });
      if (result.error !== null || result.actions.length !== 1 || result.actions[0].type !== 'keep') throw new Error(`unexpected result from ${dir}`);
      return result.actions.length;
    },
  };
}

const loaded = await Promise.all(engines.map(load));
const cpuUs: number[][] = loaded.map(() => []);
const round = (e: Engine): number => {
  const cpu = process.cpuUsage();
  for (let i = 0; i < N; i++) e.deliver(i);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / N;
};
for (const e of loaded) round(e); // warm-up (JIT), not counted
const loadBefore = loadavg()[0];
for (let r = 0; r < ROUNDS; r++) loaded.forEach((e, k) => cpuUs[k].push(round(e)));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`sieve engine: view + Delivered-To + 50 rules, ${N} messages x ${ROUNDS} rounds per engine, load average ${loadBefore.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`);
for (const [k, e] of loaded.entries()) {
  console.log(`  ${e.dir}: median ${median(cpuUs[k]).toFixed(2)} us CPU per message (rounds: ${cpuUs[k].map((x) => x.toFixed(1)).join(', ')})`);
}
