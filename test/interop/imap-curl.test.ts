// curl's IMAP client as independent eyes: STARTTLS and implicit TLS, LIST, SEARCH, FETCH by UID and by
// number, APPEND (upload) and a custom command, against the IMAP listeners.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADDRESS, PASSWORD, message, startImap } from '../protocol/imap/harness.js';

function curl(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['--silent', '--show-error', '--max-time', '20', '--user', `${ADDRESS}:${PASSWORD}`, ...args], { timeout: 30_000, encoding: 'latin1' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

test('curl lists, searches, fetches and appends over STARTTLS and implicit TLS', async (t) => {
  const f = await startImap(t, { plaintextFromTrusted: false });
  const first = message('first', 'one\r\n');
  const second = message('second', 'two\r\n');
  await f.deliver(first);
  await f.deliver(second);
  const plain = `imap://127.0.0.1:${f.ports.imap}`;
  const secure = `imaps://127.0.0.1:${f.ports.imaps}`;

  const list = await curl(['--ssl-reqd', '--insecure', `${plain}/`]);
  assert.match(list, /^\* LIST \(\\HasNoChildren\) "\/" INBOX\r\n/);
  assert.match(list, /\* LIST \(\\HasNoChildren \\Sent\) "\/" Sent\r\n/);
  assert.equal(await curl(['--insecure', `${secure}/INBOX?SUBJECT%20second`]), '* SEARCH 2\r\n');
  assert.equal(await curl(['--insecure', `${secure}/INBOX;UID=1`]), first);
  assert.equal(await curl(['--ssl-reqd', '--insecure', `${plain}/INBOX;MAILINDEX=2`]), second);
  assert.equal(await curl(['--insecure', `${secure}/INBOX;UID=2;SECTION=HEADER.FIELDS%20(SUBJECT)`]), 'Subject: second\r\n\r\n');

  const dir = mkdtempSync(join(tmpdir(), 'mailroom-curl-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const upload = join(dir, 'upload.eml');
  writeFileSync(upload, message('uploaded', 'three\r\n'));
  await curl(['--insecure', '--upload-file', upload, `${secure}/Drafts`]);
  const drafts = await f.ctx.store.mailboxes.require(f.accountId, 'Drafts');
  assert.equal(await f.ctx.store.messages.count(drafts.id), 1);
  const examine = await curl(['--insecure', '--request', 'EXAMINE Drafts', `${secure}/`]);
  assert.match(examine, /\* 1 EXISTS\r\n/);
  assert.match(examine, new RegExp(`\\* OK \\[UIDVALIDITY ${drafts.uidValidity}\\]`));
});

test('curl without TLS is refused where login needs TLS', async (t) => {
  const f = await startImap(t, { plaintextFromTrusted: false });
  await assert.rejects(curl([`imap://127.0.0.1:${f.ports.imap}/`]), /Login denied/);
});
