import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from '../../../server/store/db.js';
import { openStore } from '../../../server/store/index.js';
import { migrate, MIGRATIONS, userVersion } from '../../../server/store/migrations/index.js';
import { tempDir, fakeClock } from '../../helpers/temp.js';

const OLD_KEY = { domain: 'example.com', selector: 'sel', algorithm: 'ed25519' as const, privateKey: 'PRIVATE', publicKey: 'PUBLIC', createdAt: 1700000000000 };

/** A version 3 file with DKIM/DMARC settings rows as Mailroom kept them before migrations/0004. */
function versionThreeFile(file: string): void {
  const db = openDatabase(file, { migrate: false });
  migrate(db, null, MIGRATIONS.filter((m) => m.version <= 3));
  const domain = db.prepare('INSERT INTO domains (name, created_at) VALUES (?, 1)');
  domain.run('example.com');
  domain.run('tagged.test');
  const setting = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
  setting.run('dkim:example.com', JSON.stringify(OLD_KEY));
  setting.run('dmarc:tagged.test', JSON.stringify('tag'));
  setting.run('dkim:gone.test', JSON.stringify({ ...OLD_KEY, domain: 'gone.test' })); // its domain was deleted
  setting.run('dmarc:gone.test', JSON.stringify('tag'));
  setting.run('dkim:tagged.test', '{"selector": 1}'); // never parsed: the old reader ignored it
  setting.run('hostname', JSON.stringify('mx.example.com'));
  db.close();
}

test('migration 0004 carries DKIM keys and DMARC choices into their domains and drops the settings rows', async (t) => {
  const file = join(tempDir(t), 'mailroom.sqlite');
  versionThreeFile(file);
  const store = openStore(file, fakeClock());
  t.after(() => store.close());
  assert.deepEqual(await store.domains.dkimKey('example.com'), OLD_KEY);
  assert.equal(await store.domains.dkimKey('tagged.test'), undefined);
  assert.equal((await store.domains.get('example.com'))?.dmarcOnReject, null);
  assert.equal((await store.domains.get('tagged.test'))?.dmarcOnReject, 'tag');
  assert.deepEqual(await store.settings.all(), { hostname: 'mx.example.com' }, 'no dkim:/dmarc: rows are left, orphans included');
});

test('deleting a domain deletes its key and choice: a domain added again under the name starts without them', async (t) => {
  const file = join(tempDir(t), 'mailroom.sqlite');
  versionThreeFile(file);
  const store = openStore(file, fakeClock());
  t.after(() => store.close());
  await store.domains.update('example.com', { dmarcOnReject: 'tag' });
  await store.deleteDomain((await store.domains.require('example.com')).id);
  const again = await store.domains.add('example.com', 0);
  assert.equal(again.dmarcOnReject, null);
  assert.equal(await store.domains.dkimKey('example.com'), undefined);

  await store.domains.setDkimKey('example.com', { ...OLD_KEY, selector: 'new' });
  assert.equal((await store.domains.dkimKey('example.com'))?.selector, 'new');
  await store.domains.setDkimKey('example.com', null);
  assert.equal(await store.domains.dkimKey('example.com'), undefined);
  await assert.rejects(store.domains.setDkimKey('nowhere.test', OLD_KEY), /There is no domain/);
});

test('a version 3 file is at the latest version after opening', async (t) => {
  const file = join(tempDir(t), 'mailroom.sqlite');
  versionThreeFile(file);
  await openStore(file, fakeClock()).close();
  const db = openDatabase(file, { migrate: false });
  t.after(() => db.close());
  assert.equal(userVersion(db), MIGRATIONS[MIGRATIONS.length - 1].version);
});
