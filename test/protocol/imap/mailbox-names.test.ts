// Mailbox names that are not valid modified UTF-7 and LIST patterns (RFC 3501 §5.1, §5.1.3, §6.3.8):
// a name that cannot be decoded is refused with NO, not BAD; a pattern that cannot match anything lists
// nothing; the INBOX prefix of a pattern is case-insensitive, for INBOX's children too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startImap } from './harness.js';
import { untagged } from './client.js';

test('names that are not modified UTF-7 get NO (with the connection kept), and match no LIST', async (t) => {
  const f = await startImap(t);
  const c = await f.login();
  for (const name of ['a&b', '"&Jjo"', '"x&AOQ"']) {
    const created = await c.transact('NO', `CREATE ${name}`);
    assert.match(created.tagged.raw.toString(), /not modified UTF-7/);
    await c.transact('NO', `SELECT ${name}`);
    await c.transact('NO', `STATUS ${name} (MESSAGES)`);
    await c.transact('NO', `DELETE ${name}`);
  }
  // 8-bit bytes in a literal: valid UTF-8, but not modified UTF-7.
  const raw = Buffer.from('Bär', 'utf8');
  c.send(`R1 CREATE {${raw.length}+}\r\n`);
  c.send(Buffer.concat([raw, Buffer.from('\r\n')]));
  assert.equal((await c.until('R1')).tagged.status, 'NO');
  const list = await c.transact('OK', 'LIST "" "a&b*"');
  assert.deepEqual(untagged(list, 'LIST'), []);
  await c.transact('OK', 'CREATE "p&AOQA5A-"');
  assert.equal(untagged(await c.transact('OK', 'LIST "" "p&AOQA5A-"'), 'LIST').length, 1, 'valid mUTF-7 still works');
  await c.transact('OK', 'NOOP');
  await c.logout();
});

test('LIST "" "inbox*" matches INBOX and its children whatever the case; other names stay case-sensitive', async (t) => {
  const f = await startImap(t);
  const c = await f.login();
  await c.transact('OK', 'CREATE INBOX/Lists');
  await c.transact('OK', 'CREATE inboxed');
  const names = async (pattern: string) => untagged(await c.transact('OK', `LIST "" "${pattern}"`), 'LIST').map((r) => r.values[3]);
  assert.deepEqual(await names('inbox*'), ['INBOX', 'INBOX/Lists', 'inboxed']);
  assert.deepEqual(await names('InBoX/%'), ['INBOX/Lists']);
  assert.deepEqual(await names('in%'), ['INBOX', 'inboxed']);
  assert.deepEqual(await names('Inboxed'), [], 'only the INBOX prefix ignores case');
  await c.logout();
});
