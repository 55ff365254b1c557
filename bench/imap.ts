// Benchmark: IMAP operations on a large mailbox. Fills one INBOX with M messages (stored as delivery
// stores them: CRLF, ENVELOPE/BODYSTRUCTURE/part tree cached), starts the IMAP listener in a child
// process (so the client's CPU does not count against it), and times over a raw socket:
// LOGIN, SELECT, FETCH 1:* (UID FLAGS ENVELOPE), 100 random UID FETCH BODY.PEEK[] (one command each),
// SEARCH by header text and by body text, STORE +FLAGS / -FLAGS on 1:*, and K concurrent clients.
// Each figure is the median of RUNS runs after one warm-up run; the warm-up of SEARCH HEADER is
// printed too, because it fills the header cache (migrations/0002) for every message.
// Run: npx tsc -p tsconfig.json && node dist/bench/imap.js [--messages 10000] [--clients 10] [--hash test|default]
// Profiling: [--only <regexp of operation names>] [--runs N] [--profile <dir>] (the child runs with
// node --cpu-prof and writes its profile to <dir> when it exits).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAdminApi } from '../server/admin/api.js';
import { createPasswordHasher } from '../server/auth/password-hash.js';
import { describeMessage } from '../server/delivery/describe.js';
import { createImapListeners } from '../server/imap/server.js';
import { openContext } from '../server/index.js';
import type { Delivery } from '../server/store/index.js';
import { INBOX } from '../server/store/mailboxes.js';

const RANDOM_BODIES = 100;
const FILL_BATCH = 500;
const ADDRESS = 'inbox@bench.example';
const PASSWORD = 'bench-password';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '10000' },
    clients: { type: 'string', default: '10' },
    hash: { type: 'string', default: 'test' },
    serve: { type: 'string' },
    only: { type: 'string' },
    runs: { type: 'string', default: '7' },
    profile: { type: 'string' },
  },
});
const RUNS = Number(values.runs);
const only = values.only === undefined ? null : new RegExp(values.only, 'i');
const cost = values.hash === 'default' ? 'default' : 'test';

/** Child: the IMAP listener over `dir`; prints its port; exits when stdin closes or says anything. */
async function serve(dir: string) {
  const ctx = await openContext(dir, { hasher: createPasswordHasher({ cost }) });
  const [imap] = createImapListeners(ctx);
  const port = await imap.start('127.0.0.1', 0);
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  createInterface({ input: process.stdin }).once('close', async () => {
    await imap.stop();
    await ctx.close();
    process.exit(0);
  });
}

const WORDS = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango'.split(' ');

function messageText(i: number): string {
  const word = (k: number) => WORDS[(i * 7 + k * 13) % WORDS.length];
  const subject = i % 10 === 0 ? `Quarterly report ${i}` : `Meeting notes ${word(1)} ${i}`;
  const lines: string[] = [];
  for (let k = 0; k < 20 + (i % 40); k++) lines.push(`${word(k)} ${word(k + 1)} ${word(k + 2)} line ${k} of message ${i}${i % 100 === 0 && k === 3 ? ' zebra' : ''}`);
  return [
    `From: Sender ${i % 50} <sender${i % 50}@example.org>`,
    `To: ${ADDRESS}`,
    i % 3 === 0 ? 'Cc: Team <team@example.org>' : null,
    `Subject: ${subject}`,
    `Date: Tue, 14 May 2024 09:${String(i % 60).padStart(2, '0')}:00 +0200`,
    `Message-ID: <bench-${i}@example.org>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    ...lines,
    '',
  ]
    .filter((l) => l !== null)
    .join('\r\n');
}

/** Parent: fills the data folder, starts the child, times, prints. */
async function drive(messages: number, clients: number) {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-bench-imap-'));
  try {
    const fillStart = performance.now();
    const setup = await openContext(dir, { hasher: createPasswordHasher({ cost }) });
    const admin = createAdminApi({ store: setup.store, settingsCache: setup.settingsCache, credentials: setup.credentials, clock: setup.clock, bus: setup.bus, log: setup.log, status: () => ({ version: 'bench', startedAt: 0, listeners: {} }) });
    await admin.updateSettings({ limits: { maxConnectionsPerIp: clients + 4 }, allowPlaintextAuthFromTrusted: true });
    await admin.addDomain({ name: 'bench.example' });
    await admin.addAccount({ address: ADDRESS, password: PASSWORD });
    const account = (await setup.store.accounts.find('inbox', 'bench.example'))!;
    const inbox = (await setup.store.mailboxes.require(account.id, INBOX)).id;
    for (let from = 0; from < messages; from += FILL_BATCH) {
      const batch: Delivery[] = [];
      for (let i = from; i < Math.min(messages, from + FILL_BATCH); i++) {
        const bytes = Buffer.from(messageText(i + 1));
        const d = describeMessage(bytes).forCopy(0);
        batch.push({
          bytes,
          local: [{ mailboxId: inbox, prefix: Buffer.alloc(0), flags: i % 2 ? 1 : 0, keywords: [], internalDate: Date.UTC(2024, 4, 14) + i * 60_000, ...d }],
        });
      }
      await setup.store.deliverMany(batch);
    }
    await setup.close();
    const fillMs = performance.now() - fillStart;

    const child = spawn(process.execPath, [...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : []), fileURLToPath(import.meta.url), '--serve', dir, '--hash', cost], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout });
    const { port } = JSON.parse(await new Promise<string>((resolve) => lines.once('line', resolve))) as { port: number };

    const figures: Array<[string, number, string]> = [];
    const time = async (name: string, target: string, run: () => Promise<unknown>, warmups = 1): Promise<number[]> => {
      const warm: number[] = [];
      if (only !== null && !only.test(name)) return [NaN];
      for (let i = 0; i < warmups; i++) {
        const t = performance.now();
        await run();
        warm.push(performance.now() - t);
      }
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await run();
        times.push(performance.now() - t);
      }
      figures.push([name, median(times), target]);
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

    await time(`${clients} concurrent clients: LOGIN, SELECT, FETCH 1:* (UID FLAGS), 20 BODY[] each`, '', async () => {
      await Promise.all(
        Array.from({ length: clients }, async (_, k) => {
          const client = await BenchClient.open(port);
          await client.ok(`LOGIN ${ADDRESS} "${PASSWORD}"`);
          await client.ok('EXAMINE INBOX');
          await client.ok('FETCH 1:* (UID FLAGS)');
          for (let i = 0; i < 20; i++) await client.ok(`UID FETCH ${((k * 997 + i * 131) % messages) + 1} BODY.PEEK[]`);
          await client.close();
        }),
      );
    });

    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));
    console.log(`IMAP bench: ${messages} messages in INBOX (filled in ${(fillMs / 1000).toFixed(1)} s), median of ${RUNS} runs`);
    for (const [name, ms, target] of figures) console.log(`  ${name.padEnd(78)} ${ms.toFixed(1).padStart(8)} ms${target ? `   (target ${target})` : ''}`);
    console.log(`  first SEARCH HEADER (fills the header cache for ${messages} messages) ${coldHeader.toFixed(1)} ms`);
    console.log(`  FETCH 1:* (UID FLAGS ENVELOPE) answer: ${(fetchBytes / 1024 / 1024).toFixed(2)} MiB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** A raw-socket IMAP client that only finds the end of each answer (literals skipped, not kept). */
class BenchClient {
  private tag = 0;
  private waiting: { tag: string; resolve: (bytes: number) => void; reject: (e: Error) => void } | null = null;
  private head = '';
  private tail = '';
  private skip = 0;
  private bytes = 0;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.scan(chunk));
    socket.on('error', (error) => this.waiting?.reject(error));
  }

  static async open(port: number): Promise<BenchClient> {
    const socket = connect({ port, host: '127.0.0.1' });
    const client = new BenchClient(socket);
    await new Promise<number>((resolve, reject) => (client.waiting = { tag: '*', resolve, reject }));
    return client;
  }

  /** Sends a command; resolves with the answer's size once its tagged OK arrives. */
  ok(command: string): Promise<number> {
    const tag = `b${++this.tag}`;
    this.bytes = 0;
    return new Promise<number>((resolve, reject) => {
      this.waiting = {
        tag,
        resolve,
        reject: (e) => reject(new Error(`${command}: ${e.message}`)),
      };
      this.socket.write(`${tag} ${command}\r\n`);
    });
  }

  async close(): Promise<void> {
    await this.ok('LOGOUT');
    this.socket.destroy();
  }

  /** Finds response ends without decoding lines: a line ending in `}` CR starts a literal to skip. */
  private scan(chunk: Buffer) {
    this.bytes += chunk.length;
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      if (this.head.length < 16) this.head += chunk.toString('latin1', i, Math.min(chunk.length, i + 16 - this.head.length));
      const lf = chunk.indexOf(0x0a, i);
      if (lf === -1) {
        this.tail = (this.tail + chunk.toString('latin1', Math.max(i, chunk.length - 24))).slice(-24);
        return;
      }
      const last = lf >= i + 2 ? chunk.toString('latin1', lf - 2, lf) : (this.tail + chunk.toString('latin1', i, lf)).slice(-2);
      const tail = last === '}\r' ? (this.tail + chunk.toString('latin1', Math.max(i, lf - 24), lf)).slice(-24) : '';
      this.tail = '';
      i = lf + 1;
      const literal = /\{(\d+)\}\r$/.exec(tail);
      if (literal !== null) {
        this.skip = Number(literal[1]);
        continue;
      }
      const line = this.head;
      this.head = '';
      const waiting = this.waiting;
      if (waiting === null) continue;
      if (waiting.tag === '*' ? line.startsWith('* OK') : line.startsWith(`${waiting.tag} `)) {
        this.waiting = null;
        if (waiting.tag === '*' || line.startsWith(`${waiting.tag} OK`)) waiting.resolve(this.bytes);
        else waiting.reject(new Error(line));
      }
    }
  }
}

if (values.serve) await serve(values.serve);
else await drive(Number(values.messages), Number(values.clients));
