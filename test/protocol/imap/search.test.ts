import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLAG_BITS } from '../../../server/store/messages.js';
import { message, startImap } from './harness.js';
import { untagged, type Result } from './client.js';
import { inspectDatabase } from '../../../server/store/db.js';

const numbers = (r: Result) => untagged(r, 'SEARCH')[0].values.slice(1);

const QP = [
  'From: =?ISO-8859-1?Q?J=F6rg?= <joerg@example.de>',
  'To: alice@example.com, Carol <carol@example.net>',
  'Cc: team@example.com',
  'Subject: =?UTF-8?B?w5xiZXJ3ZWlzdW5n?=',
  'Date: Mon, 05 Jan 2026 23:30:00 -0500',
  'X-Ticket: ABC-123',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=iso-8859-1',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Gr=FC=DFe aus M=FCnchen, die Zahlung ist unterwegs.',
  '',
].join('\r\n');

async function fixture(t: Parameters<typeof startImap>[0]) {
  const f = await startImap(t);
  await f.deliver(message('Lunch plans', 'Pizza on friday?\r\n'), { internalDate: Date.UTC(2026, 0, 1, 12), flags: FLAG_BITS['\\Seen'] });
  await f.deliver(QP, { internalDate: Date.UTC(2026, 0, 6, 8), keywords: ['$Invoice'] });
  await f.deliver(message('Report', `${'long line\r\n'.repeat(400)}`, 'Bcc: audit@example.com\r\n'), {
    internalDate: Date.UTC(2026, 0, 10, 12),
    flags: FLAG_BITS['\\Flagged'] | FLAG_BITS['\\Answered'],
  });
  return f;
}

test('SEARCH by flags, keywords, numbers, sizes and dates', async (t) => {
  const f = await fixture(t);
  const c = await f.selected();
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH ALL')), [1, 2, 3]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH SEEN')), [1]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH UNSEEN')), [2, 3]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH FLAGGED ANSWERED')), [3]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH KEYWORD $invoice')), [2]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH UNKEYWORD $Invoice')), [1, 3]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH NEW')), [2, 3], 'RECENT and UNSEEN');
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH OLD')), []);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH 2:*')), [2, 3]);
  assert.deepEqual(numbers(await c.transact('OK', 'UID SEARCH UID 1,3')), [1, 3]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH LARGER 1000')), [3]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH SMALLER 1000')), [1, 2]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH SINCE 6-Jan-2026')), [2, 3]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH BEFORE 6-Jan-2026')), [1]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH ON 6-Jan-2026')), [2]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH SENTON 5-Jan-2026')), [2], 'the Date: header in its own zone');
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH SENTBEFORE 2-Jan-2026')), [1, 3]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH OR SEEN FLAGGED')), [1, 3]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH NOT (OR SEEN FLAGGED)')), [2]);
  await c.transact('BAD', 'SEARCH SINCE 31-Feb-2026');
  await c.transact('BAD', 'SEARCH BOGUS');
  await c.logout();
});

test('SEARCH headers, body and text: decoded, case-insensitive, CHARSET UTF-8', async (t) => {
  const f = await fixture(t);
  const c = await f.selected();
  await c.transact('BAD', 'SEARCH FROM jörg'); // 8-bit bytes are not atom characters: quote them
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH CHARSET UTF-8 FROM "JÖRG"')), [2]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH SUBJECT "überweisung"')), [2]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH TO carol')), [2]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH CC team@')), [2]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH BCC audit')), [3]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH HEADER X-Ticket abc-1')), [2]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH HEADER X-Ticket ""')), [2], 'an empty string: the field exists');
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH HEADER Subject Report')), [3]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH BODY "MÜNCHEN"')), [2], 'quoted-printable and latin-1 decoded');
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH BODY lunch')), [], 'BODY does not look at headers');
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH TEXT lunch')), [1]);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH TEXT pizza SEEN')), [1]);
  const charset = await c.transact('NO', 'SEARCH CHARSET KOI8-R ALL');
  assert.equal(charset.tagged.code, 'BADCHARSET (US-ASCII UTF-8)');
  const inbox = (await f.ctx.store.mailboxes.require(f.accountId, 'INBOX')).id;
  assert.ok((await f.ctx.store.messages.searchRows(inbox, { headers: true, parts: false })).every((r) => r.searchHeaders !== null), 'header cache filled');
  await c.logout();
});

test('a small header search answers the same on the loop (headers cached) as on a worker (some not cached yet), and fills the cache', async (t) => {
  const f = await fixture(t);
  const c = await f.selected();
  const cached = () => inspectDatabase(f.ctx.store).prepare('SELECT count(*) FROM message_mime WHERE search_headers IS NOT NULL').pluck().get();
  assert.equal(cached(), 0);
  // No header cached: a worker parses them and stores them.
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH OR SUBJECT report FROM "joerg@"')), [2, 3]);
  assert.equal(cached(), 3);
  // All cached: the loop answers, the same.
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH OR SUBJECT report FROM "joerg@"')), [2, 3]);
  // One new message without its header text: back to a worker, which sees it too.
  await f.deliver(message('Second report', 'numbers\r\n'));
  await c.transact('OK', 'NOOP');
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH OR SUBJECT report FROM "joerg@"')), [2, 3, 4]);
  assert.equal(cached(), 4);
  assert.deepEqual(numbers(await c.transact('OK', 'SEARCH SUBJECT report NOT FROM "joerg@"')), [3, 4]);
});
