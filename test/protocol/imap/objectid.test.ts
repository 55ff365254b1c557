// OBJECTID (RFC 8474): MAILBOXID after SELECT/EXAMINE, CREATE and in STATUS; FETCH EMAILID and
// THREADID; SEARCH EMAILID/THREADID; ids stable across RENAME, COPY and MOVE. Raw socket, real server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { message, startImap } from './harness.js';
import { fetches, untagged, type Result } from './client.js';

const OBJECTID = /^[A-Za-z0-9_-]{1,255}$/;

/** `MAILBOXID (id)` of a response code or STATUS item list, unwrapped. */
function mailboxId(code: string | undefined): string {
  const m = /^MAILBOXID \(([A-Za-z0-9_-]+)\)$/.exec(code ?? '');
  assert.ok(m, `a MAILBOXID code: ${code}`);
  return m[1];
}

function statusMailboxId(r: Result): string {
  const [status] = untagged(r, 'STATUS');
  const items = status.values[2] as unknown[];
  const at = items.indexOf('MAILBOXID');
  assert.ok(at >= 0, 'STATUS has MAILBOXID');
  const [id] = items[at + 1] as string[];
  return id;
}

/** FETCH's `EMAILID (id)` / `THREADID (id)` per message, in order. */
function ids(r: Result, item: 'EMAILID' | 'THREADID'): string[] {
  return fetches(r).map((m) => {
    const value = m.items[item] as string[];
    assert.ok(Array.isArray(value) && value.length === 1 && OBJECTID.test(value[0]), `${item} is (objectid): ${JSON.stringify(value)}`);
    return value[0];
  });
}

test('RFC 8474 §4: MAILBOXID after CREATE, SELECT, EXAMINE and in STATUS; kept by RENAME, new after DELETE and CREATE', async (t) => {
  const f = await startImap(t);
  const c = await f.login();
  assert.ok(untagged(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values.includes('OBJECTID'));
  const created = mailboxId((await c.transact('OK', 'CREATE Projects')).tagged.code);
  assert.match(created, OBJECTID);
  const selectCode = (r: Result) => r.untagged.find((u) => u.status === 'OK' && u.code?.startsWith('MAILBOXID'))?.code;
  assert.equal(mailboxId(selectCode(await c.transact('OK', 'SELECT Projects'))), created);
  assert.equal(mailboxId(selectCode(await c.transact('OK', 'EXAMINE Projects'))), created);
  assert.equal(statusMailboxId(await c.transact('OK', 'STATUS Projects (MESSAGES MAILBOXID)')), created);
  const inbox = statusMailboxId(await c.transact('OK', 'STATUS INBOX (MAILBOXID)'));
  assert.notEqual(inbox, created);

  await c.transact('OK', 'UNSELECT');
  await c.transact('OK', 'RENAME Projects Archive/Projects');
  assert.equal(statusMailboxId(await c.transact('OK', 'STATUS Archive/Projects (MAILBOXID)')), created, 'RENAME keeps the id');
  await c.transact('OK', 'DELETE Archive/Projects');
  const again = mailboxId((await c.transact('OK', 'CREATE Archive/Projects')).tagged.code);
  assert.notEqual(again, created, 'a new mailbox under the old name gets a new id');
  // LIST-STATUS carries it too.
  const listed = await c.transact('OK', 'LIST "" "Archive/Projects" RETURN (STATUS (MAILBOXID))');
  assert.equal(statusMailboxId(listed), again);
  await c.transact('BAD', 'STATUS INBOX (MAILBOXID');
  await c.logout();
});

test('RFC 8474 §5: EMAILID and THREADID; the same after COPY and MOVE; a reply shares its thread', async (t) => {
  const f = await startImap(t);
  await f.deliver(message('root'));
  await f.deliver(message('reply', 'Hi.\r\n', 'In-Reply-To: <root@example.net>\r\nReferences: <root@example.net>\r\n'));
  await f.deliver(message('reply to reply', 'Hi.\r\n', 'References: <ROOT@example.net> <reply@example.net>\r\n'));
  await f.deliver(message('other'));
  await f.deliver('From: a@example.net\r\nSubject: no ids\r\n\r\nbody\r\n');
  const c = await f.selected();
  await c.transact('OK', 'CREATE Kept');

  const before = await c.transact('OK', 'FETCH 1:5 (EMAILID THREADID)');
  const emails = ids(before, 'EMAILID');
  const threads = ids(before, 'THREADID');
  assert.equal(new Set(emails).size, 5, 'five messages, five EMAILIDs');
  assert.equal(threads[1], threads[0], 'the reply is in the thread of the message it answers');
  assert.equal(threads[2], threads[0], 'Message-IDs compare case-insensitively');
  assert.equal(new Set(threads).size, 3, 'the unrelated message and the one without ids are threads of their own');
  assert.notEqual(emails[0], threads[0], 'EMAILID and THREADID are distinct names');
  // UID FETCH EMAILID alone; the FETCH sets no \Seen.
  const [one] = fetches(await c.transact('OK', 'UID FETCH 4 (EMAILID FLAGS)'));
  assert.deepEqual(one.items.EMAILID, [emails[3]]);
  assert.deepEqual(one.items.FLAGS, ['\\Recent']);

  await c.transact('OK', 'COPY 1 Kept');
  await c.transact('OK', 'MOVE 2 Kept');
  const d = await f.selected('Kept');
  const moved = await d.transact('OK', 'FETCH 1:2 (EMAILID THREADID)');
  assert.deepEqual(ids(moved, 'EMAILID'), [emails[0], emails[1]], 'COPY and MOVE keep the EMAILID (the blob is shared)');
  assert.deepEqual(ids(moved, 'THREADID'), [threads[0], threads[0]]);
  await d.logout();

  // SEARCH EMAILID / THREADID (RFC 8474 §6), with other keys and under NOT; the numbers are of the view after the MOVE.
  const numbers = (r: Result) => untagged(r, 'SEARCH')[0].values.slice(1);
  assert.deepEqual(numbers(await c.transact('OK', `SEARCH EMAILID ${emails[3]}`)), [3]);
  assert.deepEqual(numbers(await c.transact('OK', `UID SEARCH THREADID ${threads[0]}`)), [1, 3]);
  assert.deepEqual(numbers(await c.transact('OK', `SEARCH NOT THREADID ${threads[0]} SUBJECT other`)), [3]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH EMAILID M000000000000000000000000')), []);
  const esearch = untagged(await c.transact('OK', `SEARCH RETURN (COUNT) OR EMAILID ${emails[0]} EMAILID ${emails[4]}`), 'ESEARCH')[0];
  assert.deepEqual(esearch.values.slice(-2), ['COUNT', 2]);
  await c.transact('BAD', 'SEARCH EMAILID');
  await c.transact('BAD', 'SEARCH EMAILID a.b');
  await c.transact('BAD', `SEARCH THREADID ${'x'.repeat(256)}`);
  await c.transact('BAD', 'FETCH 1 (EMAILID (x))');
  await c.logout();
});
