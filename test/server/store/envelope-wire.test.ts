// migrations/0003 and the envelope_wire column (messages.ts; in message_mime since 0021): the migration on an existing file with
// messages, the cache filled only where missing, carried by copy; and message bytes read in one
// statement (prefix || blob), whole, by range across the prefix seam, and with the row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeMessage } from '../../../server/delivery/describe.js';
import { openStore } from '../../../server/store/index.js';
import { migrate, MIGRATIONS, SCHEMA_VERSION, userVersion } from '../../../server/store/migrations/index.js';
import { tempDir, fakeClock } from '../../helpers/temp.js';
import { inspectDatabase } from '../../../server/store/db.js';

const BODY = Buffer.from('From: Ann <ann@example.org>\r\nSubject: caf\xc3\xa9 menu\r\nTo: bob@example.com\r\n\r\nHello.\r\n', 'latin1');
const PREFIX = Buffer.from('Delivered-To: bob@example.com\r\n');

/** A database file as version 2 wrote it: one account, INBOX, two messages sharing one blob (one with a prefix). */
function versionTwoFile(file: string): void {
  const db = new Database(file);
  try {
    migrate(db, null, MIGRATIONS.slice(0, 2));
    assert.equal(userVersion(db), 2);
    db.exec(`
      INSERT INTO domains (id, name, created_at) VALUES (1, 'example.com', 1);
      INSERT INTO accounts (id, domain_id, local_part, password_hash, created_at) VALUES (1, 1, 'bob', 'x', 1);
      INSERT INTO mailboxes (id, account_id, name, uidvalidity, uidnext, highest_modseq, created_at) VALUES (1, 1, 'INBOX', 7, 3, 3, 1);`);
    db.prepare('INSERT INTO blobs (id, sha256, size, data, refcount) VALUES (1, ?, ?, ?, 2)').run(createHash('sha256').update(BODY).digest(), BODY.length, BODY);
    const insert = db.prepare(`
      INSERT INTO messages (mailbox_id, uid, modseq, flags, keywords, internal_date, size, blob_id, prefix, sent_date, envelope, bodystructure, parts)
      VALUES (1, ?, ?, 0, '', 1, ?, 1, ?, NULL, ?, ?, ?)`);
    for (const [uid, prefix] of [[1, Buffer.alloc(0)], [2, PREFIX]] as const) {
      const d = describeMessage(BODY).forCopy(prefix.length);
      insert.run(uid, uid + 1, prefix.length + BODY.length, prefix, d.envelope, d.bodystructure, d.parts);
    }
  } finally {
    db.close();
  }
}

test('migration 0003 adds envelope_wire to an existing file with messages, leaving them to be filled', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'mailroom.sqlite');
  versionTwoFile(file);
  const store = openStore(file, fakeClock());
  t.after(async () => await store.close());
  assert.equal(userVersion(inspectDatabase(store)), SCHEMA_VERSION);
  assert.deepEqual(inspectDatabase(store).prepare('SELECT uid, envelope_wire FROM messages JOIN message_mime USING (id) ORDER BY uid').all(), [
    { uid: 1, envelope_wire: null },
    { uid: 2, envelope_wire: null },
  ]);
  // The rows are otherwise untouched and readable.
  const rows = await store.messages.rows(1, [1, 2], ['envelope', 'envelopeWire']);
  const expected = describeMessage(BODY).forCopy(0);
  assert.deepEqual(rows.map((r) => [r.uid, r.envelope, r.envelopeWire]), [
    [1, expected.envelope, null],
    [2, expected.envelope, null],
  ]);
  assert.ok((await store.messages.read(rows[1].id))!.equals(Buffer.concat([PREFIX, BODY])));

  // Filled only where still NULL: a second writer cannot replace a value already there.
  await store.messages.setEnvelopeWire([{ id: rows[0].id, wire: expected.envelopeWire }]);
  await store.messages.setEnvelopeWire([{ id: rows[0].id, wire: 'NIL' }, { id: rows[1].id, wire: expected.envelopeWire }]);
  assert.deepEqual((await store.messages.rows(1, [1, 2], ['envelopeWire'])).map((r) => r.envelopeWire), [expected.envelopeWire, expected.envelopeWire]);
});

test('the migrated file keeps a backup of version 2', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'mailroom.sqlite');
  versionTwoFile(file);
  await openStore(file, fakeClock()).close();
  const name = readdirSync(dir).find((n) => n.startsWith('mailroom.sqlite.v2-'));
  assert.ok(name, 'a backup of the version 2 file');
  const backup = new Database(join(dir, name), { readonly: true });
  t.after(() => backup.close());
  assert.equal(userVersion(backup), 2);
  assert.equal(backup.prepare('SELECT count(*) FROM messages').pluck().get(), 2);
});

test('append stores the given wire form (or none), copy carries it, and bytes read in one statement', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'mailroom.sqlite');
  versionTwoFile(file);
  const store = openStore(file, fakeClock());
  t.after(async () => await store.close());
  const d = describeMessage(BODY).forCopy(PREFIX.length);
  const base = { prefix: PREFIX, flags: 0, keywords: [], internalDate: 2, sentDate: d.sentDate, envelope: d.envelope, bodystructure: d.bodystructure, parts: d.parts };
  await store.deliver({ bytes: BODY, local: [{ mailboxId: 1, ...base, envelopeWire: d.envelopeWire }, { mailboxId: 1, ...base }] });
  assert.deepEqual((await store.messages.rows(1, [3, 4], ['envelopeWire'])).map((r) => r.envelopeWire), [d.envelopeWire, null]);
  const copied = (await store.messages.copy(1, [3, 4], 1)).result.destinationUids;
  assert.deepEqual((await store.messages.rows(1, copied, ['envelopeWire'])).map((r) => r.envelopeWire), [d.envelopeWire, null]);

  const whole = Buffer.concat([PREFIX, BODY]);
  const [row] = await store.messages.rows(1, [3], []);
  assert.ok((await store.messages.read(row.id))!.equals(whole));
  for (const [start, length] of [[0, whole.length], [0, 5], [PREFIX.length - 3, 10], [PREFIX.length, 7], [whole.length - 4, 100], [whole.length + 5, 3]]) {
    assert.ok((await store.messages.readRange(row.id, start, length))!.equals(whole.subarray(start, start + length)), `range ${start}+${length}`);
  }
  const one = await store.messages.rowWithBytes(1, 3, ['envelopeWire', 'parts']);
  assert.ok(one !== null && one.bytes.equals(whole));
  assert.deepEqual([one.row.uid, one.row.size, one.row.envelopeWire, one.row.parts, one.row.envelope], [3, whole.length, d.envelopeWire, d.parts, null]);
  const plain = await store.messages.rowWithBytes(1, 1, []);
  assert.ok(plain !== null && plain.bytes.equals(BODY), 'no prefix: the blob itself');
  assert.equal(await store.messages.rowWithBytes(1, 99, []), null);
});
