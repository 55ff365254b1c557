// Migration 0009: the import progress tables, and their rows going with the account they belong to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from '../../../server/store/db.js';
import { migrate, MIGRATIONS } from '../../../server/store/migrations/index.js';
import { tempDir } from '../../helpers/temp.js';

test('0009 adds import jobs and per-folder progress that are deleted with their account', (t) => {
  const db = openDatabase(join(tempDir(t), 'm.sqlite'), { migrate: false });
  t.after(() => db.close());
  migrate(db, null, MIGRATIONS.filter((m) => m.version < 9));
  db.exec(`
    INSERT INTO domains (id, name, created_at) VALUES (1, 'example.com', 1);
    INSERT INTO accounts (id, domain_id, local_part, password_hash, created_at) VALUES (1, 1, 'alice', 'x', 1);
    INSERT INTO mailboxes (id, account_id, name, uidvalidity, created_at) VALUES (1, 1, 'INBOX', 7, 1);
  `);
  migrate(db, null);
  db.exec(`
    INSERT INTO import_jobs (job, kind, started_at) VALUES ('maildir:/x', 'maildir', 1);
    INSERT INTO import_folders (job, account_id, folder, mailbox_id, source_uidvalidity, last_source_uid) VALUES ('maildir:/x', 1, 'INBOX', 1, 7, 3);
  `);
  assert.equal(db.prepare('SELECT last_source_uid FROM import_folders').pluck().get(), 3);
  db.exec('DELETE FROM mailboxes; DELETE FROM accounts');
  assert.equal(db.prepare('SELECT count(*) FROM import_folders').pluck().get(), 0);
  assert.equal(db.prepare('SELECT count(*) FROM import_jobs').pluck().get(), 1, 'the job itself stays');
});
