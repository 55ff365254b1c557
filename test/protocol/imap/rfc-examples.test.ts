// The examples of the RFCs, replayed over a raw socket and compared structurally: RFC 3501 §8 (the
// sample session), §6.4.4 SEARCH, §6.4.6 STORE, §6.3.8 LIST; RFC 4315 (UIDPLUS) and RFC 6851 (MOVE).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLAG_BITS } from '../../../server/store/messages.js';
import { message, startImap } from './harness.js';
import { fetches, untagged, type Value } from './client.js';

test('RFC 3501 §8: the sample session', async (t) => {
  const f = await startImap(t);
  for (let i = 1; i <= 18; i++) await f.deliver(message(`m${i}`), { flags: i === 12 ? 0 : FLAG_BITS['\\Seen'] });
  const c = await f.connect();
  assert.equal(c.greeting.status, 'OK');
  // a001 login mrc secret
  await c.login('alice@example.com', 'correct horse');
  // a002 select inbox
  const select = await c.transact('OK', 'select inbox');
  assert.equal(untagged(select, 18, 'EXISTS').length, 1);
  assert.equal(untagged(select, 18, 'RECENT').length, 1);
  assert.ok(select.untagged.some((u) => u.code === 'UNSEEN 12'));
  assert.equal(select.tagged.code, 'READ-WRITE');
  // a003 fetch 12 full
  const [full] = fetches(await c.transact('OK', 'fetch 12 full'));
  assert.deepEqual(Object.keys(full.items).sort(), ['BODY', 'ENVELOPE', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE']);
  assert.equal((full.items.ENVELOPE as Value[])[1], 'm12');
  // a004 fetch 12 body[header]
  const [header] = fetches(await c.transact('OK', 'fetch 12 body[header]'));
  assert.match(header.items['BODY[HEADER]'] as string, /^From: Bob <bob@example.net>\r\n[\s\S]*\r\n\r\n$/);
  assert.ok((header.items.FLAGS as string[]).includes('\\Seen'), 'the header fetch set \\Seen');
  // a005 store 12 +flags \deleted
  const [stored] = fetches(await c.transact('OK', 'store 12 +flags \\deleted'));
  assert.deepEqual(stored.items.FLAGS, ['\\Deleted', '\\Seen', '\\Recent']);
  // a006 logout
  await c.transact('OK', 'logout');
  assert.match(await c.closed(), /^$/);
});

test('RFC 3501 §6.4.4 and §6.4.6: SEARCH and STORE examples', async (t) => {
  const f = await startImap(t);
  await f.deliver(message('one'), { internalDate: Date.UTC(1994, 1, 2) });
  await f.deliver(message('two'), { internalDate: Date.UTC(1994, 1, 1), flags: FLAG_BITS['\\Deleted'] });
  await f.deliver(message('three', 'x', 'From: Smith <smith@example.org>\r\n'), { internalDate: Date.UTC(1994, 1, 3) });
  const c = await f.selected();
  // A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"
  await c.transact('OK', 'STORE 1:3 +FLAGS.SILENT (\\Flagged)');
  const search = await c.transact('OK', 'SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"');
  assert.deepEqual(untagged(search, 'SEARCH')[0].values, ['SEARCH', 1, 2]);
  // A283 SEARCH TEXT "string not in mailbox"
  assert.deepEqual(untagged(await c.transact('OK', 'SEARCH TEXT "string not in mailbox"'), 'SEARCH')[0].values, ['SEARCH']);
  // A284 SEARCH CHARSET UTF-8 TEXT {6} / XXXXXX (a literal argument)
  const tag = c.nextTag();
  c.send(`${tag} SEARCH CHARSET UTF-8 TEXT {5}\r\n`);
  assert.equal((await c.read()).tag, '+');
  c.send('smith\r\n');
  assert.deepEqual(untagged(await c.until(tag), 'SEARCH')[0].values, ['SEARCH', 3]);
  // A003 STORE 2:4 +FLAGS (\Deleted) — here 1:3
  const store = fetches(await c.transact('OK', 'STORE 1:3 -FLAGS (\\Flagged)'));
  assert.deepEqual(store.map((m) => m.seq), [1, 2, 3]);
});

test('RFC 4315: APPENDUID, COPYUID and UID EXPUNGE; RFC 6851: MOVE', async (t) => {
  const f = await startImap(t);
  for (let i = 1; i <= 3; i++) await f.deliver(message(`m${i}`));
  const c = await f.selected();
  const trash = await f.ctx.store.mailboxes.require(f.accountId, 'Trash');
  // C: A003 APPEND saved-messages (\Seen) {297} / S: A003 OK [APPENDUID 38505 3955] APPEND completed
  const append = await c.append('Trash', message('saved'), '(\\Seen)');
  assert.equal(append.tagged.code, `APPENDUID ${trash.uidValidity} 1`);
  // C: A004 COPY 2:4 meeting / S: A004 OK [COPYUID 38505 304,319:320 3956:3958] Done
  assert.equal((await c.transact('OK', 'COPY 2:3 Trash')).tagged.code, `COPYUID ${trash.uidValidity} 2:3 2:3`);
  // C: A003 UID EXPUNGE 3000:3002 — only the \Deleted among them
  await c.transact('OK', 'STORE 1,3 +FLAGS.SILENT (\\Deleted)');
  assert.deepEqual(untagged(await c.transact('OK', 'UID EXPUNGE 3:9'), '*', 'EXPUNGE').map((r) => r.values[0]), [3]);
  // RFC 6851 §4.4: C: a UID MOVE 42:69 foo / S: * OK [COPYUID ...] / * 22 EXPUNGE ... / a OK Done
  const move = await c.transact('OK', 'UID MOVE 1:2 Trash');
  assert.equal(move.untagged[0].code, `COPYUID ${trash.uidValidity} 1:2 4:5`);
  assert.deepEqual(untagged(move, '*', 'EXPUNGE').map((r) => r.values[0]), [2, 1]);
  await c.logout();
});
