// ESEARCH (RFC 4731) and SEARCHRES (RFC 5182): RETURN options and `$`, with the RFCs' examples
// replayed on a real server over a raw socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLAG_BITS } from '../../../server/store/messages.js';
import { message, startImap } from './harness.js';
import { fetches, untagged, type Result, type Value } from './client.js';

/** The ESEARCH response of a result: its values after `ESEARCH`. */
const esearch = (r: Result): Value[] => {
  const found = untagged(r, 'ESEARCH');
  assert.equal(found.length, 1, 'one ESEARCH response');
  return found[0].values.slice(1);
};

/** Eleven messages; 2, 10 and 11 are flagged and not from Smith (RFC 4731 §3.2's answers), 5 is flagged from Smith. */
async function fixture(t: Parameters<typeof startImap>[0]) {
  const f = await startImap(t);
  for (let i = 1; i <= 11; i++) {
    const raw = message(`m${i}`);
    await f.deliver(i === 5 ? raw.replace('From: Bob <bob@example.net>', 'From: Smith <smith@example.org>') : raw, {
      internalDate: Date.UTC(1994, 1, i),
      flags: [2, 5, 10, 11].includes(i) ? FLAG_BITS['\\Flagged'] : 0,
    });
  }
  return f;
}

test('RFC 4731 §3.2: SEARCH RETURN (MIN COUNT), RETURN () and an empty result', async (t) => {
  const f = await fixture(t);
  const c = await f.selected();
  const caps = untagged(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values;
  assert.ok(caps.includes('ESEARCH') && caps.includes('SEARCHRES'));

  c.send('A282 SEARCH RETURN (MIN COUNT) FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"\r\n');
  assert.deepEqual(esearch(await c.until('A282')), [['TAG', 'A282'], 'MIN', 2, 'COUNT', 3]);
  c.send('A283 SEARCH RETURN () FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"\r\n');
  assert.deepEqual(esearch(await c.until('A283')), [['TAG', 'A283'], 'ALL', '2,10:11']);
  c.send('A284 SEARCH RETURN (MIN) DRAFT\r\n');
  assert.deepEqual(esearch(await c.until('A284')), [['TAG', 'A284']], 'nothing matched: no MIN');
  c.send('A285 UID SEARCH RETURN (MAX COUNT ALL) FLAGGED\r\n');
  assert.deepEqual(esearch(await c.until('A285')), [['TAG', 'A285'], 'UID', 'MAX', 11, 'COUNT', 4, 'ALL', '2,5,10:11']);
  c.send('A286 SEARCH RETURN (COUNT) DRAFT\r\n');
  assert.deepEqual(esearch(await c.until('A286')), [['TAG', 'A286'], 'COUNT', 0]);
  // Without RETURN the answer stays `* SEARCH`.
  assert.deepEqual(untagged(await c.transact('OK', 'SEARCH FLAGGED'), 'SEARCH')[0].values, ['SEARCH', 2, 5, 10, 11]);
  await c.transact('BAD', 'SEARCH RETURN (BOGUS) ALL');
  await c.logout();
});

test('ESEARCH with MODSEQ reports the highest mod-sequence of what it returns (RFC 7162 §3.1.5)', async (t) => {
  const f = await fixture(t);
  const c = await f.selected();
  await c.transact('OK', 'STORE 3 +FLAGS (\\Seen)');
  await c.transact('OK', 'STORE 2 +FLAGS (\\Seen)');
  const [m2, m3] = fetches(await c.transact('OK', 'FETCH 2:3 (MODSEQ)')).map((m) => (m.items.MODSEQ as number[])[0]);
  assert.ok(m2 > m3);
  assert.deepEqual(esearch(await c.transact('OK', 'SEARCH RETURN (MAX) MODSEQ 1 SEEN')).slice(1), ['MAX', 3, 'MODSEQ', m3]);
  assert.deepEqual(esearch(await c.transact('OK', 'SEARCH RETURN (ALL) MODSEQ 1 SEEN')).slice(1), ['ALL', '2:3', 'MODSEQ', m2]);
  assert.deepEqual(esearch(await c.transact('OK', 'SEARCH RETURN (MIN) MODSEQ 1 DRAFT')).slice(1), [], 'no match, no MODSEQ');
  await c.logout();
});

test('RFC 5182: SEARCH RETURN (SAVE) then FETCH $, COPY $, UID SEARCH UID $, and a new SELECT forgets it', async (t) => {
  const f = await fixture(t);
  const c = await f.selected();
  const saved = await c.transact('OK', 'SEARCH RETURN (SAVE) FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"');
  assert.equal(untagged(saved, 'ESEARCH').length, 0, 'SAVE alone sends no ESEARCH');
  assert.deepEqual(fetches(await c.transact('OK', 'FETCH $ (UID)')).map((m) => m.seq), [2, 10, 11]);
  const copied = await c.transact('OK', 'COPY $ Archive');
  assert.match(copied.tagged.code ?? '', /^COPYUID \d+ 2,10:11 1:3$/);
  assert.deepEqual(untagged(await c.transact('OK', 'UID SEARCH UID $'), 'SEARCH')[0].values, ['SEARCH', 2, 10, 11]);
  assert.deepEqual(untagged(await c.transact('OK', 'SEARCH $ NOT 10'), 'SEARCH')[0].values, ['SEARCH', 2, 11]);

  // SAVE with MIN and MAX keeps only those two; with them it still answers the MIN/MAX.
  assert.deepEqual(esearch(await c.transact('OK', 'UID SEARCH RETURN (SAVE MIN MAX) FLAGGED')).slice(1), ['UID', 'MIN', 2, 'MAX', 11]);
  assert.deepEqual(fetches(await c.transact('OK', 'UID FETCH $ (FLAGS)')).map((m) => m.seq), [2, 11]);
  // SAVE with COUNT keeps every match.
  await c.transact('OK', 'SEARCH RETURN (SAVE COUNT) FLAGGED');
  assert.deepEqual(fetches(await c.transact('OK', 'FETCH $ (UID)')).map((m) => m.seq), [2, 5, 10, 11]);
  // An expunged message leaves the saved result.
  await c.transact('OK', 'STORE 5 +FLAGS.SILENT (\\Deleted)');
  await c.transact('OK', 'EXPUNGE');
  assert.deepEqual(fetches(await c.transact('OK', 'FETCH $ (UID)')).map((m) => m.items.UID), [2, 10, 11]);

  await c.transact('OK', 'SELECT INBOX');
  assert.deepEqual(fetches(await c.transact('OK', 'FETCH $ (UID)')), [], 'a new SELECT starts with an empty $');
  await c.transact('BAD', 'SELECT INBOX (QRESYNC (1 1 $))');
  await c.logout();
});
