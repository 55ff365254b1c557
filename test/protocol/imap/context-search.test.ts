// CONTEXT=SEARCH (RFC 5267 §4): SEARCH ... RETURN (UPDATE) keeps telling the client which messages
// join (ADDTO) or leave (REMOVEFROM) the result — through its own STORE, EXPUNGE and APPEND and
// another session's changes, in IDLE too — until CANCELUPDATE or the mailbox is left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { message, startImap } from './harness.js';
import { untagged, type Result } from './client.js';

/** The ESEARCH lines of a result, as sent (after `* `). */
const esearches = (r: Result): string[] => untagged(r, 'ESEARCH').map((u) => u.raw.toString('latin1'));

test('RFC 5267 §4: UPDATE sends ADDTO/REMOVEFROM with each change until CANCELUPDATE', async (t) => {
  const f = await startImap(t);
  for (let i = 1; i <= 5; i++) await f.deliver(message(`m${i}`));
  const c = await f.selected();
  assert.ok(untagged(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values.includes('CONTEXT=SEARCH'));

  c.send('S1 SEARCH RETURN (UPDATE) SEEN\r\n');
  assert.deepEqual(esearches(await c.until('S1')), ['* ESEARCH (TAG "S1")'], 'UPDATE alone: an ESEARCH without data');
  assert.deepEqual(esearches(await c.transact('OK', 'STORE 1,2,4 +FLAGS.SILENT (\\Seen)')), ['* ESEARCH (TAG "S1") ADDTO (0 1:2,4)']);
  assert.deepEqual(esearches(await c.transact('OK', 'STORE 1,2 -FLAGS.SILENT (\\Seen)')), ['* ESEARCH (TAG "S1") REMOVEFROM (0 1:2)']);
  assert.deepEqual(esearches(await c.transact('OK', 'FETCH 1:5 UID')), [], 'nothing changed: nothing sent');

  // A UID context beside it, with ALL: its answer first, then its own updates.
  c.send('S2 UID SEARCH RETURN (UPDATE ALL) OR SEEN FLAGGED\r\n');
  assert.deepEqual(esearches(await c.until('S2')), ['* ESEARCH (TAG "S2") UID ALL 4']);

  // EXPUNGE of message 4: REMOVEFROM in the numbers it had, before its EXPUNGE.
  await c.transact('OK', 'STORE 3:4 +FLAGS.SILENT (\\Deleted)');
  const expunge = await c.transact('OK', 'EXPUNGE');
  const lines = expunge.untagged.map((u) => u.raw.toString('latin1'));
  assert.deepEqual(lines, ['* ESEARCH (TAG "S1") REMOVEFROM (0 4)', '* ESEARCH (TAG "S2") UID REMOVEFROM (0 4)', '* 4 EXPUNGE', '* 3 EXPUNGE']);

  // Another session's APPEND of a \Seen message: ADDTO after its EXISTS.
  const other = await f.selected();
  const seen = message('m6');
  c.send(`A1 APPEND INBOX (\\Seen) {${seen.length}+}\r\n${seen}\r\n`);
  const appended = await c.until('A1');
  assert.deepEqual(
    appended.untagged.map((u) => u.raw.toString('latin1')).filter((l) => !l.includes('RECENT')),
    ['* 4 EXISTS', '* ESEARCH (TAG "S1") ADDTO (0 4)', '* ESEARCH (TAG "S2") UID ADDTO (0 6)'],
  );
  // Another session flags message 1: announced in IDLE with the FETCH.
  c.send('I1 IDLE\r\n');
  assert.equal((await c.read()).tag, '+');
  await other.transact('OK', 'STORE 1 +FLAGS.SILENT (\\Flagged)');
  const idled: string[] = [];
  while (!idled.some((l) => l.includes('S2'))) idled.push((await c.read()).raw.toString('latin1'));
  assert.ok(idled.includes('* ESEARCH (TAG "S2") UID ADDTO (0 1)'), idled.join('\n'));
  c.send('DONE\r\n');
  await c.until('I1');

  await c.transact('OK', 'CANCELUPDATE "S1" "S2"');
  assert.deepEqual(esearches(await c.transact('OK', 'STORE 1:* +FLAGS.SILENT (\\Seen)')), [], 'no context left');
  await c.transact('NO', 'CANCELUPDATE "S1"');
  await c.transact('BAD', 'CANCELUPDATE');
  await other.logout();
  await c.logout();
});

test('RFC 5267 §4: contexts end with the mailbox; limits and UPDATE with PARTIAL', async (t) => {
  const f = await startImap(t);
  for (let i = 1; i <= 3; i++) await f.deliver(message(`m${i}`));
  const c = await f.selected();
  await c.transact('OK', 'SEARCH RETURN (UPDATE) FLAGGED');
  await c.transact('OK', 'SELECT INBOX');
  assert.deepEqual(esearches(await c.transact('OK', 'STORE 1 +FLAGS.SILENT (\\Flagged)')), [], 'a new SELECT ends the context');
  const no = await c.transact('NO', 'SEARCH RETURN (UPDATE PARTIAL 1:10) ALL');
  assert.equal(no.tagged.code, 'CANNOT');
  for (let i = 0; i < 10; i++) await c.transact('OK', `SEARCH RETURN (UPDATE) UID ${i + 1}`);
  assert.equal((await c.transact('NO', 'SEARCH RETURN (UPDATE) ALL')).tagged.code, 'LIMIT');
  await c.transact('BAD', 'SORT RETURN (UPDATE) (NOSUCHKEY) UTF-8 ALL');
  await c.logout();
});
