// Debian's isync (mbsync) as independent eyes: it syncs a Maildir with the server both ways over
// STARTTLS — pulling messages and flags, pushing a new message (APPEND with flags and date), a flag
// change (UID STORE) and a deletion (\Deleted + UID EXPUNGE), and creating a mailbox on the server.
// Skipped when mbsync is not installed (.ci/run installs isync).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLAG_BITS } from '../../server/store/messages.js';
import { tempDir } from '../helpers/temp.js';
import { ADDRESS, PASSWORD, message, startImap } from '../protocol/imap/harness.js';

const available = (() => {
  try {
    execFileSync('mbsync', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function mbsync(config: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('mbsync', ['--config', config, '--all'], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stdout}\n${stderr}`));
      else resolve(`${stdout}${stderr}`);
    });
  });
}

/** Files of a Maildir folder (cur and new), as [name, body]. */
function maildir(dir: string): string[] {
  return ['cur', 'new'].flatMap((sub) => readdirSync(join(dir, sub)).map((name) => `${sub}/${name}`)).sort();
}

test('mbsync syncs a mailbox both ways', { skip: !available && 'mbsync (isync) is not installed' }, async (t) => {
  const f = await startImap(t, { plaintextFromTrusted: false });
  await f.deliver(message('first', 'one\r\n'));
  await f.deliver(message('second', 'two\r\n'), { flags: FLAG_BITS['\\Flagged'] });
  await f.deliver(message('third', 'three\r\n'));
  const dir = tempDir(t, 'mailroom-mbsync-');
  const local = join(dir, 'mail');
  mkdirSync(local);
  const config = join(dir, 'mbsyncrc');
  writeFileSync(
    config,
    [
      'IMAPAccount mailroom',
      'Host 127.0.0.1',
      `Port ${f.ports.imap}`,
      `User ${ADDRESS}`,
      `Pass "${PASSWORD}"`,
      'SSLType STARTTLS',
      `CertificateFile ${join(f.ctx.dataDir, 'tls', 'cert.pem')}`,
      'AuthMechs LOGIN',
      '',
      'IMAPStore remote',
      'Account mailroom',
      '',
      'MaildirStore local',
      `Path ${local}/`,
      `Inbox ${local}/INBOX`,
      'SubFolders Verbatim',
      '',
      'Channel sync',
      'Far :remote:',
      'Near :local:',
      'Patterns INBOX Work',
      'Create Both',
      'Expunge Both',
      'SyncState *',
      '',
    ].join('\n'),
  );

  await mbsync(config);
  const inbox = join(local, 'INBOX');
  let files = maildir(inbox);
  assert.equal(files.length, 3, `pulled ${files.join(', ')}`);
  assert.equal(files.filter((name) => /:2,F$/.test(name)).length, 1, 'the server flag arrived');

  // Local changes: mark one seen, delete one, add one, and a new folder.
  const seen = files.find((name) => !/F$/.test(name))!;
  renameSync(join(inbox, seen), join(inbox, 'cur', `${seen.split('/')[1].replace(/:2,.*$/, '')}:2,S`));
  const doomed = maildir(inbox).find((name) => /:2,F$/.test(name))!;
  rmSync(join(inbox, doomed));
  writeFileSync(join(inbox, 'new', `${Date.now()}.local.eml`), message('written locally', 'four\r\n'));
  mkdirSync(join(local, 'Work', 'cur'), { recursive: true });
  mkdirSync(join(local, 'Work', 'new'));
  mkdirSync(join(local, 'Work', 'tmp'));
  writeFileSync(join(local, 'Work', 'new', `${Date.now()}.work.eml`), message('work item', 'five\r\n'));
  await mbsync(config);

  const { store } = f.ctx;
  const serverInbox = await store.mailboxes.require(f.accountId, 'INBOX');
  const subjects = (await store.messages.rows(serverInbox.id, await store.messages.uids(serverInbox.id), ['envelope'])).map((m) => [(JSON.parse(m.envelope!) as string[])[1], m.flags & FLAG_BITS['\\Seen'] ? 'seen' : '']);
  assert.deepEqual(subjects.map(([s]) => s).sort(), ['first', 'third', 'written locally']);
  assert.equal(subjects.filter(([, seenFlag]) => seenFlag === 'seen').length, 1, 'the local \\Seen reached the server');
  const work = await store.mailboxes.get(f.accountId, 'Work');
  assert.ok(work, 'mbsync created the mailbox');
  assert.equal(await store.messages.count(work.id), 1);

  // A server-side change travels back.
  await f.deliver(message('fourth', 'six\r\n'));
  await mbsync(config);
  files = maildir(inbox);
  assert.equal(files.length, 4);
});
