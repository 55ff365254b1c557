// Backup copies of the database (snapshot.ts): made and checked on a thread of their own, so the
// event loop keeps turning meanwhile; the copy holds the mail committed before it, writes made while
// it runs are neither lost nor wait; and a file that is not a database is named so across the thread.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore, type Delivery } from '../../../server/store/index.js';
import { checkDatabase, NotADatabaseError } from '../../../server/store/snapshot.js';
import { fakeClock, tempDir } from '../../helpers/temp.js';

const MESSAGES = 300;

const delivery = (mailboxId: number, i: number): Delivery => ({
  bytes: Buffer.from(`Subject: ${i}\r\n\r\n${'body '.repeat(200)}${i}\r\n`),
  local: [{ mailboxId, prefix: Buffer.alloc(0), flags: 0, keywords: [], internalDate: 1, sentDate: null, envelope: '[]', bodystructure: '[]', parts: '{}' }],
});

/** Resolves `work`, counting the event loop's turns until it settles. */
async function turnsDuring<T>(work: Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let settled = false;
  const spin = () => {
    turns++;
    if (!settled) setImmediate(spin);
  };
  setImmediate(spin);
  try {
    return { value: await work, turns };
  } finally {
    settled = true;
  }
}

test('a copy made while the store writes holds what was committed, and its check runs while the event loop turns', async (t) => {
  const dir = tempDir(t);
  const store = openStore(join(dir, 'mailroom.sqlite'), fakeClock(), { readWorkers: 0 });
  t.after(async () => await store.close());
  const domain = await store.domains.add('example.com', 0);
  const account = await store.accounts.add({ domainId: domain.id, localPart: 'alice', displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: 0 });
  await store.mailboxes.createDefaults(account.id);
  const inbox = await store.mailboxes.require(account.id, 'INBOX');
  await store.deliverMany(Array.from({ length: MESSAGES }, (_, i) => delivery(inbox.id, i)));

  const copy = join(dir, 'copy.sqlite');
  const copying = store.snapshot(copy);
  // Writes while the copy runs commit at once (WAL: the copying thread only reads).
  await store.deliverMany([delivery(inbox.id, MESSAGES)]);
  await copying;
  assert.equal((await store.messages.uids(inbox.id)).length, MESSAGES + 1);

  const { value: check, turns } = await turnsDuring(checkDatabase(copy));
  assert.ok(turns > 0, 'the event loop turned while the copy was checked');
  assert.deepEqual(check.integrity, ['ok']);
  assert.equal(check.badBlobs, 0);
  assert.deepEqual(check.domains, ['example.com']);
  assert.ok(check.counts.messages === MESSAGES || check.counts.messages === MESSAGES + 1, `the copy holds ${check.counts.messages} messages`);
  assert.equal(check.counts.blobs, check.counts.messages);
});

test('a file that is not a database is refused from the checking thread as NotADatabaseError', async (t) => {
  const file = join(tempDir(t), 'not.sqlite');
  writeFileSync(file, 'this is no SQLite file, it is plain text long enough to have a header'.repeat(20));
  await assert.rejects(checkDatabase(file), (error: unknown) => error instanceof NotADatabaseError && /is not a Mailroom database/.test(error.message));
});
