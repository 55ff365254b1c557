import { test } from 'node:test';
import assert from 'node:assert/strict';
import { message, startPop3 } from './harness.js';

test('STAT, LIST and UIDL describe the INBOX; UIDL is <uidvalidity>.<uid>', async (t) => {
  const f = await startPop3(t);
  const m1 = message('one', 'first\r\n');
  const m2 = message('two', 'second body\r\n');
  const uid1 = await f.deliver(m1);
  const uid2 = await f.deliver(m2);
  const validity = (await f.ctx.store.mailboxes.require(f.accountId, 'INBOX')).uidValidity;
  const c = await f.login();
  assert.equal(await c.command('STAT'), `+OK 2 ${m1.length + m2.length}`);
  assert.deepEqual(await c.multi('LIST'), {
    status: `+OK 2 message(s) (${m1.length + m2.length} octets)`,
    lines: [`1 ${m1.length}`, `2 ${m2.length}`],
    raw: Buffer.from(`1 ${m1.length}\r\n2 ${m2.length}\r\n`),
  });
  assert.equal(await c.command('LIST 2'), `+OK 2 ${m2.length}`);
  assert.equal(await c.command('LIST 3'), '-ERR There is no message 3');
  assert.deepEqual((await c.multi('UIDL')).lines, [`1 ${validity}.${uid1}`, `2 ${validity}.${uid2}`]);
  assert.equal(await c.command('UIDL 1'), `+OK 1 ${validity}.${uid1}`);
  assert.equal(await c.command('NOOP'), '+OK');
  await c.quit();
});

test('RETR sends the stored bytes, dot-stuffed, with the octet count', async (t) => {
  const f = await startPop3(t);
  const body = '.starts with a dot\r\n..two dots\r\n.\r\nmiddle . dot\r\n.';
  const raw = message('dots', body);
  await f.deliver(raw);
  const c = await f.login();
  const r = await c.multi('RETR 1');
  assert.equal(r.status, `+OK ${raw.length} octets`);
  assert.equal(
    r.raw.toString(),
    message('dots', '..starts with a dot\r\n...two dots\r\n..\r\nmiddle . dot\r\n..') + '\r\n',
    'each line that begins with a dot gets one more; the unterminated last line gets a CRLF',
  );
  assert.deepEqual(r.lines.slice(4), ['.starts with a dot', '..two dots', '.', 'middle . dot', '.']);
  assert.equal(await c.command('RETR 2'), '-ERR There is no message 2');
  await c.quit();
});

test('RETR of a message without a trailing CRLF, and of an 8-bit one, byte for byte', async (t) => {
  const f = await startPop3(t);
  const unterminated = message('no crlf', 'last line');
  const eightBit = Buffer.concat([Buffer.from(message('8bit', '')), Buffer.from('Grüße, ça va? \xff\r\n', 'latin1')]);
  await f.deliver(unterminated);
  await f.deliver(eightBit);
  const c = await f.login();
  assert.equal((await c.multi('RETR 1')).raw.toString(), `${unterminated}\r\n`);
  assert.deepEqual((await c.multi('RETR 2')).raw, eightBit);
  await c.quit();
});

test('TOP sends the header and n body lines, dot-stuffed', async (t) => {
  const f = await startPop3(t);
  await f.deliver(message('top', 'line 1\r\n.line 2\r\nline 3\r\n'));
  await f.deliver('Subject: header only\r\nX-Dot: y\r\n');
  const c = await f.login();
  const header = 'From: bob@example.net\r\nTo: alice@example.com\r\nSubject: top\r\n\r\n';
  assert.deepEqual(await c.multi('TOP 1 0'), { status: '+OK Top of message follows', lines: header.split('\r\n').slice(0, -1), raw: Buffer.from(header) });
  assert.equal((await c.multi('TOP 1 2')).raw.toString(), `${header}line 1\r\n..line 2\r\n`);
  assert.equal((await c.multi('TOP 1 100')).raw.toString(), `${header}line 1\r\n..line 2\r\nline 3\r\n`);
  assert.equal((await c.multi('TOP 2 5')).raw.toString(), 'Subject: header only\r\nX-Dot: y\r\n');
  assert.equal(await c.command('TOP 3 0'), '-ERR There is no message 3');
  await c.quit();
});

test('pipelined commands are answered in order (RFC 2449 PIPELINING)', async (t) => {
  const f = await startPop3(t);
  const raw = message('p', 'x\r\n');
  await f.deliver(raw);
  const c = await f.connect();
  c.send(`USER alice@example.com\r\nPASS correct horse\r\nSTAT\r\nLIST\r\nRETR 1\r\nBOGUS\r\nNOOP\r\nQUIT\r\n`);
  assert.equal(await c.readLine(), '+OK Send your password');
  assert.match(await c.readLine(), /^\+OK Logged in/);
  assert.equal(await c.readLine(), `+OK 1 ${raw.length}`);
  assert.deepEqual((await c.readMulti()).lines, [`1 ${raw.length}`]);
  assert.equal((await c.readMulti()).raw.toString(), raw);
  assert.equal(await c.readLine(), '-ERR Unknown command');
  assert.equal(await c.readLine(), '+OK');
  assert.equal(await c.readLine(), '+OK Bye, 0 message(s) deleted');
  assert.equal(await c.closed(), '');
});

test('a large message streams through intact', async (t) => {
  const f = await startPop3(t);
  const line = `${'.'.repeat(5)}${'x'.repeat(70)}\r\n`;
  const raw = message('big', line.repeat(40_000));
  await f.deliver(raw);
  const c = await f.login();
  const r = await c.multi('RETR 1');
  assert.equal(r.status, `+OK ${raw.length} octets`);
  assert.equal(r.lines.length, 4 + 40_000);
  assert.equal(r.lines.slice(4).join('\r\n') + '\r\n', line.repeat(40_000));
  await c.quit();
});
