// A FETCH over more messages than one batch reads its rows inline when alone, and on the read workers
// (fetch-rows.ts) a batch ahead of the answer while another bulk FETCH runs (bulk-work.ts): either
// way the answer must be what reading on the loop gave — every message once,
// in order, with its own data — and keep IMAP's rules: \Seen set by BODY[] with FLAGS and MODSEQ, a
// message another session expunged skipped with NO [EXPUNGEISSUED], keywords announced first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeMessage } from '../../../server/delivery/describe.js';
import { toCrlf } from '../../../server/mime/index.js';
import { INBOX } from '../../../server/store/mailboxes.js';
import { message, startImap, type ImapFixture } from './harness.js';
import { fetches, untagged } from './client.js';

/** Two batches of 500 and a part of a third. */
const MESSAGES = 1_150;

/** Delivers `n` messages in one transaction (the i-th with Subject "s<i>"); every 7th has the keyword $k<i>. */
async function fill(f: ImapFixture, n: number): Promise<void> {
  const mailboxId = (await f.ctx.store.mailboxes.require(f.accountId, INBOX)).id;
  const deliveries = Array.from({ length: n }, (_, i) => {
    const bytes = toCrlf(Buffer.from(message(`s${i + 1}`, `Body of ${i + 1}.\r\n`)));
    const d = describeMessage(bytes).forCopy(0);
    const keywords = (i + 1) % 7 === 0 ? [`$k${i + 1}`] : [];
    return { bytes, local: [{ mailboxId, prefix: Buffer.alloc(0), flags: 0, keywords, internalDate: 1_700_000_000_000 + i * 1000, sentDate: d.sentDate, envelope: d.envelope, bodystructure: d.bodystructure, parts: d.parts }] };
  });
  const { changes } = await f.ctx.store.deliverMany(deliveries);
  for (const c of changes) f.ctx.bus.emit('change', c);
}

test('FETCH 1:* over several batches answers every message once, in order, with its own data', async (t) => {
  const f = await startImap(t);
  await fill(f, MESSAGES);
  const c = await f.selected();
  const r = await c.transact('OK', 'FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)');
  const got = fetches(r);
  assert.equal(got.length, MESSAGES);
  got.forEach((m, i) => {
    assert.equal(m.seq, i + 1);
    assert.equal(m.items.UID, i + 1);
    assert.equal((m.items.ENVELOPE as unknown[])[1], `s${i + 1}`, `ENVELOPE of message ${i + 1}`);
    const keywords = (m.items.FLAGS as string[]).filter((k) => k.startsWith('$'));
    assert.deepEqual(keywords, (i + 1) % 7 === 0 ? [`$k${i + 1}`] : []);
  });
  // Keywords were announced at SELECT; the sizes are the stored ones.
  const sizes = await f.ctx.store.messages.meta((await f.ctx.store.mailboxes.require(f.accountId, INBOX)).id, [1, 600, MESSAGES]);
  assert.deepEqual([got[0], got[599], got[MESSAGES - 1]].map((m) => m.items['RFC822.SIZE']), sizes.map((m) => m.size));
  await c.logout();
});

test('two bulk FETCHes at once (batches read on the workers while both run) answer what each alone answers', async (t) => {
  const f = await startImap(t);
  await fill(f, MESSAGES);
  const [a, b] = [await f.selected(), await f.selected()];
  const command = 'FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)';
  // Each session alone first (only the first to select sees \Recent).
  const alone = [fetches(await a.transact('OK', command)), fetches(await b.transact('OK', command))];
  const together = await Promise.all([a.transact('OK', command), b.transact('OK', command)]);
  assert.equal(alone[0].length, MESSAGES);
  assert.deepEqual(fetches(together[0]), alone[0]);
  assert.deepEqual(fetches(together[1]), alone[1]);
  await a.logout();
  await b.logout();
});

test('a streamed FETCH BODY[] sets \\Seen with FLAGS and MODSEQ, and skips what another session expunged', async (t) => {
  const f = await startImap(t);
  await fill(f, MESSAGES);
  const a = await f.selected();
  await a.transact('OK', 'ENABLE CONDSTORE');
  const b = await f.selected();
  await b.transact('OK', 'STORE 3,777 +FLAGS.SILENT (\\Deleted)');
  await b.transact('OK', 'EXPUNGE');
  const before = (await f.ctx.store.mailboxes.require(f.accountId, INBOX)).highestModseq;
  const r = await a.transact('NO', 'FETCH 1:* (UID BODY[HEADER.FIELDS (Subject)])');
  assert.equal(r.tagged.code, 'EXPUNGEISSUED');
  assert.equal(untagged(r, '*', 'EXPUNGE').length, 0, 'no EXPUNGE during a FETCH by sequence number');
  const got = fetches(r);
  assert.equal(got.length, MESSAGES - 2);
  assert.deepEqual(got.filter((m) => m.items.UID === 3 || m.items.UID === 777), []);
  for (const m of got) {
    const uid = m.items.UID as number;
    assert.equal(m.seq, uid, 'sequence numbers stay those of the view until the expunge is reported');
    const section = Object.keys(m.items).find((k) => k.startsWith('BODY[HEADER.FIELDS'));
    assert.equal(String(m.items[section!]), `Subject: s${uid}\r\n\r\n`);
    assert.ok((m.items.FLAGS as string[]).includes('\\Seen'), `\\Seen reported for ${uid}`);
    assert.ok(Number(m.items.MODSEQ) > before, `MODSEQ of ${uid} is the new one`);
  }
  const noop = await a.transact('OK', 'NOOP');
  assert.deepEqual(untagged(noop, '*', 'EXPUNGE').map((u) => u.values[0]), [777, 3]);
  // The other session is told of the \Seen flags (as FETCH FLAGS) at its next command.
  const told = fetches(await b.transact('OK', 'NOOP'));
  assert.equal(told.length, MESSAGES - 2);
  assert.ok(told.every((m) => (m.items.FLAGS as string[]).includes('\\Seen')));
  await a.logout();
  await b.logout();
});
