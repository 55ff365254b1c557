import { test } from 'node:test';
import assert from 'node:assert/strict';
import { message, startImap } from './harness.js';

test('malformed commands get BAD with a reason and the session goes on', async (t) => {
  const f = await startImap(t);
  const c = await f.login();
  assert.equal((await c.transact('BAD', 'FROB')).tagged.text, 'Unknown command FROB');
  await c.transact('BAD', 'SELECT');
  await c.transact('BAD', 'SELECT "unterminated');
  await c.transact('BAD', 'UID NOOP');
  await c.transact('BAD', 'LIST "" "*" RETURN (BOGUS)');
  c.send('\r\n');
  assert.equal((await c.read()).status, 'BAD');
  await c.transact('OK', 'NOOP');
  await c.logout();
});

test('a command line over the limit is BAD; a literal over the limit is refused before it is sent', async (t) => {
  const f = await startImap(t);
  const c = await f.login();
  const long = await c.command(`SELECT ${'x'.repeat(70 * 1024)}`);
  assert.equal(long.tagged.status, 'BAD');
  assert.match(long.tagged.text!, /longer than/);
  const tag = c.nextTag();
  c.send(`${tag} SELECT {${2 * 1024 * 1024}}\r\n`);
  const literal = await c.until(tag);
  assert.equal(literal.tagged.status, 'BAD');
  assert.equal(literal.tagged.code, 'TOOBIG');
  await c.transact('OK', 'NOOP');
  await c.logout();
});

test('literals in arguments: synchronizing with a continuation, and LITERAL+', async (t) => {
  const f = await startImap(t);
  await f.deliver(message('one'));
  const c = await f.login();
  const tag = c.nextTag();
  c.send(`${tag} SELECT {5}\r\n`);
  assert.equal((await c.read()).tag, '+');
  c.send('INBOX\r\n');
  assert.equal((await c.until(tag)).tagged.status, 'OK');
  c.send('L2 STATUS {5+}\r\nINBOX (MESSAGES)\r\n');
  const status = await c.until('L2');
  assert.equal(status.tagged.status, 'OK');
  await c.logout();
});

test('unknown mailboxes: NO with NONEXISTENT or TRYCREATE', async (t) => {
  const f = await startImap(t);
  const c = await f.login();
  assert.equal((await c.transact('NO', 'SELECT Nowhere')).tagged.code, 'NONEXISTENT');
  assert.equal((await c.transact('NO', 'EXAMINE Nowhere')).tagged.code, 'NONEXISTENT');
  assert.equal((await c.transact('NO', 'STATUS Nowhere (MESSAGES)')).tagged.code, 'NONEXISTENT');
  assert.equal((await c.append('Nowhere', message('x'))).tagged.code, 'TRYCREATE');
  await c.logout();
});

test('too many invalid commands in a row end the session', async (t) => {
  const f = await startImap(t);
  const c = await f.connect();
  for (let i = 0; i < 10; i++) c.send(`B${i} BOGUS\r\n`);
  const rest = await c.closed();
  assert.match(rest, /\* BYE Too many invalid commands\r\n$/);
});
