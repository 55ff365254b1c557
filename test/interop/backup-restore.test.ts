// `mailroom backup` while SMTP mail keeps arriving, `mailroom restore` into a fresh data folder: every
// message of the backup is byte-identical to the original, the password still logs in (imaplib), the
// TLS identity comes back; a damaged or cut-short backup and a restore under a running server are
// refused with a sentence.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTransport } from 'nodemailer';
import { DATABASE_FILE } from '../../server/host/data-dir.js';
import { openStore, type Store } from '../../server/store/index.js';
import { runCli, serve } from '../helpers/cli.js';
import { imapSnapshot } from '../helpers/imap-snapshot.js';
import { tempDir } from '../helpers/temp.js';

const PASSWORD = 'correct horse battery';

async function cli(dataDir: string, args: string[], input?: string) {
  const result = await runCli(['--data-dir', dataDir, ...args], input, 120_000);
  assert.equal(result.code, 0, `mailroom ${args.join(' ')}\n${result.stdout}${result.stderr}`);
  return result;
}

/** mailbox/uid → bytes of every message of alice. */
async function messagesOf(store: Store): Promise<Map<string, Buffer>> {
  const alice = await store.accounts.require('alice', 'example.com');
  const out = new Map<string, Buffer>();
  for (const mailbox of await store.mailboxes.list(alice.id)) {
    for (const m of await store.messages.list(mailbox.id)) out.set(`${mailbox.name}/${m.uid}`, (await store.messages.read(m.id))!);
  }
  return out;
}

test('a backup taken during SMTP load restores into a fresh folder byte for byte, passwords and TLS included', async (t) => {
  const dir = tempDir(t);
  const source = join(dir, 'source');
  const target = join(dir, 'target');
  const backups = join(dir, 'nas');
  await cli(source, ['domain', 'add', 'example.com']);
  await cli(source, ['user', 'add', 'alice@example.com', '--password-stdin'], `${PASSWORD}\n`);

  const served = await serve(source);
  const mx = createTransport({ host: '127.0.0.1', port: served.ready.ports.smtp, ignoreTLS: true, pool: true, maxConnections: 4 });
  let sent = 0;
  let sending = true;
  const load = (async () => {
    while (sending && sent < 2000) {
      await Promise.all(Array.from({ length: 8 }, (_, i) => mx.sendMail({ from: 'x@outside.example', to: 'alice@example.com', subject: `load ${sent + i}`, text: `message ${sent + i}\n`.repeat(200) })));
      sent += 8;
    }
  })();
  while (sent < 40) await new Promise((resolve) => setTimeout(resolve, 50));
  const backup = await cli(source, ['backup', '--to', backups]);
  const during = sent;
  sending = false;
  await load;
  mx.close();
  const file = backup.stdout.trim();
  assert.match(file, /mailroom-backup-\d{8}-\d{6}\.mrbak$/);
  assert.match(backup.stderr, /written and verified/);
  assert.ok(during > 40, `mail kept arriving during the backup (${during} sent by its end)`);

  // A restore onto the folder a server runs on is refused.
  const underServer = await runCli(['--data-dir', source, 'restore', file, '--yes']);
  assert.equal(underServer.code, 1);
  assert.match(underServer.stderr, /is running on .*: stop it first/);
  await served.stop();

  const restore = await cli(target, ['restore', file, '--yes']);
  assert.match(restore.stdout, /domains: example\.com/);
  assert.match(restore.stdout, /restored; the data it replaced is in \(there was none\)/);

  const original = openStore(join(source, DATABASE_FILE), { now: () => Date.now() });
  const restored = openStore(join(target, DATABASE_FILE), { now: () => Date.now() });
  t.after(async () => {
    await original.close();
    await restored.close();
  });
  const before = await messagesOf(original);
  const after = await messagesOf(restored);
  assert.ok(after.size >= 40 && after.size <= before.size, `the backup holds ${after.size} of ${before.size} messages`);
  for (const [key, bytes] of after) assert.ok(before.get(key)?.equals(bytes), `${key} is byte-identical`);
  assert.deepEqual(readFileSync(join(target, 'tls', 'key.pem')), readFileSync(join(source, 'tls', 'key.pem')));

  const again = await serve(target);
  try {
    const snapshot = await imapSnapshot({ port: again.ready.ports.imaps, tls: true, user: 'alice@example.com', password: PASSWORD });
    assert.equal(snapshot.INBOX.messages.length, after.size, 'the old password logs in and sees the restored mail');
  } finally {
    await again.stop();
  }
});

test('a damaged, cut-short or foreign backup is refused with a clear message, and nothing is replaced', async (t) => {
  const dir = tempDir(t);
  const source = join(dir, 'source');
  await cli(source, ['domain', 'add', 'example.com']);
  const file = (await cli(source, ['backup'])).stdout.trim();
  const bytes = readFileSync(file);

  const damaged = join(dir, 'damaged.mrbak');
  const flipped = Buffer.from(bytes);
  flipped[Math.floor(flipped.length / 2)] ^= 0xff;
  writeFileSync(damaged, flipped);
  const cut = join(dir, 'cut.mrbak');
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
  const foreign = join(dir, 'foreign.mrbak');
  writeFileSync(foreign, 'hello\n');

  const target = join(dir, 'target');
  for (const bad of [damaged, cut, foreign]) {
    const result = await runCli(['--data-dir', target, 'restore', bad, '--yes']);
    assert.equal(result.code, 1, bad);
    assert.match(result.stderr, /cannot be restored: (the backup|this is not)/, result.stderr);
  }
  assert.ok(!existsSync(join(target, DATABASE_FILE)), 'nothing was put in place');
  const status = JSON.parse((await cli(source, ['--json', 'backup', 'status'])).stdout) as { last: { file: string } | null };
  assert.equal(status.last?.file, file, 'the last good backup is recorded');
});
