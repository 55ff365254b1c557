import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../../server/store/db.js';
import { migrate, MIGRATIONS, NewerDatabaseError, SCHEMA_VERSION, userVersion, type Migration } from '../../../server/store/migrations/index.js';
import { tempDir } from '../../helpers/temp.js';

const TABLES = ['domains', 'domain_dkim', 'accounts', 'aliases', 'alias_destinations', 'transports', 'networks', 'rules', 'mailboxes', 'blobs', 'messages', 'message_mime', 'expunged', 'queue', 'log', 'settings', 'send_as', 'master_users', 'auth_bans'];

test('a new database gets the whole schema, WAL and synchronous=FULL', (t) => {
  const db = openDatabase(join(tempDir(t), 'm.sqlite'));
  t.after(() => db.close());
  assert.equal(userVersion(db), SCHEMA_VERSION);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('synchronous', { simple: true }), 2); // FULL
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  const tables = (db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table'").all() as { name: string; sql: string }[]);
  for (const name of TABLES) {
    const table = tables.find((x) => x.name === name);
    assert.ok(table, `table ${name} exists`);
    assert.match(table.sql, /STRICT\s*$/, `table ${name} is STRICT`);
  }
});

test('opening an up-to-date database applies nothing', (t) => {
  const file = join(tempDir(t), 'm.sqlite');
  openDatabase(file).close();
  const db = openDatabase(file, { migrate: false });
  t.after(() => db.close());
  assert.deepEqual(migrate(db, null), []);
});

test('a migration on an existing file keeps the data and backs the file up first', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'm.sqlite');
  const db1 = openDatabase(file);
  db1.prepare("INSERT INTO domains (name, created_at) VALUES ('example.com', 1)").run();
  db1.close();

  const m2: Migration = { version: SCHEMA_VERSION + 1, name: 'add-note', up: "ALTER TABLE domains ADD COLUMN note TEXT NOT NULL DEFAULT 'n/a'" };
  const db = openDatabase(file, { migrate: false });
  t.after(() => db.close());
  const applied = migrate(db, (from) => `${file}.v${from}.bak`, [...MIGRATIONS, m2]);
  assert.deepEqual(applied, [SCHEMA_VERSION + 1]);
  assert.deepEqual(db.prepare('SELECT name, note FROM domains').all(), [{ name: 'example.com', note: 'n/a' }]);
  assert.equal(userVersion(db), SCHEMA_VERSION + 1);

  const backup = `${file}.v${SCHEMA_VERSION}.bak`;
  assert.ok(existsSync(backup), `backup ${backup} written; dir has ${readdirSync(dir).join(', ')}`);
  const old = new Database(backup, { readonly: true });
  t.after(() => old.close());
  assert.equal(old.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.deepEqual(old.prepare('SELECT name FROM domains').all(), [{ name: 'example.com' }]);
});

test('a failing migration rolls back and leaves the version unchanged', (t) => {
  const file = join(tempDir(t), 'm.sqlite');
  openDatabase(file).close();
  const bad: Migration = { version: SCHEMA_VERSION + 1, name: 'bad', up: 'CREATE TABLE half (x INTEGER) STRICT; INSERT INTO nowhere VALUES (1);' };
  const db = openDatabase(file, { migrate: false });
  t.after(() => db.close());
  assert.throws(() => migrate(db, null, [...MIGRATIONS, bad]), /no such table: nowhere/);
  assert.equal(userVersion(db), SCHEMA_VERSION);
  assert.deepEqual(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'half'").get(), { n: 0 });
});

test('refuses a database written by a newer Mailroom', (t) => {
  const file = join(tempDir(t), 'm.sqlite');
  const raw = new Database(file);
  raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
  raw.close();
  assert.throws(() => openDatabase(file), NewerDatabaseError);
});

test('a database already at version 18 (the last before URLAUTH) gets urlauth_keys, and one made while that migration was 10 keeps its table', (t) => {
  const dir = tempDir(t);
  const tableOf = (db: Database.Database) => db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'urlauth_keys'").get() as { n: number };
  const released = new Database(join(dir, 'released.sqlite'));
  t.after(() => released.close());
  migrate(released, null, MIGRATIONS.filter((m) => m.version <= 18));
  assert.deepEqual([userVersion(released), tableOf(released).n], [18, 0]);
  assert.deepEqual(migrate(released, null, MIGRATIONS.filter((m) => m.version <= 19)), [19]);
  assert.equal(tableOf(released).n, 1);

  // Between the two numberings a new database applied it as 10 and stood at 18 with the table.
  const interim = new Database(join(dir, 'interim.sqlite'));
  t.after(() => interim.close());
  migrate(interim, null, MIGRATIONS.filter((m) => m.version <= 18));
  interim.exec('CREATE TABLE urlauth_keys (mailbox_id INTEGER PRIMARY KEY REFERENCES mailboxes(id) ON DELETE CASCADE, key BLOB NOT NULL) STRICT');
  assert.deepEqual(migrate(interim, null, MIGRATIONS.filter((m) => m.version <= 19)), [19]);
  assert.equal(tableOf(interim).n, 1);
});

test('a database at version 19 gets the acl and shared_mailboxes tables (0020)', (t) => {
  const db = new Database(join(tempDir(t), 'v19.sqlite'));
  t.after(() => db.close());
  migrate(db, null, MIGRATIONS.filter((m) => m.version <= 19));
  assert.deepEqual(migrate(db, null, MIGRATIONS.filter((m) => m.version <= 20)), [20]);
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('acl', 'shared_mailboxes') ORDER BY name").pluck().all();
  assert.deepEqual(tables, ['acl', 'shared_mailboxes']);
});

test('0021 moves the cached MIME columns into message_mime, drops messages_meta, and the row goes with its message', (t) => {
  const db = new Database(join(tempDir(t), 'v20.sqlite'));
  t.after(() => db.close());
  db.pragma('foreign_keys = ON');
  migrate(db, null, MIGRATIONS.filter((m) => m.version <= 20));
  db.exec(`
    INSERT INTO domains (id, name, created_at) VALUES (1, 'example.com', 1);
    INSERT INTO accounts (id, domain_id, local_part, password_hash, created_at) VALUES (1, 1, 'bob', 'x', 1);
    INSERT INTO mailboxes (id, account_id, name, uidvalidity, uidnext, highest_modseq, created_at) VALUES (1, 1, 'INBOX', 7, 3, 3, 1);
    INSERT INTO blobs (id, sha256, size, data, refcount) VALUES (1, x'00', 1, x'41', 2);
    INSERT INTO messages (id, mailbox_id, uid, modseq, flags, keywords, internal_date, size, blob_id, prefix, sent_date, envelope, bodystructure, parts, search_headers, envelope_wire)
      VALUES (10, 1, 1, 1, 0, '', 1, 1, 1, x'', NULL, 'e1', 'b1', 'p1', 'h1', 'w1'),
             (11, 1, 2, 2, 0, '', 1, 1, 1, x'', NULL, 'e2', 'b2', 'p2', NULL, NULL);`);
  assert.deepEqual(migrate(db, null, MIGRATIONS.filter((m) => m.version <= 21)), [21]);
  assert.deepEqual(db.prepare('SELECT * FROM message_mime ORDER BY id').all(), [
    { id: 10, envelope: 'e1', bodystructure: 'b1', parts: 'p1', search_headers: 'h1', envelope_wire: 'w1' },
    { id: 11, envelope: 'e2', bodystructure: 'b2', parts: 'p2', search_headers: null, envelope_wire: null },
  ]);
  const columns = db.prepare("SELECT name FROM pragma_table_info('messages')").pluck().all();
  for (const gone of ['envelope', 'bodystructure', 'parts', 'search_headers', 'envelope_wire']) assert.ok(!columns.includes(gone), `${gone} left messages`);
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'messages_meta'").pluck().get(), 0);
  db.prepare('DELETE FROM messages WHERE id = 10').run();
  assert.deepEqual(db.prepare('SELECT id FROM message_mime').pluck().all(), [11]);
});

test('0022 lists the blobs of stored messages as pending for the full-text index, and a deleted blob leaves it', (t) => {
  const db = new Database(join(tempDir(t), 'v21.sqlite'));
  t.after(() => db.close());
  db.pragma('foreign_keys = ON');
  migrate(db, null, MIGRATIONS.filter((m) => m.version <= 21));
  db.exec(`
    INSERT INTO domains (id, name, created_at) VALUES (1, 'example.com', 1);
    INSERT INTO accounts (id, domain_id, local_part, password_hash, created_at) VALUES (1, 1, 'bob', 'x', 1);
    INSERT INTO mailboxes (id, account_id, name, uidvalidity, uidnext, highest_modseq, created_at) VALUES (1, 1, 'INBOX', 7, 4, 4, 1);
    INSERT INTO blobs (id, sha256, size, data, refcount) VALUES (1, x'01', 1, x'41', 2), (2, x'02', 1, x'42', 1), (3, x'03', 1, x'43', 1);
    INSERT INTO messages (id, mailbox_id, uid, modseq, internal_date, size, blob_id) VALUES (10, 1, 1, 1, 1, 1, 1), (11, 1, 2, 2, 1, 1, 1), (12, 1, 3, 3, 1, 1, 2);`);
  assert.deepEqual(migrate(db, null, MIGRATIONS.filter((m) => m.version <= 22)), [22]);
  assert.deepEqual(db.prepare('SELECT blob_id FROM message_text_pending ORDER BY blob_id').pluck().all(), [1, 2], 'blob 3 is queue-only');
  db.prepare("INSERT INTO message_text (rowid, text) VALUES (3, 'abc')").run();
  db.exec('DELETE FROM messages WHERE blob_id = 2; DELETE FROM blobs WHERE id IN (2, 3);');
  assert.deepEqual(db.prepare('SELECT blob_id FROM message_text_pending').pluck().all(), [1]);
  assert.deepEqual(db.prepare("SELECT rowid FROM message_text WHERE message_text MATCH '\"abc\"'").pluck().all(), []);
});

test('0023 gives messages a save_date column, NULL (not known) for the rows already there', (t) => {
  const db = new Database(join(tempDir(t), 'v22.sqlite'));
  t.after(() => db.close());
  migrate(db, null, MIGRATIONS.filter((m) => m.version <= 22));
  db.exec(`
    INSERT INTO domains (id, name, created_at) VALUES (1, 'example.com', 1);
    INSERT INTO accounts (id, domain_id, local_part, password_hash, created_at) VALUES (1, 1, 'bob', 'x', 1);
    INSERT INTO mailboxes (id, account_id, name, uidvalidity, uidnext, highest_modseq, created_at) VALUES (1, 1, 'INBOX', 7, 2, 1, 1);
    INSERT INTO blobs (id, sha256, size, data, refcount) VALUES (1, x'00', 1, x'41', 1);
    INSERT INTO messages (id, mailbox_id, uid, modseq, flags, keywords, internal_date, size, blob_id, prefix, sent_date)
      VALUES (10, 1, 1, 1, 0, '', 5, 1, 1, x'', NULL);`);
  assert.deepEqual(migrate(db, null, MIGRATIONS.filter((m) => m.version <= 23)), [23]);
  assert.deepEqual(db.prepare('SELECT uid, internal_date, save_date FROM messages').all(), [{ uid: 1, internal_date: 5, save_date: null }]);
});
