// The store operations IMAP needs (messages.ts): flag updates with mod-sequences and UNCHANGEDSINCE,
// copy/move with shared blobs, QRESYNC queries, SEARCH rows, and migration 0002.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { LocalCopy, Store } from '../../../server/store/index.js';
import { FLAG_BITS } from '../../../server/store/messages.js';
import { migrate, MIGRATIONS } from '../../../server/store/migrations/index.js';
import { tempDir } from '../../helpers/temp.js';
import { storeTest, type Backend } from '../../helpers/store-backends.js';

const SEEN = FLAG_BITS['\\Seen'];
const FLAGGED = FLAG_BITS['\\Flagged'];

async function setup(t: TestContext, backend: Backend) {
  const store = await backend.open(t);
  const domain = await store.domains.add('example.com', 0);
  const account = await store.accounts.add({ domainId: domain.id, localPart: 'alice', displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: 0 });
  await store.mailboxes.createDefaults(account.id);
  const inbox = await store.mailboxes.require(account.id, 'INBOX');
  const deliver = async (text: string, mailbox = inbox.id, keywords: string[] = []) =>
    (await store.deliver({ bytes: Buffer.from(text), local: [local(store, mailbox, keywords)] })).result.uids[0].uid;
  return { store, account, inbox, deliver };
}

const local = (store: Store, mailboxId: number, keywords: string[]): LocalCopy => ({
  mailboxId,
  prefix: Buffer.alloc(0),
  flags: 0,
  keywords,
  internalDate: 1,
  sentDate: null,
  envelope: '[]',
  bodystructure: '[]',
  parts: '{}',
});

storeTest('updateFlags: one new mod-sequence per operation, none for a no-op, keywords case-insensitive', async (t, backend) => {
  const { store, inbox, deliver } = await setup(t, backend);
  for (const i of [1, 2, 3]) await deliver(`Subject: ${i}\r\n\r\n.`);
  const before = (await store.mailboxes.byId(inbox.id))!.highestModseq;
  const add = await store.messages.updateFlags(inbox.id, [1, 2, 3], { action: 'add', flags: SEEN, keywords: ['$Work'] }, null);
  const modseq = before + 1;
  assert.deepEqual(add.result.messages.map((m) => [m.uid, m.flags, m.keywords, m.modseq, m.changed]), [1, 2, 3].map((uid) => [uid, SEEN, ['$Work'], modseq, true]));
  assert.deepEqual(add.changes, [{ kind: 'flags-changed', accountId: inbox.accountId, mailboxId: inbox.id, uids: [1, 2, 3], modseq }]);
  assert.equal((await store.mailboxes.byId(inbox.id))!.highestModseq, modseq);

  const again = await store.messages.updateFlags(inbox.id, [1, 2, 3], { action: 'add', flags: SEEN, keywords: ['$WORK'] }, null);
  assert.ok(again.result.messages.every((m) => !m.changed && m.keywords[0] === '$Work'), 'same keyword in another case: no change');
  assert.deepEqual(again.changes, []);
  assert.equal((await store.mailboxes.byId(inbox.id))!.highestModseq, modseq, 'no mod-sequence spent on a no-op');

  const removed = await store.messages.updateFlags(inbox.id, [2], { action: 'remove', flags: 0, keywords: ['$work'] }, null);
  assert.deepEqual(removed.result.messages[0].keywords, []);
  const replaced = await store.messages.updateFlags(inbox.id, [3], { action: 'replace', flags: FLAGGED, keywords: ['a', 'A', 'b'] }, null);
  assert.deepEqual([replaced.result.messages[0].flags, replaced.result.messages[0].keywords], [FLAGGED, ['a', 'b']]);
  assert.deepEqual((await store.messages.keywordsInUse(inbox.id)).sort(), ['$Work', 'a', 'b']);
  assert.equal(await store.messages.firstUnseen(inbox.id), 3);
});

storeTest('updateFlags with UNCHANGEDSINCE leaves newer messages alone and reports them', async (t, backend) => {
  const { store, inbox, deliver } = await setup(t, backend);
  for (const i of [1, 2]) await deliver(`Subject: ${i}\r\n\r\n.`);
  const [m1, m2] = await store.messages.meta(inbox.id, [1, 2]);
  await store.messages.updateFlags(inbox.id, [2], { action: 'add', flags: FLAGGED, keywords: [] }, null);
  const { result } = await store.messages.updateFlags(inbox.id, [1, 2], { action: 'add', flags: SEEN, keywords: [] }, Math.max(m1.modseq, m2.modseq));
  assert.deepEqual(result.modified, [2]);
  assert.deepEqual(result.messages.map((m) => m.uid), [1]);
  assert.equal((await store.messages.meta(inbox.id, [2]))[0].flags, FLAGGED);
});

storeTest('copy shares the blob, keeps flags and date, counts usage; move also expunges with tombstones', async (t, backend) => {
  const { store, account, inbox, deliver } = await setup(t, backend);
  await deliver('Subject: a\r\n\r\nbody a', inbox.id, ['Keep']);
  await deliver('Subject: b\r\n\r\nbody b');
  await store.messages.updateFlags(inbox.id, [1], { action: 'add', flags: SEEN, keywords: [] }, null);
  const archive = await store.mailboxes.require(account.id, 'Archive');
  const usage = async () => (await store.accounts.get(account.id))!.usedBytes;
  const before = (await usage());
  const copied = await store.messages.copy(inbox.id, [1, 2, 9], archive.id);
  assert.deepEqual(copied.result, { sourceUids: [1, 2], destinationUids: [1, 2] });
  assert.deepEqual(copied.changes.map((c) => c.kind), ['message-added', 'message-added']);
  assert.equal((await usage()), before * 2);
  const [c1] = await store.messages.meta(archive.id, [1]);
  assert.deepEqual([c1.flags, c1.keywords, c1.internalDate], [SEEN, ['Keep'], 1]);
  assert.ok((await store.messages.read(c1.id))!.equals(Buffer.from('Subject: a\r\n\r\nbody a')));
  const blobs = async () => (await backend.rows<{ n: number; refs: number }>(store, 'SELECT count(*) AS n, sum(refcount) AS refs FROM blobs'))[0];
  assert.deepEqual(await blobs(), { n: 2, refs: 4 });

  const trash = await store.mailboxes.require(account.id, 'Trash');
  const moved = await store.messages.move(archive.id, [2], trash.id);
  assert.deepEqual(moved.result, { sourceUids: [2], destinationUids: [1] });
  assert.deepEqual(moved.changes.map((c) => c.kind), ['message-added', 'messages-expunged']);
  assert.deepEqual(await store.messages.uids(archive.id), [1]);
  assert.equal((await usage()), before * 2, 'a move does not change usage');
  assert.deepEqual(await blobs(), { n: 2, refs: 4 });
  const expunged = moved.changes[1];
  assert.ok(expunged.kind === 'messages-expunged');
  assert.deepEqual(await store.messages.expungedSince(archive.id, expunged.modseq - 1), [2]);
  assert.deepEqual(await store.messages.expungedSince(archive.id, expunged.modseq), []);
});

storeTest('changedSince, counts, uids above a UID, and meta/rows for sparse and dense UID sets', async (t, backend) => {
  const { store, inbox, deliver } = await setup(t, backend);
  for (let i = 1; i <= 120; i++) await deliver(`Subject: ${i}\r\n\r\n.`);
  const mark = (await store.mailboxes.byId(inbox.id))!.highestModseq;
  await store.messages.updateFlags(inbox.id, [5, 100], { action: 'add', flags: SEEN, keywords: [] }, null);
  await store.messages.updateFlags(inbox.id, [100], { action: 'add', flags: FLAG_BITS['\\Deleted'], keywords: [] }, null);
  await store.messages.expunge(inbox.id, [7]);
  assert.deepEqual((await store.messages.changedSince(inbox.id, mark)).map((m) => m.uid), [5, 100]);
  const size = Array.from({ length: 120 }, (_, i) => i + 1)
    .filter((i) => i !== 7)
    .reduce((sum, i) => sum + Buffer.byteLength(`Subject: ${i}\r\n\r\n.`), 0);
  assert.deepEqual(await store.messages.counts(inbox.id, 118), { messages: 119, unseen: 117, recent: 3, size, deleted: 1 });
  assert.deepEqual(await store.messages.uids(inbox.id, 117), [118, 119, 120]);
  const dense = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.deepEqual((await store.messages.meta(inbox.id, dense)).map((m) => m.uid), dense.filter((u) => u !== 7));
  assert.deepEqual((await store.messages.meta(inbox.id, [1, 7, 50, 120])).map((m) => m.uid), [1, 50, 120]);
  const [row] = await store.messages.rows(inbox.id, [1], ['envelope']);
  assert.deepEqual([row.envelope, row.bodystructure, row.parts], ['[]', null, null]);
});

storeTest('searchRows: the header cache, and the SQL prefilter on it', async (t, backend) => {
  const { store, inbox, deliver } = await setup(t, backend);
  for (const i of [1, 2, 3, 4]) await deliver(`Subject: ${i}\r\n\r\n.`);
  const rows = await store.messages.searchRows(inbox.id, { headers: true, parts: false });
  assert.ok(rows.every((r) => r.searchHeaders === null && r.parts === null));
  await store.messages.setSearchHeaders([
    { id: rows[0].id, text: 'subject: hello world' },
    { id: rows[1].id, text: 'subject: other' },
    { id: rows[3].id, text: 'from: "hel\\lo" <x@y>' },
  ]);
  const filtered = await store.messages.searchRows(inbox.id, { headers: true, parts: true, headerNeedle: 'hello' });
  assert.deepEqual(
    filtered.map((r) => [r.uid, r.searchHeaders]),
    [[1, 'subject: hello world'], [3, null], [4, 'from: "hel\\lo" <x@y>']],
    'matches, rows not cached yet, and rows with a quoted pair (the address parser undoes it)',
  );
  assert.equal(filtered[0].parts, '{}');
});

test('migration 0002 adds the search cache to an existing database', (t) => {
  const file = join(tempDir(t), 'old.sqlite');
  const db = new Database(file);
  t.after(() => db.close());
  migrate(db, null, MIGRATIONS.slice(0, 1));
  db.exec("INSERT INTO domains (name, created_at) VALUES ('example.com', 1)");
  assert.deepEqual(migrate(db, null, MIGRATIONS.slice(0, 2)), [2]);
  const columns = db.prepare("SELECT name FROM pragma_table_info('messages')").pluck().all();
  assert.ok(columns.includes('search_headers'));
  const indexes = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'expunged'").pluck().all();
  assert.ok(indexes.includes('expunged_modseq'));
});
