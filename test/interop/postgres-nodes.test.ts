// Two `mailroom serve` nodes on one PostgreSQL (issue 19, DESIGN §11), as separate processes: mail sent
// over SMTP into node A reaches an imapflow client IDLEing on node B, and so does a flag change made on
// A (LISTEN/NOTIFY into B's event bus); APPENDs on both nodes at once give unique, increasing UIDs; a
// queue of 1,000 outbound messages to a loopback SMTP server is worked by both nodes and every message
// arrives exactly once although one node is stopped (SIGTERM) halfway; when it is killed (SIGKILL)
// instead, only a message the killed node had in flight may arrive twice (at-least-once: no SMTP client
// can know whether a 250 it never read was sent). A URL that is not postgres:// is refused.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';
import { runCli, serve, type Served } from '../helpers/cli.js';
import { startFakeSmtp } from '../helpers/fake-smtp.js';
import { postgresMissing } from '../helpers/postgres.js';
import { freshPostgresDatabase, usePostgresInThisFile } from '../helpers/store-backends.js';
import { tempDir } from '../helpers/temp.js';

usePostgresInThisFile();

const ADDRESS = 'alice@example.com';
const PASSWORD = 'correct horse battery';
/** The runner's default sessions at once to one next hop (delivery/outbound/runner.ts), per node. */
const PER_DESTINATION = 5;

function imap(t: TestContext, port: number): ImapFlow {
  const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user: ADDRESS, pass: PASSWORD }, logger: false, tls: { rejectUnauthorized: false } });
  c.on('error', () => {});
  t.after(() => c.close());
  return c;
}

/** Polls `done` every 50 ms, at most `limitMs` (a guard so a failure fails rather than hangs). */
async function until(done: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  for (let waited = 0; !done(); waited += 50) {
    if (waited > limitMs) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A database with example.com and alice, and two serve processes on it (the setup ran on neither); and its URL. */
async function twoNodes(t: TestContext, setup: string[][] = []): Promise<[Served, Served, string]> {
  const nodes: Served[] = [];
  // Registered before the database's DROP: node:test runs after-hooks in the order they were added.
  t.after(async () => {
    for (const node of nodes) await node.stop();
  });
  const url = await freshPostgresDatabase(t);
  const cli = async (args: string[], input?: string) => {
    const result = await runCli(['--data-dir', tempDir(t), '--database', url, ...args], input, 60_000);
    assert.equal(result.code, 0, `mailroom ${args.join(' ')}\n${result.stdout}${result.stderr}`);
  };
  await cli(['domain', 'add', 'example.com']);
  await cli(['user', 'add', ADDRESS, '--password-stdin'], `${PASSWORD}\n`);
  for (const args of setup) await cli(args);
  for (let i = 0; i < 2; i++) nodes.push(await serve(tempDir(t), ['--database', url]));
  return [nodes[0], nodes[1], url];
}

test('two serve nodes on one PostgreSQL: IDLE on B sees SMTP deliveries and flag changes on A; APPENDs on both get unique UIDs', { skip: postgresMissing, timeout: 180_000 }, async (t) => {
  const [a, b, url] = await twoNodes(t);
  // `mailroom nodes` lists both serve processes as alive (its own heartbeat row left out).
  const listed = await runCli(['--data-dir', tempDir(t), '--database', url, '--json', 'nodes'], undefined, 60_000);
  assert.equal(listed.code, 0, listed.stderr);
  const nodes = JSON.parse(listed.stdout) as Array<{ pid: number; state: string }>;
  assert.deepEqual(nodes.map((n) => [n.pid, n.state]).sort(), [[a.child.pid, 'alive'], [b.child.pid, 'alive']].sort());
  const MESSAGES = 30;
  const watcher = imap(t, b.ready.ports.imap);
  await watcher.connect();
  await watcher.mailboxOpen('INBOX');
  let exists = 0;
  const seen = new Set<number>();
  watcher.on('exists', (data: { count: number }) => (exists = data.count));
  watcher.on('flags', (data: { uid?: number; flags: Set<string> }) => {
    if (data.uid !== undefined && data.flags.has('\\Flagged')) seen.add(data.uid);
  });
  const idling = watcher.idle();

  const mx = createTransport({ host: '127.0.0.1', port: a.ready.ports.smtp, ignoreTLS: true, pool: true, maxConnections: 3 });
  t.after(() => mx.close());
  await Promise.all(Array.from({ length: MESSAGES }, (_, i) => mx.sendMail({ from: 'x@outside.example', to: ADDRESS, subject: `to node A ${i}`, text: `message ${i}\n` })));
  await until(() => exists === MESSAGES, `node B announces all ${MESSAGES} messages delivered on node A (has ${exists})`);

  const flagger = imap(t, a.ready.ports.imap);
  await flagger.connect();
  await flagger.mailboxOpen('INBOX');
  await flagger.messageFlagsAdd('1:3', ['\\Flagged'], { uid: true });
  await until(() => seen.size === 3, 'node B announces the flags set on node A');
  assert.deepEqual([...seen].sort(), [1, 2, 3]);
  await watcher.logout();
  await idling.catch(() => undefined);

  // APPENDs on both nodes at once, two sessions each.
  const appenders = [a, a, b, b].map((node) => imap(t, node.ready.ports.imap));
  await Promise.all(appenders.map((c) => c.connect()));
  const uids = await Promise.all(
    appenders.map(async (c, n) => {
      const got: number[] = [];
      for (let i = 0; i < 10; i++) {
        const r = await c.append('Archive', `Subject: append ${n}/${i}\r\n\r\nx\r\n`);
        got.push((r as { uid?: number }).uid!);
      }
      return got;
    }),
  );
  assert.deepEqual(uids.flat().sort((x, y) => x - y), Array.from({ length: 40 }, (_, i) => i + 1));
  for (const mine of uids) assert.deepEqual(mine, [...mine].sort((x, y) => x - y), 'increasing within a session');
});

/**
 * 1,000 outbound messages into node B, worked by both nodes' queue runners; node A is stopped with
 * `signal` once half have arrived. Resolves with each recipient's delivery indexes (in arrival order)
 * and the deliveries counted when the signal was sent and when A had exited.
 */
async function queueWithOneNodeStopped(t: TestContext, signal: NodeJS.Signals): Promise<{ copies: Map<string, number[]>; atSignal: number; atExit: number; deliveries: number }> {
  const COUNT = 1000;
  const remote = await startFakeSmtp(t, { noTls: true });
  const [a, b] = await twoNodes(t, [['transport', 'set', 'remote.test', `smtp:[127.0.0.1]:${remote.port}`]]);
  // Into node B, which stays up; both nodes' queue runners take rows from the first message on.
  const mx = createTransport({ host: '127.0.0.1', port: b.ready.ports.smtp, ignoreTLS: true, pool: true, maxConnections: 4 });
  t.after(() => mx.close());
  const sending = Promise.all(Array.from({ length: COUNT }, (_, i) => mx.sendMail({ from: ADDRESS, to: `r${i}@remote.test`, subject: `out ${i}`, text: `${i}\n` })));

  await until(() => remote.received.length >= COUNT / 2, 'half the queue is delivered', 180_000);
  const atSignal = remote.received.length;
  await a.stop(signal);
  const atExit = remote.received.length;
  await sending;
  // B takes A's claims at once when A stopped (its heartbeat row is gone), or once A has been silent
  // for SILENT_MS after a kill (nodes.ts), then delivers the rest.
  const delivered = () => new Set(remote.received.flatMap((m) => m.to)).size;
  await until(() => delivered() === COUNT, `every recipient delivered (has ${delivered()})`, 180_000);
  assert.ok(remote.received.every((m) => m.to.length === 1));
  const copies = new Map<string, number[]>();
  remote.received.forEach((m, i) => copies.set(m.to[0], [...(copies.get(m.to[0]) ?? []), i]));
  t.diagnostic(`${remote.received.length} deliveries of ${COUNT} messages; ${atSignal} before node A was sent ${signal}, ${atExit} when it had exited`);
  return { copies, atSignal, atExit, deliveries: remote.received.length };
}

test('a queue of 1,000 outbound messages is worked by both nodes; with one stopped halfway (SIGTERM) every message arrives exactly once', { skip: postgresMissing, timeout: 300_000 }, async (t) => {
  // The stopping node claims nothing more, sends nothing it had not begun, and finishes the sessions in flight.
  const { copies, deliveries } = await queueWithOneNodeStopped(t, 'SIGTERM');
  assert.deepEqual([...copies].filter(([, at]) => at.length > 1), [], 'sent twice');
  assert.equal(deliveries, 1000);
});

test('the same queue with one node killed halfway (SIGKILL): every message arrives, twice only if in flight at the kill', { skip: postgresMissing, timeout: 300_000 }, async (t) => {
  const { copies, atSignal, atExit } = await queueWithOneNodeStopped(t, 'SIGKILL');
  const twice = [...copies].filter(([, at]) => at.length > 1);
  t.diagnostic(`sent again: ${twice.length}`);
  // At-least-once: only a message whose 250 node A received in the instant before the kill, before it
  // removed the row, may go again; A had at most PER_DESTINATION sessions open, and the copies straddle the kill.
  assert.ok(twice.length <= PER_DESTINATION, `sent twice: ${twice.map(([r]) => r).join(' ')}`);
  for (const [recipient, at] of twice) assert.ok(at.length === 2 && at[0] < atExit && at[1] >= atSignal, `${recipient} at ${at.join(',')}`);
});

test('a --database that is not a postgres:// URL is refused with a sentence', async (t) => {
  const result = await runCli(['--data-dir', tempDir(t), '--database', 'mysql://user:secret@db/mail', 'domain', 'list']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /must be a postgres:\/\/ URL/);
  assert.doesNotMatch(result.stderr, /secret/);
});
