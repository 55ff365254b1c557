// Durability (DESIGN §2): a 250 after DATA means the message is on disk. The server runs in a child
// process that is killed with SIGKILL right after the replies arrive; a fresh store must have every
// message that got its 250, and nothing half-written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { openContext } from '../../server/index.js';
import { openStore } from '../../server/store/index.js';
import { createAdminApi } from '../../server/admin/api.js';
import { createPasswordHasher } from '../../server/auth/password-hash.js';
import { DATABASE_FILE } from '../../server/host/data-dir.js';
import { tempDir } from '../helpers/temp.js';
import { inspectDatabase } from '../../server/store/db.js';

const CHILD = fileURLToPath(new URL('../protocol/smtp/serve-child.js', import.meta.url));

test('messages accepted with 250 survive SIGKILL of the server right after', async (t) => {
  const dir = tempDir(t);
  const setup = await openContext(dir, { hasher: createPasswordHasher({ cost: 'test' }) });
  const admin = createAdminApi({ store: setup.store, settingsCache: setup.settingsCache, credentials: setup.credentials, clock: setup.clock, bus: setup.bus, log: setup.log, status: () => ({ version: 'test', startedAt: 0, listeners: {} }) });
  await admin.addDomain({ name: 'local.example' });
  await admin.addAccount({ address: 'alice@local.example', password: 'alice-password' });
  await admin.addAccount({ address: 'bob@local.example', password: 'bob-password' });
  await setup.close();

  const child = spawn(process.execPath, [CHILD, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  t.after(() => child.kill('SIGKILL'));
  const ports = await new Promise<Record<string, number>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('child did not start')), 30_000);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { ports: Record<string, number> }).ports);
    });
    child.once('exit', () => reject(new Error('child exited')));
  });

  const mx = createTransport({ host: '127.0.0.1', port: ports.smtp, ignoreTLS: true, localAddress: '127.0.0.9', name: 'client.example', pool: true, maxConnections: 5 });
  const subjects = Array.from({ length: 10 }, (_, i) => `durable ${i}`);
  const infos = await Promise.all(subjects.map((subject) => mx.sendMail({ from: 'x@outside.example', to: ['alice@local.example', 'bob@local.example'], subject, text: 'keep me' })));
  assert.ok(infos.every((i) => /^250 /.test(i.response)));
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  mx.close();

  const store = openStore(join(dir, DATABASE_FILE), { now: () => Date.now() });
  t.after(async () => await store.close());
  for (const user of ['alice', 'bob']) {
    const account = await store.accounts.require(user, 'local.example');
    const inbox = await store.mailboxes.require(account.id, 'INBOX');
    const stored: string[] = [];
    for (const m of await store.messages.list(inbox.id)) stored.push((await store.messages.read(m.id))!.toString());
    const seen = subjects.filter((s) => stored.some((m) => m.includes(`Subject: ${s}\r\n`)));
    assert.deepEqual(seen, subjects, user);
    assert.equal(account.usedBytes, (await store.messages.list(inbox.id)).reduce((n, m) => n + m.size, 0));
  }
  const blobs = inspectDatabase(store).prepare('SELECT count(*) AS n, sum(refcount) AS refs FROM blobs').get() as { n: number; refs: number };
  assert.deepEqual(blobs, { n: 10, refs: 20 });
});
