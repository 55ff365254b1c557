// What the stall benchmarks measure from outside the server: a loop of probes (a NOOP in another
// user's IMAP session, the time to a new SMTP connection's 220 greeting), each pausing as a polling
// client would, and their latency percentiles.
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { BENCH_DOMAIN, BENCH_PASSWORD } from './fill-mailbox.js';
import { BenchClient } from './imap-client.js';

export const PROBE_GAP_MS = 10;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Milliseconds from connect to the first byte of the greeting (then QUIT). */
export function smtpGreeting(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('data', (chunk: Buffer) => {
      const ms = performance.now() - started;
      if (!chunk.toString('latin1').startsWith('220')) reject(new Error(`greeting: ${chunk.toString('latin1').trim()}`));
      socket.end('QUIT\r\n');
      resolve(ms);
    });
    socket.once('error', reject);
  });
}

export interface Sample {
  /** When the probe started (performance.now()). */
  at: number;
  ms: number;
}

/** Repeats `probe` (with a pause between tries) until stopped; resolves with every sample, the last included. */
export function probeLoop(probe: () => Promise<number>): { stop(): Promise<Sample[]> } {
  const samples: Sample[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const at = performance.now();
      samples.push({ at, ms: await probe() });
      await sleep(PROBE_GAP_MS);
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return samples;
    },
  };
}

/** `p50 p99 max (count)` of the latencies, in ms. */
export function percentiles(samples: number[]): string {
  if (samples.length === 0) return 'no samples'.padStart(27);
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.max(0, Math.ceil(q * s.length) - 1)];
  return [at(0.5), at(0.99), s[s.length - 1]].map((v) => v.toFixed(1).padStart(8)).join(' ') + ` (${String(s.length).padStart(4)})`;
}

/** The `other` bench user's session with INBOX selected, and a probe timing one NOOP in it. */
export async function noopSession(port: number): Promise<{ client: BenchClient; noop(): Promise<number> }> {
  const client = await BenchClient.open(port);
  await client.ok(`LOGIN other@${BENCH_DOMAIN} "${BENCH_PASSWORD}"`);
  await client.ok('SELECT INBOX');
  return {
    client,
    async noop() {
      const t = performance.now();
      await client.ok('NOOP');
      return performance.now() - t;
    },
  };
}
