// SORT (RFC 5256, SORT=DISPLAY RFC 5957, ESORT RFC 5267) and THREAD (RFC 5256) on a real server over a
// raw socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startImap } from './harness.js';
import { untagged, type Result, type Value } from './client.js';

const values = (r: Result, name: string): Value[] => untagged(r, name)[0].values.slice(1);

function mail(headers: Record<string, string>): string {
  return `${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\nbody\r\n`;
}

async function fixture(t: Parameters<typeof startImap>[0]) {
  const f = await startImap(t);
  const day = (d: number) => Date.UTC(2026, 0, d);
  // 1: the thread's start; 2: a reply to it; 3: unrelated; 4: a reply to 2 whose subject lost its Re:
  await f.deliver(mail({ From: 'Zed <zed@example.org>', To: 'b@example.org', Subject: 'Plans', Date: 'Mon, 5 Jan 2026 10:00:00 +0000', 'Message-ID': '<p1@x>' }), { internalDate: day(9) });
  await f.deliver(mail({ From: 'amy@example.org', To: 'Carl <c@example.org>', Subject: 'Re: [team] Plans', Date: 'Tue, 6 Jan 2026 10:00:00 +0000', 'Message-ID': '<p2@x>', References: '<p1@x>' }), { internalDate: day(8) });
  await f.deliver(mail({ From: 'bob@example.org', Subject: 'Another topic', Date: 'Sun, 4 Jan 2026 10:00:00 +0000', 'Message-ID': '<o1@x>' }), { internalDate: day(7) });
  await f.deliver(mail({ From: 'Amy <amy@example.org>', Subject: 'Plans', Date: 'Wed, 7 Jan 2026 10:00:00 +0000', 'Message-ID': '<p3@x>', 'In-Reply-To': '<p2@x>' }), { internalDate: day(6) });
  return f;
}

test('SORT by each key, REVERSE, ties by sequence number, UID SORT and a search program', async (t) => {
  const f = await fixture(t);
  const c = await f.selected();
  const caps = values(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY');
  for (const cap of ['SORT', 'SORT=DISPLAY', 'ESORT', 'THREAD=ORDEREDSUBJECT', 'THREAD=REFERENCES']) assert.ok(caps.includes(cap), cap);

  assert.deepEqual(values(await c.transact('OK', 'SORT (ARRIVAL) UTF-8 ALL'), 'SORT'), [4, 3, 2, 1]);
  assert.deepEqual(values(await c.transact('OK', 'SORT (DATE) UTF-8 ALL'), 'SORT'), [3, 1, 2, 4]);
  assert.deepEqual(values(await c.transact('OK', 'SORT (REVERSE DATE) UTF-8 ALL'), 'SORT'), [4, 2, 1, 3]);
  assert.deepEqual(values(await c.transact('OK', 'SORT (SUBJECT) UTF-8 ALL'), 'SORT'), [3, 1, 2, 4], 'base subjects: another topic, then plans ×3 by number');
  assert.deepEqual(values(await c.transact('OK', 'SORT (SUBJECT REVERSE ARRIVAL) UTF-8 ALL'), 'SORT'), [3, 1, 2, 4], 'plans: latest arrival first');
  assert.deepEqual(values(await c.transact('OK', 'SORT (FROM) UTF-8 ALL'), 'SORT'), [2, 4, 3, 1], 'by local part: amy, amy, bob, zed');
  assert.deepEqual(values(await c.transact('OK', 'SORT (DISPLAYFROM) UTF-8 ALL'), 'SORT'), [4, 2, 3, 1], 'Amy, amy@example.org, bob@example.org, Zed');
  assert.deepEqual(values(await c.transact('OK', 'SORT (TO) US-ASCII ALL'), 'SORT'), [3, 4, 1, 2], 'no To: sorts first');
  assert.deepEqual(values(await c.transact('OK', 'SORT (DISPLAYTO) UTF-8 ALL'), 'SORT'), [3, 4, 1, 2]);
  assert.deepEqual(values(await c.transact('OK', 'SORT (SIZE) UTF-8 SUBJECT plans'), 'SORT').length, 3);
  const uids = values(await c.transact('OK', 'UID SORT (REVERSE ARRIVAL) UTF-8 1:2'), 'SORT');
  assert.deepEqual(uids, [1, 2]);
  assert.deepEqual(values(await c.transact('OK', 'SORT (DATE) UTF-8 FROM nobody'), 'SORT'), [], 'no match: an empty SORT');

  // ESORT: MIN and MAX are the first and last in sort order, ALL keeps the order.
  const esort = values(await c.transact('OK', 'SORT RETURN (MIN MAX COUNT ALL) (DATE) UTF-8 ALL'), 'ESEARCH');
  assert.deepEqual(esort.slice(1), ['MIN', 3, 'MAX', 4, 'COUNT', 4, 'ALL', '3,1:2,4']);

  await c.transact('BAD', 'SORT (BOGUS) UTF-8 ALL');
  await c.transact('BAD', 'SORT (DATE) UTF-8');
  const charset = await c.transact('NO', 'SORT (DATE) KOI8-R ALL');
  assert.match(charset.tagged.code ?? '', /^BADCHARSET/);
  await c.logout();
});

test('THREAD REFERENCES and ORDEREDSUBJECT', async (t) => {
  const f = await fixture(t);
  const c = await f.selected();
  // REFERENCES: 1 ← 2 ← 4 by References/In-Reply-To; 3 alone and earliest.
  assert.deepEqual(untagged(await c.transact('OK', 'THREAD REFERENCES UTF-8 ALL'), 'THREAD')[0].raw.toString(), '* THREAD (3)(1 2 4)');
  // ORDEREDSUBJECT: by base subject; the first of "plans" is the parent of the others (siblings).
  assert.deepEqual(untagged(await c.transact('OK', 'THREAD ORDEREDSUBJECT UTF-8 ALL'), 'THREAD')[0].raw.toString(), '* THREAD (3)(1 (2)(4))');
  assert.deepEqual(untagged(await c.transact('OK', 'UID THREAD REFERENCES UTF-8 NOT 3'), 'THREAD')[0].raw.toString(), '* THREAD (1 2 4)');
  assert.deepEqual(untagged(await c.transact('OK', 'THREAD REFERENCES UTF-8 FROM nobody'), 'THREAD')[0].raw.toString(), '* THREAD');
  // Without the middle message, 4's parent is missing: 1 and 4 share "plans", neither is a reply, so a
  // dummy parent holds both (§2.2 step 5).
  assert.deepEqual(untagged(await c.transact('OK', 'THREAD REFERENCES UTF-8 NOT 2'), 'THREAD')[0].raw.toString(), '* THREAD (3)((1)(4))');
  await c.transact('BAD', 'THREAD BOGUS UTF-8 ALL');
  await c.logout();
});
