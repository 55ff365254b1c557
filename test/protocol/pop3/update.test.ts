import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDRESS, message, startPop3, type Pop3Fixture } from './harness.js';
import { inspectDatabase } from '../../../server/store/db.js';

const uids = async (f: Pop3Fixture) => (await f.ctx.store.messages.list(f.inboxId)).map((m) => m.uid);

test('DELE marks without renumbering; RSET unmarks', async (t) => {
  const f = await startPop3(t);
  const a = message('a', 'aaa\r\n');
  const b = message('b', 'bbb\r\n');
  await f.deliver(a);
  await f.deliver(b);
  const c = await f.login();
  assert.equal(await c.command('DELE 1'), '+OK Message 1 deleted');
  assert.equal(await c.command('DELE 1'), '-ERR Message 1 is already deleted');
  assert.equal(await c.command('RETR 1'), '-ERR Message 1 is already deleted');
  assert.equal(await c.command('LIST 1'), '-ERR Message 1 is already deleted');
  assert.equal(await c.command('STAT'), `+OK 1 ${b.length}`);
  assert.deepEqual((await c.multi('LIST')).lines, [`2 ${b.length}`]);
  assert.equal((await c.multi('UIDL')).lines.length, 1);
  assert.equal(await c.command('RSET'), `+OK Maildrop has 2 message(s) (${a.length + b.length} octets)`);
  assert.equal((await c.multi('RETR 1')).raw.toString(), `${a}`);
  assert.equal(await c.quit(), '+OK Bye, 0 message(s) deleted');
  assert.equal((await uids(f)).length, 2);
  assert.deepEqual(f.changes.filter((x) => x.kind === 'messages-expunged'), []);
});

test('a dropped connection deletes nothing and frees the mailbox', async (t) => {
  const f = await startPop3(t);
  await f.deliver(message('keep', 'me\r\n'));
  const c = await f.login();
  assert.match(await c.command('DELE 1'), /^\+OK/);
  await c.drop();
  await f.logged('pop3.disconnect');
  assert.equal((await uids(f)).length, 1);
  const again = await f.login();
  assert.equal(await again.command('STAT'), `+OK 1 ${message('keep', 'me\r\n').length}`);
  await again.quit();
  assert.equal((await uids(f)).length, 1);
});

test('QUIT deletes the marked messages in one expunge that IMAP sees', async (t) => {
  const f = await startPop3(t);
  const [u1, u2, u3] = [await f.deliver(message('1', 'x\r\n')), await f.deliver(message('2', 'y\r\n')), await f.deliver(message('3', 'z\r\n'))];
  const usedBefore = (await f.ctx.store.accounts.find('alice', 'example.com'))!.usedBytes;
  const c = await f.login();
  await c.command('DELE 1');
  await c.command('DELE 3');
  assert.equal(await c.quit(), '+OK Bye, 2 message(s) deleted');
  assert.deepEqual(await uids(f), [u2]);
  const expunged = f.changes.filter((x) => x.kind === 'messages-expunged');
  assert.equal(expunged.length, 1);
  assert.deepEqual(expunged[0], { ...expunged[0], accountId: f.accountId, mailboxId: f.inboxId, uids: [u1, u3] });
  // What an IMAP session resyncing with QRESYNC would read: the tombstones at the expunge's MODSEQ.
  const tombstones = inspectDatabase(f.ctx.store).prepare('SELECT uid, modseq FROM expunged WHERE mailbox_id = ? ORDER BY uid').all(f.inboxId);
  assert.deepEqual(tombstones, [
    { uid: u1, modseq: (expunged[0] as { modseq: number }).modseq },
    { uid: u3, modseq: (expunged[0] as { modseq: number }).modseq },
  ]);
  assert.ok((await f.ctx.store.accounts.find('alice', 'example.com'))!.usedBytes < usedBefore, 'quota usage drops');
  const commit = await f.logged('pop3.dele.commit');
  assert.deepEqual(commit.fields, { ...commit.fields, marked: 2, removed: 2, user: ADDRESS });
});

test('UIDL values stay the same across sessions and after other messages go', async (t) => {
  const f = await startPop3(t);
  await f.deliver(message('1', 'x\r\n'));
  await f.deliver(message('2', 'y\r\n'));
  const first = await f.login();
  const before = (await first.multi('UIDL')).lines.map((l) => l.split(' ')[1]);
  await first.command('DELE 1');
  await first.quit();
  const second = await f.login();
  assert.deepEqual((await second.multi('UIDL')).lines, [`1 ${before[1]}`]);
  await second.quit();
});

test('mail that arrives during a session waits for the next one', async (t) => {
  const f = await startPop3(t);
  await f.deliver(message('old', 'x\r\n'));
  const c = await f.login();
  await f.deliver(message('new', 'y\r\n'));
  assert.match(await c.command('STAT'), /^\+OK 1 /);
  assert.equal(await c.command('RETR 2'), '-ERR There is no message 2');
  await c.quit();
  const d = await f.login();
  assert.match(await d.command('STAT'), /^\+OK 2 /);
  await d.quit();
});

test('a message expunged elsewhere (IMAP) during the session is refused, not misread', async (t) => {
  const f = await startPop3(t);
  await f.deliver(message('stays', 'y\r\n'));
  const gone = await f.deliver(message('gone', 'x\r\n'));
  const c = await f.login();
  const goneId = (await f.ctx.store.messages.list(f.inboxId)).find((m) => m.uid === gone)!.id;
  const { changes } = await f.ctx.store.messages.expunge(f.inboxId, [gone]);
  for (const change of changes) f.ctx.bus.emit('change', change);
  const newcomer = await f.deliver(message('newcomer', 'z\r\n'));
  assert.equal((await f.ctx.store.messages.list(f.inboxId)).find((m) => m.uid === newcomer)!.id, goneId, 'SQLite reused the row id');
  assert.equal(await c.command('RETR 2'), '-ERR Message 2 was deleted by another session');
  assert.equal(await c.command('TOP 2 0'), '-ERR Message 2 was deleted by another session');
  assert.match(await c.command('STAT'), /^\+OK 1 /);
  assert.match(await c.command('DELE 1'), /^\+OK/);
  assert.equal(await c.quit(), '+OK Bye, 1 message(s) deleted');
  assert.deepEqual(await uids(f), [newcomer]);
});

test('deletions in one account leave another account alone; each has its own lock', async (t) => {
  const f = await startPop3(t);
  await f.admin.addAccount({ address: 'bob@example.com', password: 'correct horse' });
  const bobId = (await f.ctx.store.accounts.find('bob', 'example.com'))!.id;
  await f.deliver(message('for alice', 'a\r\n'));
  await f.deliver(message('for bob', 'b\r\n'), bobId);
  const alice = await f.login();
  const bob = await f.connect();
  await bob.command('USER bob@example.com');
  assert.match(await bob.command('PASS correct horse'), /^\+OK Logged in, 1 message/);
  await alice.command('DELE 1');
  await alice.quit();
  assert.match((await bob.multi('RETR 1')).raw.toString(), /for bob/);
  await bob.quit();
  assert.equal(await f.ctx.store.messages.count((await f.ctx.store.mailboxes.require(bobId, 'INBOX')).id), 1);
});
