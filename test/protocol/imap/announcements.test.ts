// What a session is told and when (RFC 3501 §7.2.6, §7.1.5, §6.3.2): a new keyword is announced with
// FLAGS and PERMANENTFLAGS before the first FETCH that carries it, whoever set it; nothing follows
// LOGOUT's BYE but the tagged OK; EXAMINE counts RECENT as SELECT would, without claiming.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { message, startImap } from './harness.js';
import { untagged, type Response } from './client.js';

/** Index of the first response that is `* FLAGS (...)` naming `keyword`, or -1. */
const flagsIndex = (responses: Response[], keyword: string) =>
  responses.findIndex((r) => r.values[0] === 'FLAGS' && (r.values[1] as string[]).includes(keyword));
const fetchIndex = (responses: Response[]) => responses.findIndex((r) => r.values[1] === 'FETCH');

test('a keyword set by this session is announced in FLAGS and PERMANENTFLAGS before its FETCH', async (t) => {
  const f = await startImap(t);
  await f.deliver(message('one', 'x\r\n'));
  const c = await f.selected();
  const stored = await c.transact('OK', 'STORE 1 +FLAGS ($hello)');
  const flags = flagsIndex(stored.untagged, '$hello');
  assert.ok(flags >= 0, 'FLAGS names the new keyword');
  assert.ok(flags < fetchIndex(stored.untagged), 'before the FETCH');
  const permanent = stored.untagged.find((r) => r.code?.startsWith('PERMANENTFLAGS'));
  assert.match(permanent?.code ?? '', /\$hello.*\\\*/);
  const again = await c.transact('OK', 'STORE 1 -FLAGS ($hello)');
  await c.transact('OK', 'STORE 1 +FLAGS ($HELLO)');
  assert.equal(flagsIndex(again.untagged, '$hello'), -1, 'told once');
  await c.logout();
});

test('a keyword another session set is announced before the FETCH that reports it', async (t) => {
  const f = await startImap(t);
  await f.deliver(message('one', 'x\r\n'));
  const a = await f.selected();
  const b = await f.selected();
  await b.transact('OK', 'STORE 1 +FLAGS ($world)');
  const noop = await a.transact('OK', 'NOOP');
  const flags = flagsIndex(noop.untagged, '$world');
  assert.ok(flags >= 0 && flags < fetchIndex(noop.untagged), JSON.stringify(noop.untagged.map((r) => r.raw.toString())));
  await a.logout();
  await b.logout();
});

test('LOGOUT: pending updates never follow the BYE', async (t) => {
  const f = await startImap(t);
  await f.deliver(message('one', 'x\r\n'));
  await f.deliver(message('two', 'y\r\n'));
  const a = await f.selected();
  const b = await f.selected();
  await b.transact('OK', 'STORE 1 +FLAGS (\\Deleted)');
  await b.transact('OK', 'EXPUNGE');
  await b.transact('OK', 'STORE 1 +FLAGS (\\Seen)');
  const out = await a.command('LOGOUT');
  assert.equal(out.tagged.status, 'OK');
  const bye = out.untagged.findIndex((r) => r.status === 'BYE');
  assert.ok(bye >= 0, 'BYE sent');
  assert.deepEqual(out.untagged.slice(bye + 1), [], 'nothing between BYE and the tagged OK');
  await b.logout();
});

test('EXAMINE reports RECENT as SELECT would, and leaves the messages recent for SELECT', async (t) => {
  const f = await startImap(t);
  await f.deliver(message('one', 'x\r\n'));
  await f.deliver(message('two', 'y\r\n'));
  const a = await f.login();
  const examined = await a.transact('OK', 'EXAMINE INBOX');
  assert.deepEqual(untagged(examined, '*', 'RECENT').map((r) => r.values[0]), [2]);
  const b = await f.login();
  const selected = await b.transact('OK', 'SELECT INBOX');
  assert.deepEqual(untagged(selected, '*', 'RECENT').map((r) => r.values[0]), [2], 'EXAMINE claimed nothing');
  const c = await f.login();
  assert.deepEqual(untagged(await c.transact('OK', 'EXAMINE INBOX'), '*', 'RECENT').map((r) => r.values[0]), [0], 'SELECT did');
  for (const s of [a, b, c]) await s.logout();
});
