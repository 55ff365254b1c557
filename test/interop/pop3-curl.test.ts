// curl's POP3 client as independent eyes: it reads CAPA, picks SASL PLAIN, upgrades with STLS when told
// to, retrieves, lists, and deletes with a custom DELE followed by its own QUIT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { ADDRESS, PASSWORD, message, startPop3 } from '../protocol/pop3/harness.js';

function curl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['--silent', '--show-error', '--max-time', '20', '--user', `${ADDRESS}:${PASSWORD}`, ...args], { timeout: 30_000, encoding: 'latin1' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

test('curl retrieves over STLS and implicit TLS, lists, and deletes', async (t) => {
  const f = await startPop3(t, { plaintextFromTrusted: false });
  const dotted = message('dotted', '.a line with a leading dot\r\n.\r\nend');
  const other = message('other', 'second\r\n');
  await f.deliver(dotted);
  await f.deliver(other);
  const plain = `pop3://127.0.0.1:${f.ports.pop3}`;
  const secure = `pop3s://127.0.0.1:${f.ports.pop3s}`;

  // curl gives back the message as sent, un-stuffed, plus the CRLF that ends the unterminated last line.
  assert.equal(await curl(['--ssl-reqd', '--insecure', `${plain}/1`]), `${dotted}\r\n`);
  assert.equal(await curl(['--insecure', `${secure}/`]), `1 ${dotted.length}\r\n2 ${other.length}\r\n`);
  const validity = (await f.ctx.store.mailboxes.require(f.accountId, 'INBOX')).uidValidity;
  assert.equal(await curl(['--insecure', '--request', 'UIDL', `${secure}/`]), `1 ${validity}.1\r\n2 ${validity}.2\r\n`);

  await curl(['--ssl-reqd', '--insecure', '--request', 'DELE', '--head', `${plain}/1`]);
  assert.deepEqual((await f.ctx.store.messages.list(f.inboxId)).map((m) => m.uid), [2]);
  assert.ok(f.changes.some((c) => c.kind === 'messages-expunged' && c.uids.includes(1)));
  assert.equal(await curl(['--insecure', `${secure}/`]), `1 ${other.length}\r\n`);
});

test('curl without TLS is refused by a server that requires it', async (t) => {
  const f = await startPop3(t, { plaintextFromTrusted: false });
  await assert.rejects(curl([`pop3://127.0.0.1:${f.ports.pop3}/`]), /Login denied/);
});
