import { test } from 'node:test';
import assert from 'node:assert/strict';
import { message, startImap } from './harness.js';
import { fetches, untagged } from './client.js';

test('STORE FLAGS, +FLAGS, -FLAGS (and .SILENT) with keywords, case-insensitively', async (t) => {
  const f = await startImap(t);
  for (let i = 1; i <= 3; i++) await f.deliver(message(`m${i}`));
  const c = await f.selected();
  await c.transact('OK', 'FETCH 1:* FLAGS'); // \Recent is ours
  const add = fetches(await c.transact('OK', 'STORE 1:2 +FLAGS (\\seen $Label1)'));
  assert.deepEqual(add.map((m) => [m.seq, m.items.FLAGS]), [[1, ['\\Seen', '\\Recent', '$Label1']], [2, ['\\Seen', '\\Recent', '$Label1']]]);
  const remove = fetches(await c.transact('OK', 'STORE 2 -FLAGS ($LABEL1)'));
  assert.deepEqual(remove[0].items.FLAGS, ['\\Seen', '\\Recent'], 'keywords compare case-insensitively');
  const replace = fetches(await c.transact('OK', 'UID STORE 3 FLAGS (\\Flagged \\Answered Work)'));
  assert.deepEqual(replace[0].items, { UID: 3, FLAGS: ['\\Answered', '\\Flagged', '\\Recent', 'Work'] });
  const silent = await c.transact('OK', 'STORE 1:3 +FLAGS.SILENT \\Deleted');
  assert.equal(fetches(silent).length, 0);
  assert.deepEqual(fetches(await c.transact('OK', 'FETCH 1:3 FLAGS')).map((m) => (m.items.FLAGS as string[]).includes('\\Deleted')), [true, true, true]);
  const changes = f.changes.filter((ch) => ch.kind === 'flags-changed');
  assert.equal(changes.length, 4, 'one change per STORE that changed something');
  await c.transact('BAD', 'STORE 1 +FLAGS (\\Bogus)');
  await c.transact('BAD', 'STORE 1 PLUSFLAGS (\\Seen)');
  await c.transact('BAD', 'STORE 9 +FLAGS (\\Seen)');
  await c.logout();
});

test('EXPUNGE reports each removed message with the current numbering; UID EXPUNGE only its set', async (t) => {
  const f = await startImap(t);
  for (let i = 1; i <= 6; i++) await f.deliver(message(`m${i}`));
  const c = await f.selected();
  await c.transact('OK', 'STORE 2,3,5 +FLAGS.SILENT (\\Deleted)');
  const uidExpunge = await c.transact('OK', 'UID EXPUNGE 5:6');
  assert.deepEqual(untagged(uidExpunge, '*', 'EXPUNGE').map((r) => r.values[0]), [5]);
  const expunge = await c.transact('OK', 'EXPUNGE');
  // 2 and 3 removed: reported so each number is valid when it is read (3 first, then 2).
  assert.deepEqual(untagged(expunge, '*', 'EXPUNGE').map((r) => r.values[0]), [3, 2]);
  assert.deepEqual(fetches(await c.transact('OK', 'FETCH 1:* UID')).map((m) => m.items.UID), [1, 4, 6]);
  assert.deepEqual((await f.ctx.store.messages.list((await f.ctx.store.mailboxes.require(f.accountId, 'INBOX')).id)).map((m) => m.uid), [1, 4, 6]);
  await c.logout();
});

test('CLOSE expunges silently, UNSELECT does not; both leave the selected state', async (t) => {
  const f = await startImap(t);
  for (let i = 1; i <= 3; i++) await f.deliver(message(`m${i}`));
  const c = await f.selected();
  await c.transact('OK', 'STORE 1 +FLAGS.SILENT (\\Deleted)');
  await c.transact('OK', 'UNSELECT');
  await c.transact('BAD', 'FETCH 1 UID');
  await c.transact('OK', 'SELECT INBOX');
  const close = await c.transact('OK', 'CLOSE');
  assert.equal(untagged(close, '*', 'EXPUNGE').length, 0);
  const r = await c.transact('OK', 'EXAMINE INBOX');
  assert.equal(untagged(r, 2, 'EXISTS').length, 1);
  await c.logout();
});

test('APPEND with flags and date, APPENDUID, TRYCREATE, and EXISTS for the selected mailbox', async (t) => {
  const f = await startImap(t);
  const c = await f.selected();
  const raw = 'Subject: appended\nFrom: a@example.org\n\nbare LF body\n';
  const r = await c.append('INBOX', raw, '(\\Seen $Todo) "05-Mar-2026 14:01:02 +0200"');
  assert.equal(r.tagged.status, 'OK');
  const inbox = await f.ctx.store.mailboxes.require(f.accountId, 'INBOX');
  assert.equal(r.tagged.code, `APPENDUID ${inbox.uidValidity} 1`);
  assert.equal(untagged(r, 1, 'EXISTS').length, 1, 'the selected mailbox reports the new message');
  const [m] = fetches(await c.transact('OK', 'FETCH 1 (FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])'));
  assert.deepEqual(m.items.FLAGS, ['\\Seen', '\\Recent', '$Todo']);
  assert.equal(m.items.INTERNALDATE, ' 5-Mar-2026 12:01:02 +0000');
  const crlf = raw.replace(/\n/g, '\r\n');
  assert.equal(m.items['RFC822.SIZE'], Buffer.byteLength(crlf), 'stored with CRLF line ends');
  assert.equal(m.items['BODY[]'], crlf);

  const missing = await c.append('Nowhere', raw);
  assert.equal(missing.tagged.status, 'NO');
  assert.equal(missing.tagged.code, 'TRYCREATE');
  // LITERAL+: the message follows without waiting for a continuation.
  c.send(`P1 APPEND Drafts (\\Draft) {${raw.length}+}\r\n${raw}\r\n`);
  const plus = await c.until('P1');
  assert.equal(plus.tagged.status, 'OK');
  assert.match(plus.tagged.code!, /^APPENDUID \d+ 1$/);
  await c.logout();
});

test('APPEND over the quota is NO [OVERQUOTA]; over the size limit NO [TOOBIG] without reading it', async (t) => {
  const f = await startImap(t, { quotaBytes: 1000 });
  const c = await f.login();
  const small = message('small');
  assert.equal((await c.append('INBOX', small)).tagged.status, 'OK');
  const big = await c.append('INBOX', message('big', 'x'.repeat(1200)));
  assert.equal(big.tagged.status, 'NO');
  assert.equal(big.tagged.code, 'OVERQUOTA');
  const limit = f.ctx.settings().limits.maxMessageBytes;
  const tag = c.nextTag();
  c.send(`${tag} APPEND INBOX {${limit + 1}}\r\n`);
  const refused = await c.until(tag);
  assert.equal(refused.tagged.status, 'NO');
  assert.equal(refused.tagged.code, 'TOOBIG');
  await c.transact('OK', 'NOOP');
  await c.logout();
});

test('COPY and MOVE with COPYUID; all-or-nothing; TRYCREATE', async (t) => {
  const f = await startImap(t);
  for (let i = 1; i <= 4; i++) await f.deliver(message(`m${i}`), { keywords: ['Keep'] });
  const c = await f.selected();
  const archive = await f.ctx.store.mailboxes.require(f.accountId, 'Archive');
  const copy = await c.transact('OK', 'COPY 2:3 Archive');
  assert.equal(copy.tagged.code, `COPYUID ${archive.uidValidity} 2:3 1:2`);
  const move = await c.transact('OK', 'UID MOVE 1,4 Archive');
  const copyuid = move.untagged.find((u) => u.status === 'OK' && u.code?.startsWith('COPYUID'));
  assert.equal(copyuid?.code, `COPYUID ${archive.uidValidity} 1,4 3:4`);
  assert.deepEqual(untagged(move, '*', 'EXPUNGE').map((r) => r.values[0]), [4, 1]);
  assert.deepEqual(fetches(await c.transact('OK', 'FETCH 1:* UID')).map((m) => m.items.UID), [2, 3]);
  const missing = await c.transact('NO', 'COPY 1 Nowhere');
  assert.equal(missing.tagged.code, 'TRYCREATE');
  await c.transact('OK', 'SELECT Archive');
  const copied = fetches(await c.transact('OK', 'FETCH 1:* (UID FLAGS BODY.PEEK[HEADER.FIELDS (Subject)])'));
  assert.deepEqual(
    copied.map((m) => [m.items.UID, m.items['BODY[HEADER.FIELDS (Subject)]']]),
    [[1, 'Subject: m2\r\n\r\n'], [2, 'Subject: m3\r\n\r\n'], [3, 'Subject: m1\r\n\r\n'], [4, 'Subject: m4\r\n\r\n']],
  );
  assert.ok(copied.every((m) => (m.items.FLAGS as string[]).includes('Keep')));
  const account = (await f.ctx.store.accounts.get(f.accountId))!;
  const stored = [];
  for (const n of ['INBOX', 'Archive']) stored.push(...(await f.ctx.store.messages.list((await f.ctx.store.mailboxes.require(f.accountId, n)).id)));
  assert.equal(account.usedBytes, stored.reduce((n, m) => n + m.size, 0), 'usage follows copies and moves');
  await c.logout();
});
