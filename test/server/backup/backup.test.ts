// Backups at the module level: when the schedule is due, and a backup from a newer Mailroom refused
// by restore before anything is touched.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createBackup } from '../../../server/backup/backup.js';
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
