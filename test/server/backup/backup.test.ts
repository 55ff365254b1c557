// Backups at the module level: when the schedule is due, and a backup from a newer Mailroom refused
// by restore before anything is touched.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createBackup, verifyBackup } from '../../../server/backup/backup.js';
import { restoreBackup } from '../../../server/backup/restore.js';
import { lastDue } from '../../../server/backup/service.js';
import { openStore } from '../../../server/store/index.js';
import { SCHEMA_VERSION } from '../../../server/store/migrations/index.js';
import { tempDir } from '../../helpers/temp.js';

test('the schedule is due at its time of day, and before it at the same time the day before', () => {
  const at = (h: number, m: number) => new Date(2026, 0, 2, h, m).getTime();
  const schedule = { dailyAt: '03:00', keep: 7, dir: '' };
  assert.equal(lastDue(schedule, at(3, 0)), at(3, 0));
  assert.equal(lastDue(schedule, at(14, 30)), at(3, 0));
  assert.equal(lastDue(schedule, at(2, 59)), new Date(2026, 0, 1, 3, 0).getTime());
});

test('restore refuses a backup from a newer Mailroom without touching the folder', async (t) => {
  const dir = tempDir(t);
  const store = openStore(join(dir, 'mailroom.sqlite'), { now: () => Date.now() });
  await store.domains.add('example.com', 0);
  const { file, manifest } = await createBackup({ store, dataDir: dir, version: 'test', hostname: 'mail.example.com', now: () => Date.now() });
  await store.close();
  assert.deepEqual(manifest.domains, ['example.com']);
  const target = join(dir, 'target');
  let backedUp = false;
  await assert.rejects(
    restoreBackup({ dataDir: target, schemaVersion: SCHEMA_VERSION - 1, backupCurrent: async () => ((backedUp = true), null) }, file),
    /comes from a newer Mailroom \(test, schema \d+\); upgrade Mailroom/,
  );
  assert.equal(backedUp, false);
  assert.equal(existsSync(join(target, 'mailroom.sqlite')), false);
});

test('a backup is compressed and read back on a thread of its own: the event loop turns in every stage, and the file verifies here', async (t) => {
  const dir = tempDir(t);
  const store = openStore(join(dir, 'mailroom.sqlite'), { now: () => Date.now() });
  t.after(async () => await store.close());
  const domain = await store.domains.add('example.com', 0);
  const account = await store.accounts.add({ domainId: domain.id, localPart: 'alice', displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: 0 });
  await store.mailboxes.createDefaults(account.id);
  const inbox = await store.mailboxes.require(account.id, 'INBOX');
  const local = { mailboxId: inbox.id, prefix: Buffer.alloc(0), flags: 0, keywords: [], internalDate: 1, sentDate: null, envelope: '[]', bodystructure: '[]', parts: '{}' };
  await store.deliverMany(Array.from({ length: 200 }, (_, i) => ({ bytes: Buffer.from(`Subject: ${i}\r\n\r\n${'body '.repeat(400)}${i}\r\n`), local: [local] })));
  const turns = new Map<string, number>();
  let stage = 'before';
  let running = true;
  const spin = () => {
    turns.set(stage, (turns.get(stage) ?? 0) + 1);
    if (running) setImmediate(spin);
  };
  setImmediate(spin);
  const { file, manifest } = await createBackup({ store, dataDir: dir, version: 'test', hostname: 'mail.example.com', now: () => Date.now() }, { progress: (s) => (stage = s) }).finally(() => (running = false));
  for (const s of ['copying', 'checking', 'writing', 'verifying']) assert.ok((turns.get(s) ?? 0) > 0, `the event loop turned while ${s}`);
  assert.equal(manifest.counts.messages, 200);
  const opened = await verifyBackup(file, tempDir(t));
  assert.equal(opened.manifest.blobsDigest, manifest.blobsDigest);
});
