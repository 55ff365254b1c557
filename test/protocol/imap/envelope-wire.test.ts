// FETCH with the caches of migrations/0003: an ENVELOPE not cached in wire form yet (mail stored by
// code that does not supply it, or before the migration) is answered from its JSON and cached, and
// every later answer is byte-for-byte the same; APPEND caches it at once. BODY[] of one message is
// read with its row in one statement, the same bytes as when several messages are fetched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeMessage } from '../../../server/delivery/describe.js';
import { toCrlf } from '../../../server/mime/crlf.js';
import { INBOX } from '../../../server/store/mailboxes.js';
import { fetches } from './client.js';
import { message, startImap } from './harness.js';
import { inspectDatabase } from '../../../server/store/db.js';

const wireOf = (f: { ctx: { store: object } }) =>
  inspectDatabase(f.ctx.store).prepare('SELECT envelope_wire FROM message_mime ORDER BY id').pluck().all();

test('an ENVELOPE without its wire form is answered from the JSON, cached, and answered the same later', async (t) => {
  const f = await startImap(t);
  await f.deliver(message('Café "quoted" \\ subject'));
  await f.deliver(message('plain'));
  assert.deepEqual(wireOf(f), [null, null], 'the harness delivers without the wire form, like older rows');
  const c = await f.selected();
  const first = await c.transact('OK', 'FETCH 1:* (UID ENVELOPE)');
  const cached = wireOf(f) as string[];
  assert.ok(cached.every((w) => typeof w === 'string' && w.startsWith('(')), 'FETCH filled the cache');
  const second = await c.transact('OK', 'FETCH 1:* (UID ENVELOPE)');
  assert.deepEqual(second.untagged.map((u) => u.raw.toString('latin1')), first.untagged.map((u) => u.raw.toString('latin1')));
  const [one] = fetches(first);
  // 8-bit, so a literal (the client hands literals over as byte strings).
  assert.equal((one.items.ENVELOPE as unknown[])[1], Buffer.from('Café "quoted" \\ subject').toString('latin1'));
  const expected = describeMessage(toCrlf(Buffer.from(message('plain')))).forCopy(0).envelopeWire;
  assert.equal(cached[1], expected, 'the cached form is what delivery would have stored');
  await c.logout();
});

test('APPEND stores the ENVELOPE in wire form', async (t) => {
  const f = await startImap(t);
  const c = await f.selected();
  await c.append('INBOX', Buffer.from(message('appended')));
  const expected = describeMessage(toCrlf(Buffer.from(message('appended')))).forCopy(0).envelopeWire;
  assert.deepEqual(wireOf(f), [expected]);
  await c.logout();
});

test('BODY[] of one message (row and bytes in one read) equals BODY[] fetched with others, prefix included', async (t) => {
  const f = await startImap(t);
  const bytes = toCrlf(Buffer.from(message('with prefix')));
  const prefix = Buffer.from('Delivered-To: alice@example.com\r\n');
  const d = describeMessage(bytes).forCopy(prefix.length);
  const mailboxId = (await f.ctx.store.mailboxes.require(f.accountId, INBOX)).id;
  await f.ctx.store.deliver({ bytes, local: [{ mailboxId, prefix, flags: 0, keywords: [], internalDate: 1, ...d }] });
  await f.deliver(message('second'));
  const c = await f.selected();
  const whole = Buffer.concat([prefix, bytes]).toString('latin1');
  const [single] = fetches(await c.transact('OK', 'UID FETCH 1 (BODY.PEEK[] RFC822.SIZE)'));
  assert.equal(single.items['BODY[]'], whole);
  assert.equal(single.items['RFC822.SIZE'], whole.length);
  const [many] = fetches(await c.transact('OK', 'FETCH 1:2 (BODY.PEEK[])'));
  assert.equal(many.items['BODY[]'], whole);
  const [seam] = fetches(await c.transact('OK', `UID FETCH 1 (BODY.PEEK[]<${prefix.length - 4}.10>)`));
  assert.equal(seam.items[`BODY[]<${prefix.length - 4}>`], whole.slice(prefix.length - 4, prefix.length + 6));
  // Not PEEK: \\Seen is set and reported with the single read too.
  const [seen] = fetches(await c.transact('OK', 'UID FETCH 1 BODY[]'));
  assert.deepEqual([seen.items['BODY[]'], seen.items.FLAGS], [whole, ['\\Seen', '\\Recent']]);
  await c.logout();
});
