// The full-text index of SEARCH BODY / TEXT (store/message-text.ts): answers equal the scan's on the
// shared corpus (odd charsets, broken MIME, NULs) and on case and charset corner cases; the index row
// is made in the delivery's transaction, shared by copies, gone with the last reference; messages stored
// before the index are filled in the background (text-backfill.ts), the scan answering meanwhile.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { join } from 'node:path';
import { describeMessage } from '../../../server/delivery/describe.js';
import { runSearchJob } from '../../../server/imap/search.js';
import type { SearchKey } from '../../../server/imap/wire/index.js';
import { inspectDatabase } from '../../../server/store/db.js';
import { openStore, type Delivery, type Store } from '../../../server/store/index.js';
import { indexedText, textQuery } from '../../../server/store/message-text.js';
import { startTextBackfill } from '../../../server/store/text-backfill.js';
import type { Logger } from '../../../server/log.js';
import { corpus, corpusFiles } from '../mime/helpers.js';
import { fakeClock, tempDir } from '../../helpers/temp.js';
import { storeTest } from '../../helpers/store-backends.js';

const quietLog: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quietLog };

async function mailbox(store: Store, local = 'bob'): Promise<number> {
  const domain = (await store.domains.get('example.com')) ?? (await store.domains.add('example.com', 0));
  const account = await store.accounts.add({ domainId: domain.id, localPart: local, displayName: '', passwordHash: 'x', scramSecret: null, quotaBytes: 0 });
  await store.mailboxes.createDefaults(account.id);
  return (await store.mailboxes.require(account.id, 'INBOX')).id;
}

/** A delivery as delivery makes it: the Return-Path/Delivered-To prefix in front of the shared bytes. */
function delivery(bytes: Buffer, mailboxIds: number[]): Delivery {
  const described = describeMessage(bytes);
  return {
    bytes,
    local: mailboxIds.map((mailboxId) => {
      const prefix = Buffer.from(`Return-Path: <a@example.org>\r\nDelivered-To: box${mailboxId}@example.com\r\n`);
      return { mailboxId, prefix, flags: 0, keywords: [], internalDate: Date.UTC(2024, 0, 1), ...described.forCopy(prefix.length) };
    }),
  };
}

async function searchUids(store: Store, mailboxId: number, key: SearchKey): Promise<number[]> {
  const uids = Uint32Array.from(await store.messages.uids(mailboxId));
  const found = await runSearchJob(store, { mailboxId, uids, recent: [], saved: [], now: Date.now(), key });
  return Array.from(found.uids);
}

/** Empties the index so every message is pending: what a search then answers is the scan's. */
function forgetIndex(store: Store) {
  const db = inspectDatabase(store);
  db.exec('DELETE FROM message_text; INSERT OR IGNORE INTO message_text_pending (blob_id) SELECT DISTINCT blob_id FROM messages;');
}

const candidates = async (store: Store, mailboxId: number, value: string) =>
  (await store.messages.searchRows(mailboxId, { headers: false, parts: false, textNeedle: { value, headers: false } })).length;

/** Substrings of the corpus texts to look for: plain words, non-ASCII runs (odd charsets), and odd lengths. */
function needlesOf(texts: string[]): string[] {
  const needles = new Set<string>(['zebra', 'the', 'ab', 'x', 'content-type', 'boundary', '=?', '--', 'é', 'é', 'ß', 'Σ'.toLowerCase()]);
  let seed = 7;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  texts.forEach((text, i) => {
    const chars = [...text];
    if (chars.length < 20) return;
    if (i % 4 === 0) {
      const at = random(chars.length - 12);
      needles.add(chars.slice(at, at + 3 + random(10)).join(''));
    }
    const nonAscii = /[^\p{ASCII}]{2,}[^\n]{0,6}/u.exec(text);
    if (nonAscii) needles.add(nonAscii[0]);
  });
  return [...needles].filter((n) => n.trim() !== '');
}

test('SEARCH BODY and TEXT through the index answer exactly what the scan answers on the shared corpus', async (t: TestContext) => {
  const store = openStore(':memory:', fakeClock());
  t.after(() => store.close());
  const box = await mailbox(store);
  const files = corpusFiles();
  const texts: string[] = [];
  for (const file of files) {
    const bytes = corpus(file);
    await store.deliver(delivery(bytes, [box]));
    texts.push(indexedText(bytes));
  }
  // Cases the corpus lacks: Greek final sigma, dotted capital I, UTF-8 in quoted-printable, NUL.
  const extra = [
    'Subject: a\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nΟΔΥΣΣΕΥΣ ΚΑΙ ΑΣ\r\n',
    'Subject: b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nİstanbul caf=C3=A9 Stra=C3=9Fe\r\n',
    'Subject: c\r\n\r\nnul\0byte here\r\n',
  ].map((s) => Buffer.from(s));
  for (const bytes of extra) {
    await store.deliver(delivery(bytes, [box]));
    texts.push(indexedText(bytes));
  }
  const needles = [...needlesOf(texts), 'ὀδυσσευς', 'ς και', 'i̇stanbul', 'café', 'straße', 'nul\nbyte', 'byte here'];
  const keys: SearchKey[] = needles.flatMap((value): SearchKey[] => [
    { type: 'body', value },
    { type: 'text', value },
  ]);
  keys.push({ type: 'and', keys: [{ type: 'text', value: 'content' }, { type: 'body', value: 'the' }] });
  keys.push({ type: 'or', left: { type: 'body', value: 'zebra' }, right: { type: 'body', value: 'message' } });
  const indexed = [];
  for (const key of keys) indexed.push(await searchUids(store, box, key));
  // The index narrowed: a rare needle is a candidate in few messages, not in all.
  const rare = needles.filter((n) => textQuery(n) !== null).sort((x, y) => y.length - x.length)[0];
  assert.ok((await candidates(store, box, rare)) < files.length / 4, `"${rare}" narrowed the rows`);

  forgetIndex(store);
  assert.equal(await candidates(store, box, rare), files.length + extra.length, 'with nothing indexed every message is a candidate');
  for (const [i, key] of keys.entries()) assert.deepEqual(indexed[i], await searchUids(store, box, key), JSON.stringify(key));
  assert.ok(indexed.filter((uids) => uids.length > 0).length > needles.length / 2, 'most needles are found somewhere');
  assert.ok(keys.length > 150, `${keys.length} searches compared`);
});

test('the index row is made with the delivery, shared by copies, and goes with the last reference', async (t: TestContext) => {
  const store = openStore(':memory:', fakeClock());
  t.after(() => store.close());
  const [a, b] = [await mailbox(store, 'a'), await mailbox(store, 'b')];
  const db = inspectDatabase(store);
  const rowsOf = () => db.prepare("SELECT rowid FROM message_text WHERE message_text MATCH '\"zeb\" AND \"bra\"'").pluck().all();
  await store.deliver(delivery(Buffer.from('Subject: x\r\n\r\nA Zebra crossing\r\n'), [a, b]));
  const [blob] = db.prepare('SELECT id FROM blobs').pluck().all();
  assert.deepEqual(rowsOf(), [blob]);
  const archive = (await store.mailboxes.require((await store.accounts.list())[0].id, 'Archive')).id;
  await store.messages.copy(a, [1], archive);
  assert.deepEqual(rowsOf(), [blob], 'a copy shares the row');
  assert.deepEqual(await searchUids(store, archive, { type: 'body', value: 'ZEBRA' }), [1]);
  await store.messages.expunge(a, [1]);
  await store.messages.expunge(b, [1]);
  assert.deepEqual(rowsOf(), [blob], 'the Archive copy still holds it');
  await store.messages.move(archive, [1], a);
  await store.messages.expunge(a, [2]);
  assert.deepEqual(rowsOf(), [], 'gone with the blob');
  assert.equal(db.prepare('SELECT count(*) FROM message_text_pending').pluck().get(), 0);
});

test('messages stored before the index are filled in the background on a worker; the scan answers meanwhile', async (t: TestContext) => {
  const file = join(tempDir(t), 'mail.sqlite');
  const store = openStore(file, fakeClock(), { readWorkers: 1 });
  t.after(() => store.close());
  const box = await mailbox(store);
  const messages = Array.from({ length: 450 }, (_, i) => Buffer.from(`Subject: m${i}\r\n\r\nline ${i}${i % 50 === 0 ? ' zebra' : ''}\r\n`));
  await store.deliverMany(messages.map((bytes) => delivery(bytes, [box])));
  const expected = Array.from({ length: 9 }, (_, k) => k * 50 + 1);
  forgetIndex(store);
  assert.deepEqual(await searchUids(store, box, { type: 'body', value: 'zebra' }), expected, 'the scan answers while nothing is indexed');
  const lines: string[] = [];
  const log: Logger = { ...quietLog, info: (event) => void lines.push(event) };
  const fill = startTextBackfill(store, log)!;
  await fill.done;
  assert.deepEqual(fill.status(), { pending: 0, total: 450, running: false });
  assert.deepEqual(await store.textIndex!.progress(), { pending: 0 });
  assert.ok(lines.includes('search-index.ready'), lines.join());
  assert.equal(await candidates(store, box, 'zebra'), 9);
  assert.deepEqual(await searchUids(store, box, { type: 'body', value: 'zebra' }), expected);
  assert.deepEqual(await searchUids(store, box, { type: 'text', value: 'm449' }), [450]);
});

test('needles the index cannot answer go to the scan', () => {
  assert.equal(textQuery('ab'), null);
  assert.equal(textQuery('a\nbc'), null);
  assert.equal(textQuery('ab\0c'), null);
  assert.equal(textQuery('abcd'), '"abc" AND "bcd"');
  assert.equal(textQuery('a"bc'), '"a""b" AND """bc"');
  assert.equal(textQuery('😀😀😀'), '"😀😀😀"');
  assert.equal(textQuery('x'.repeat(500)), '"xxx"');
});

storeTest('SEARCH BODY and TEXT give the same answers on both backends (PostgreSQL scans)', async (t, backend) => {
  const store = await backend.open(t, fakeClock());
  const box = await mailbox(store);
  for (const text of ['hello zebra', 'plain text', 'Zebra in the subject']) {
    const bytes = Buffer.from(`Subject: ${text.startsWith('Zebra') ? text : 'x'}\r\n\r\n${text.startsWith('Zebra') ? 'body' : text}\r\n`);
    await store.deliver(delivery(bytes, [box]));
  }
  assert.deepEqual(await searchUids(store, box, { type: 'body', value: 'zebra' }), [1]);
  assert.deepEqual(await searchUids(store, box, { type: 'text', value: 'zebra' }), [1, 3]);
  assert.deepEqual(await searchUids(store, box, { type: 'text', value: 'delivered-to: box' }), [1, 2, 3], 'the per-copy prefix counts for TEXT');
});
