// `mailroom import imap` and `mailroom import mbox` end to end. IMAP: a real Dovecot serves an account
// over IMAP on loopback (mail delivered by dovecot-lda, flags and keywords set by doveadm, one message
// expunged so UIDs have a gap); Mailroom pulls it, and Python's imaplib then sees on Mailroom what it
// sees on Dovecot, folder by folder and message by message: UIDVALIDITY, UIDs, flags, INTERNALDATE,
// bytes. A second run copies only what was delivered since; a master user logs in on the user's behalf.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, serve } from '../helpers/cli.js';
import { dovecotMissing, startDovecot, type Dovecot } from '../helpers/dovecot.js';
import { imapSnapshot } from '../helpers/imap-snapshot.js';
import { tempDir } from '../helpers/temp.js';

const PASSWORD = 'new-secret-1';

const message = (n: number) =>
  `From: Sender <sender@elsewhere.example>\nTo: alice@example.com\nSubject: Message ${n}\nDate: Mon, 1 Jan 2024 10:0${n % 10}:00 +0000\nMessage-ID: <m${n}@elsewhere.example>\n\nBody ${n}\n${'line\n'.repeat(n * 300)}`;

async function cli(dataDir: string, args: string[], input?: string) {
  const result = await runCli(['--data-dir', dataDir, ...args], input, 120_000);
  assert.equal(result.code, 0, `mailroom ${args.join(' ')}\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

async function account(dataDir: string) {
  await cli(dataDir, ['domain', 'add', 'example.com']);
  await cli(dataDir, ['user', 'add', 'alice@example.com', '--password-stdin'], `${PASSWORD}\n`);
}

describe('moving in over IMAP from a running Dovecot', { skip: dovecotMissing }, () => {
  let dovecot: Dovecot;
  before(async () => {
    // A master user (any name, password "master-pw") may log in as anyone: `user*master` or SASL PLAIN's authzid.
    dovecot = await startDovecot({ imap: true, extraConfig: 'auth_master_user_separator = *\npassdb {\n  driver = static\n  args = password=master-pw\n  master = yes\n}\n' });
    for (let n = 1; n <= 5; n++) dovecot.deliver('alice@example.com', message(n));
    dovecot.deliver('alice@example.com', message(6), 'Lists.dev');
    dovecot.deliver('alice@example.com', message(7), 'Sent');
    dovecot.deliver('alice@example.com', message(8), 'Entwürfe');
    dovecot.doveadm('mailbox', 'create', '-u', 'alice@example.com', 'Empty');
    dovecot.doveadm('flags', 'add', '-u', 'alice@example.com', '\\Seen', 'mailbox', 'INBOX', 'uid', '1:2');
    dovecot.doveadm('flags', 'add', '-u', 'alice@example.com', '\\Answered \\Flagged $Forwarded Junk', 'mailbox', 'INBOX', 'uid', '2');
    dovecot.doveadm('flags', 'add', '-u', 'alice@example.com', '\\Draft', 'mailbox', 'Sent', 'uid', '1');
    dovecot.doveadm('expunge', '-u', 'alice@example.com', 'mailbox', 'INBOX', 'uid', '3');
  });
  after(() => dovecot?.stop());

  it('plans, copies every folder keeping UIDVALIDITY, UIDs, flags, dates and bytes, and then copies only what is new', async (t) => {
    const dataDir = tempDir(t);
    await account(dataDir);
    const pull = (...extra: string[]) => cli(dataDir, ['import', 'imap', '--host', '127.0.0.1', '--port', String(dovecot.imapPort), '--user', 'alice@example.com', '--password-stdin', ...extra], 'old-secret\n');

    const dry = await pull('--dry-run');
    assert.match(dry, /dry run of imap:alice@example\.com@127\.0\.0\.1:\d+: nothing was written/);
    assert.match(dry, /would import 7 messages \(.*\) for 1 users/);

    const run = await pull();
    assert.match(run, /alice@example\.com: 5 folders, 7 messages \(.*\) imported, 0 imported before/);

    dovecot.deliver('alice@example.com', message(9));
    const again = await pull();
    assert.match(again, /alice@example\.com: 5 folders, 1 messages \(.*\) imported, 7 imported before/);

    const served = await serve(dataDir);
    try {
      const theirs = await imapSnapshot({ port: dovecot.imapPort!, tls: false, user: 'alice@example.com', password: 'any' });
      const ours = await imapSnapshot({ port: served.ready.ports.imaps, tls: true, user: 'alice@example.com', password: PASSWORD });
      assert.equal(theirs.INBOX.messages.length, 5, 'Dovecot shows the mail delivered, less the expunged one');
      for (const folder of ['Empty', 'Entw&APw-rfe', 'Lists/dev', 'Sent']) assert.ok(folder in theirs, `Dovecot has ${folder}: ${Object.keys(theirs).join(", ")}`);
      for (const [folder, snapshot] of Object.entries(theirs)) assert.deepEqual(ours[folder], snapshot, folder);
    } finally {
      await served.stop();
    }
  });

  it('logs in as a master user on the user’s behalf, and refuses a wrong password with the server’s answer', async (t) => {
    const dataDir = tempDir(t);
    await account(dataDir);
    const base = ['import', 'imap', '--host', '127.0.0.1', '--port', String(dovecot.imapPort), '--user', 'alice@example.com', '--master-user', 'admin', '--password-stdin'];
    const run = await cli(dataDir, base, 'master-pw\n');
    assert.match(run, /alice@example\.com: 5 folders, \d+ messages \(.*\) imported, 0 imported before/);
    const wrong = await runCli(['--data-dir', dataDir, ...base], 'not-the-master-pw\n', 60_000);
    assert.equal(wrong.code, 1, wrong.stderr);
    assert.match(wrong.stderr, /refused the login of admin as alice@example\.com/);
    const closed = await runCli(['--data-dir', dataDir, 'import', 'imap', '--host', '127.0.0.1', '--port', '1', '--user', 'alice@example.com', '--password-stdin'], 'x\n');
    assert.equal(closed.code, 1, closed.stderr);
    assert.match(closed.stderr, /127\.0\.0\.1:1: connect ECONNREFUSED/);
  });
});

describe('moving in from mbox files', () => {
  it('imports a folder tree of mbox files with flags, and a second run finds nothing new', async (t) => {
    const dir = tempDir(t);
    const dataDir = join(dir, 'data');
    await account(dataDir);
    const tree = join(dir, 'mail');
    mkdirSync(join(tree, 'Lists'), { recursive: true });
    const mbox = (n: number, status: string) => `From sender@elsewhere.example Mon Jan  1 10:00:0${n} 2024\nStatus: ${status}\n${message(n)}\n`;
    writeFileSync(join(tree, 'inbox'), mbox(1, 'RO') + mbox(2, 'O'));
    writeFileSync(join(tree, 'Lists', 'dev'), mbox(3, 'RO'));
    const dry = await cli(dataDir, ['import', 'mbox', tree, '--user', 'alice@example.com', '--dry-run']);
    assert.match(dry, /would import 3 messages/);
    const run = await cli(dataDir, ['import', 'mbox', tree, '--user', 'alice@example.com']);
    assert.match(run, /alice@example\.com: 2 folders, 3 messages \(.*\) imported, 0 imported before/);
    const again = await cli(dataDir, ['import', 'mbox', tree, '--user', 'alice@example.com']);
    assert.match(again, /alice@example\.com: 2 folders, 0 messages \(0\) imported, 3 imported before/);
    const served = await serve(dataDir);
    try {
      const ours = await imapSnapshot({ port: served.ready.ports.imaps, tls: true, user: 'alice@example.com', password: PASSWORD });
      assert.deepEqual(
        ours.INBOX.messages.map((m) => m.flags),
        [['\\Seen'], []],
      );
      assert.equal(ours['Lists/dev'].messages.length, 1);
      assert.equal(ours.INBOX.messages[0].date, Date.UTC(2024, 0, 1, 10, 0, 1) / 1000);
    } finally {
      await served.stop();
    }
  });
});
