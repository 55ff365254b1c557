// Migration 0006: subscriptions leave the mailboxes table for a list of names, and UIDVALIDITY gets a
// high-water mark that survives deletes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from '../../../server/store/db.js';
import { migrate, MIGRATIONS } from '../../../server/store/migrations/index.js';
import { openStore } from '../../../server/store/index.js';
import { tempDir } from '../../helpers/temp.js';

test('0006 carries subscribed mailboxes over as names and starts UIDVALIDITY at the highest in use', (t) => {
  const db = openDatabase(join(tempDir(t), 'm.sqlite'), { migrate: false });
  t.after(() => db.close());
  migrate(db, null, MIGRATIONS.filter((m) => m.version < 6));
  db.exec(`
    INSERT INTO domains (id, name, created_at) VALUES (1, 'example.com', 1);
    INSERT INTO accounts (id, domain_id, local_part, password_hash, created_at) VALUES (1, 1, 'alice', 'x', 1);
    INSERT INTO mailboxes (account_id, name, uidvalidity, subscribed, created_at) VALUES
      (1, 'INBOX', 100, 1, 1), (1, 'Old', 2000000000, 0, 1), (1, 'Lists/Rust', 300, 1, 1);
  `);
  migrate(db, null);
  assert.deepEqual(db.prepare('SELECT account_id, name FROM subscriptions ORDER BY name').all(), [
    { account_id: 1, name: 'INBOX' },
    { account_id: 1, name: 'Lists/Rust' },
  ]);
  assert.equal(db.prepare("SELECT value FROM counters WHERE name = 'uidvalidity'").pluck().get(), 2000000000);
  const columns = db.prepare("SELECT name FROM pragma_table_info('mailboxes')").pluck().all();
  assert.ok(!columns.includes('subscribed'));
});

test('a mailbox deleted and re-created in the same second never gets its UIDVALIDITY back', async (t) => {
  const now = Date.UTC(2026, 0, 1);
  const store = openStore(join(tempDir(t), 'm.sqlite'), { now: () => now });
  t.after(() => store.close());
  const domain = await store.domains.add('example.com', 0);
  const account = await store.createAccount({ domainId: domain.id, localPart: 'alice', displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: 0 });
  const seen = new Set<number>();
  for (let i = 0; i < 3; i++) {
    const created = await store.mailboxes.create(account.id, 'Again', null);
    assert.ok(!seen.has(created.uidValidity), `round ${i}: ${created.uidValidity} is new`);
    seen.add(created.uidValidity);
    await store.deleteMailbox(created.id);
  }
});
