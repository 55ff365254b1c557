// mbsync (isync) as the independent client of a move in and of a backup's round trip (issue 12): a real
// Dovecot writes a Maildir (dovecot-lda, doveadm flags), `mailroom import maildir` brings it in,
// `mailroom serve` serves it, and mbsync pulls every folder out over IMAPS into a Maildir of its own:
// the same folders, and in each the same messages (by Message-ID, bytes with the line ends as
// written) with the same system flags as in Dovecot's files. Then `mailroom backup` of the running
// server, `mailroom restore` into a fresh data folder, and a second mbsync from the restored server
// logging in with the same password gets exactly what the first one got.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, serve } from '../helpers/cli.js';
import { findBinary } from '../helpers/daemon.js';
import { dovecotMissing, startDovecot, type Dovecot } from '../helpers/dovecot.js';
import { tempDir } from '../helpers/temp.js';

const MBSYNC = findBinary('mbsync', '/usr/bin/mbsync');
const ADDRESS = 'alice@example.com';
const PASSWORD = 'mbsync-pass-1';

const message = (n: number) =>
  `From: Sender <sender@elsewhere.example>\nTo: ${ADDRESS}\nSubject: Message ${n}\nDate: Mon, 1 Jan 2024 10:0${n % 10}:00 +0000\nMessage-ID: <m${n}@elsewhere.example>\n\nBody ${n}\n${'a line of text\n'.repeat(n * 40)}`;

async function cli(dataDir: string, args: string[], input?: string) {
  const result = await runCli(['--data-dir', dataDir, ...args], input, 120_000);
  assert.equal(result.code, 0, `mailroom ${args.join(' ')}\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

interface Seen {
  /** System flags as Maildir info letters (D F P R S T), sorted. */
  flags: string;
  /** The message with LF line ends (mbsync's X-TUID marker line removed). */
  body: string;
}

/** A Maildir++ or mbsync (`SubFolders Verbatim`) tree read as folder -> Message-ID -> flags and bytes. */
function readTree(folders: Record<string, string>): Record<string, Record<string, Seen>> {
  const out: Record<string, Record<string, Seen>> = {};
  for (const [folder, dir] of Object.entries(folders)) {
    const messages: Record<string, Seen> = {};
    for (const sub of ['cur', 'new']) {
      if (!existsSync(join(dir, sub))) continue;
      for (const name of readdirSync(join(dir, sub))) {
        const body = readFileSync(join(dir, sub, name), 'latin1').replace(/\r\n/g, '\n').replace(/^X-TUID: .*\n/m, '');
        const id = /^Message-ID: (.*)$/im.exec(body)?.[1] ?? name;
        const info = name.includes(':2,') ? name.slice(name.indexOf(':2,') + 3) : '';
        messages[id] = { flags: [...info].filter((c) => c >= 'A' && c <= 'Z').sort().join(''), body };
      }
    }
    out[folder] = messages;
  }
  return out;
}

/** Runs mbsync pulling every folder of the account on `port` into `local`; returns what it wrote. */
function pull(work: string, name: string, port: number, certificate: string) {
  const local = join(work, name);
  mkdirSync(local);
  const config = join(work, `${name}.mbsyncrc`);
  writeFileSync(
    config,
    `IMAPAccount mailroom
Host 127.0.0.1
Port ${port}
User ${ADDRESS}
Pass ${PASSWORD}
SSLType IMAPS
CertificateFile ${certificate}

IMAPStore far
Account mailroom

MaildirStore near
Path ${local}/
Inbox ${local}/INBOX
SubFolders Verbatim

Channel all
Far :far:
Near :near:
Patterns *
Create Near
Sync Pull
SyncState *
CopyArrivalDate yes
`,
  );
  const result = spawnSync(MBSYNC!, ['-c', config, '-a'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.status, 0, `mbsync failed:\n${result.stdout}${result.stderr}`);
  return readTree({ INBOX: join(local, 'INBOX'), Sent: join(local, 'Sent'), 'Lists/dev': join(local, 'Lists', 'dev') });
}

describe('mbsync pulls what was moved in, and the same from a restored backup', { skip: dovecotMissing || (MBSYNC ? false : 'isync (mbsync) is not installed') }, () => {
  let dovecot: Dovecot;
  before(async () => {
    dovecot = await startDovecot();
    for (let n = 1; n <= 6; n++) dovecot.deliver(ADDRESS, message(n));
    dovecot.deliver(ADDRESS, message(7), 'Lists.dev');
    dovecot.deliver(ADDRESS, message(8), 'Lists.dev');
    dovecot.deliver(ADDRESS, message(9), 'Sent');
    dovecot.doveadm('flags', 'add', '-u', ADDRESS, '\\Seen', 'mailbox', 'INBOX', 'uid', '1:3');
    dovecot.doveadm('flags', 'add', '-u', ADDRESS, '\\Answered \\Flagged', 'mailbox', 'INBOX', 'uid', '2');
    dovecot.doveadm('flags', 'add', '-u', ADDRESS, '\\Draft Junk', 'mailbox', 'INBOX', 'uid', '5');
    dovecot.doveadm('flags', 'add', '-u', ADDRESS, '\\Seen \\Flagged', 'mailbox', 'Lists.dev', 'uid', '2');
    dovecot.doveadm('flags', 'add', '-u', ADDRESS, '\\Seen', 'mailbox', 'Sent', 'uid', '1');
    dovecot.doveadm('expunge', '-u', ADDRESS, 'mailbox', 'INBOX', 'uid', '4');
  });
  after(async () => {
    await dovecot?.stop();
  });

  it('sees the same folders, messages, bytes and flags as Dovecot’s files, before and after a restore', async (t) => {
    const work = tempDir(t);
    const dataDir = join(work, 'data');
    await cli(dataDir, ['domain', 'add', 'example.com']);
    await cli(dataDir, ['user', 'add', ADDRESS, '--password-stdin'], `${PASSWORD}\n`);
    const source = dovecot.maildir(ADDRESS);
    const imported = await cli(dataDir, ['import', 'maildir', source, '--user', ADDRESS]);
    assert.match(imported, /3 folders, 8 messages \(.*\) imported/);
    const expected = readTree({ INBOX: source, Sent: join(source, '.Sent'), 'Lists/dev': join(source, '.Lists.dev') });
    assert.deepEqual(
      Object.fromEntries(Object.entries(expected).map(([f, m]) => [f, Object.keys(m).length])),
      { INBOX: 5, Sent: 1, 'Lists/dev': 2 },
      'Dovecot holds what was delivered, less the expunged message',
    );
    assert.equal(expected.INBOX['<m2@elsewhere.example>'].flags, 'FRS', 'Dovecot wrote the flags into the file name');

    let first: ReturnType<typeof pull> | undefined;
    let file: string | undefined;
    const served = await serve(dataDir);
    try {
      first = pull(work, 'first', served.ready.ports.imaps, join(dataDir, 'tls', 'cert.pem'));
      const backup = await cli(dataDir, ['backup', '--to', join(work, 'backups')]);
      file = /(\S+\.mrbak)/.exec(backup)?.[1];
      assert.ok(file, backup);
    } finally {
      await served.stop();
    }
    assert.deepEqual(first, expected, 'mbsync got from Mailroom what Dovecot had');

    const restoredDir = join(work, 'restored');
    await cli(restoredDir, ['restore', file!, '--yes']);
    const restored = await serve(restoredDir);
    try {
      const second = pull(work, 'second', restored.ready.ports.imaps, join(restoredDir, 'tls', 'cert.pem'));
      assert.deepEqual(second, first, 'the restored server gives mbsync the same mail');
    } finally {
      await restored.stop();
    }
  });
});
