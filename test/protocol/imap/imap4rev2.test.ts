// IMAP4rev2 (RFC 9051) beside IMAP4rev1: both advertised; a session behaves as IMAP4rev1 until
// `ENABLE IMAP4rev2` (Appendix A), then without RECENT or \Recent, with ESEARCH answers to SEARCH,
// a LIST response in SELECT and no UNSEEN code. STATUS DELETED (§6.3.11). Raw socket, real server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { message, startImap } from './harness.js';
import { fetches, untagged, type Result } from './client.js';

const raw = (r: Result) => r.untagged.map((u) => u.raw.toString('latin1'));

test('RFC 9051 Appendix A: IMAP4rev1 until ENABLE IMAP4rev2, then no RECENT/\\Recent, ESEARCH for SEARCH, LIST in SELECT', async (t) => {
  const f = await startImap(t);
  await f.deliver(message('one'));
  await f.deliver(message('two'));
  const c = await f.connect();
  const caps = untagged(await c.transact('OK', 'CAPABILITY'), 'CAPABILITY')[0].values;
  assert.ok(caps.includes('IMAP4rev1') && caps.includes('IMAP4rev2'), 'both advertised before login');
  await c.transact('BAD', 'ENABLE IMAP4rev2');
  await c.login('alice@example.com', 'correct horse');

  // IMAP4rev1 first: RECENT, UNSEEN, \Recent and `* SEARCH`.
  const rev1 = raw(await c.transact('OK', 'EXAMINE INBOX'));
  assert.ok(rev1.includes('* 2 RECENT') && rev1.some((l) => l.startsWith('* OK [UNSEEN 1]')));
  assert.deepEqual(raw(await c.transact('OK', 'SEARCH ALL')), ['* SEARCH 1 2']);
  await c.transact('OK', 'UNSELECT');

  assert.deepEqual(untagged(await c.transact('OK', 'ENABLE IMAP4rev2'), 'ENABLED')[0].values, ['ENABLED', 'IMAP4rev2']);
  assert.deepEqual(untagged(await c.transact('OK', 'ENABLE IMAP4rev2'), 'ENABLED')[0].values, ['ENABLED'], 'enabled once');

  const selected = raw(await c.transact('OK', 'SELECT INBOX'));
  assert.ok(selected.includes('* 2 EXISTS'));
  assert.ok(selected.includes('* LIST () "/" INBOX'), `the mailbox's LIST response (§6.3.2): ${selected.join(' | ')}`);
  assert.ok(!selected.some((l) => / RECENT$/.test(l) || l.includes('[UNSEEN')), 'no RECENT, no UNSEEN code');
  assert.ok(selected.some((l) => l.startsWith('* FLAGS (')) && selected.some((l) => l.includes('[UIDVALIDITY ')) && selected.some((l) => l.includes('[UIDNEXT 3]')));
  assert.deepEqual(
    fetches(await c.transact('OK', 'FETCH 1:2 FLAGS')).map((m) => m.items.FLAGS),
    [[], []],
    'no \\Recent although this session holds both',
  );

  // §6.4.4: ESEARCH, ALL when no RETURN is given; UID SEARCH says UID.
  const [one] = untagged(await c.transact('OK', 'SEARCH ALL'), 'ESEARCH');
  assert.deepEqual(one.values.slice(2), ['ALL', '1:2']);
  assert.equal(one.raw.toString().split(' ')[2], '(TAG', 'correlated to the command');
  assert.deepEqual(untagged(await c.transact('OK', 'UID SEARCH 2'), 'ESEARCH')[0].values.slice(2), ['UID', 'ALL', 2]);
  assert.deepEqual(untagged(await c.transact('OK', 'SEARCH SUBJECT nothing'), 'ESEARCH')[0].values.length, 2, 'nothing found: the tag only');
  assert.deepEqual(untagged(await c.transact('OK', 'SEARCH RETURN (COUNT) ALL'), 'ESEARCH')[0].values.slice(2), ['COUNT', 2]);
  assert.equal(untagged(await c.transact('OK', 'SEARCH ALL'), 'SEARCH').length, 0, 'never `* SEARCH`');

  // New mail: EXISTS without RECENT, in IDLE too.
  c.send('I1 IDLE\r\n');
  assert.equal((await c.read()).tag, '+');
  await f.deliver(message('three'));
  assert.deepEqual((await c.read()).values, [3, 'EXISTS']);
  c.send('DONE\r\n');
  assert.deepEqual(raw(await c.until('I1')), []);

  // STATUS DELETED and SIZE (§6.3.11).
  await c.transact('OK', 'STORE 1,3 +FLAGS.SILENT (\\Deleted)');
  const [status] = untagged(await c.transact('OK', 'STATUS INBOX (MESSAGES DELETED SIZE)'), 'STATUS');
  const items = status.values[2] as unknown[];
  assert.deepEqual([items[0], items[1], items[2], items[3], items[4]], ['MESSAGES', 3, 'DELETED', 2, 'SIZE']);
  assert.ok(typeof items[5] === 'number' && items[5] > 0);
  await c.logout();
});
