// `mailroom export maildir` read by a real Dovecot: mail moved in from one Dovecot, exported, and served
// by a second Dovecot shows imaplib the same folders, UIDVALIDITY, UIDs, flags, dates and bytes as
// Mailroom does. `mailroom export mbox` read back by our mbox reader gives the same messages and flags.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readMbox } from '../../server/import/mbox/read-mbox.js';
import { toCrlf, type SourceMessage } from '../../server/import/source-message.js';
import { runCli, serve } from '../helpers/cli.js';
import { isRoot, UNPRIVILEGED } from '../helpers/daemon.js';
import { dovecotMissing, startDovecot, type Dovecot } from '../helpers/dovecot.js';
import { imapSnapshot } from '../helpers/imap-snapshot.js';
import { tempDir } from '../helpers/temp.js';

const PASSWORD = 'correct horse battery';
const message = (n: number) =>
  `From: Sender <sender@elsewhere.example>\nTo: alice@example.com\nSubject: Message ${n}\nDate: Mon, 1 Jan 2024 10:0${n % 10}:00 +0000\n\nBody ${n}\nFrom here on\n`;

async function cli(dataDir: string, args: string[], input?: string) {
  const result = await runCli(['--data-dir', dataDir, ...args], input, 120_000);
  assert.equal(result.code, 0, `mailroom ${args.join(' ')}\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

describe('moving out', { skip: dovecotMissing }, () => {
  let old: Dovecot;
  let next: Dovecot;
  before(async () => {
    old = await startDovecot();
    next = await startDovecot({ imap: true });
    for (let n = 1; n <= 4; n++) old.deliver('alice@example.com', message(n));
    old.deliver('alice@example.com', message(5), 'Lists.dev');
    old.doveadm('flags', 'add', '-u', 'alice@example.com', '\\Seen \\Flagged $Forwarded Work', 'mailbox', 'INBOX', 'uid', '2');
    old.doveadm('expunge', '-u', 'alice@example.com', 'mailbox', 'INBOX', 'uid', '1');
  });
  after(async () => {
    await old?.stop();
    await next?.stop();
  });

  it('as Maildir that Dovecot serves with the same UIDs, flags, dates and bytes; and as mbox', async (t) => {
    const dataDir = tempDir(t);
    await cli(dataDir, ['domain', 'add', 'example.com']);
    await cli(dataDir, ['user', 'add', 'alice@example.com', '--password-stdin'], `${PASSWORD}\n`);
    await cli(dataDir, ['import', 'maildir', old.maildir('alice@example.com'), '--user', 'alice@example.com']);

    assert.match(await cli(dataDir, ['export', 'maildir', next.mailRoot, '--user', 'alice@example.com']), /exported 4 messages .* of 1 accounts/);
    if (isRoot) spawnSync('chown', ['-R', `${UNPRIVILEGED.uid}:${UNPRIVILEGED.gid}`, next.mailRoot]);

    const served = await serve(dataDir);
    try {
      const ours = await imapSnapshot({ port: served.ready.ports.imaps, tls: true, user: 'alice@example.com', password: PASSWORD });
      const theirs = await imapSnapshot({ port: next.imapPort!, tls: false, user: 'alice@example.com', password: 'any' });
      assert.deepEqual(Object.keys(theirs).sort(), Object.keys(ours).sort());
      assert.equal(theirs.INBOX.messages.length, 3);
      for (const folder of Object.keys(ours)) assert.deepEqual(theirs[folder], ours[folder], folder);
    } finally {
      await served.stop();
    }

    const mbox = join(tempDir(t), 'mbox');
    await cli(dataDir, ['export', 'mbox', mbox]);
    const read: SourceMessage[] = [];
    for await (const item of readMbox(join(mbox, 'example.com', 'alice', 'INBOX'), 'INBOX')) if (item.kind === 'message') read.push(item);
    assert.deepEqual(
      await Promise.all(read.map(async (m) => (await m.read()).toString())),
      [2, 3, 4].map((n) => toCrlf(Buffer.from(message(n))).toString()),
      'mboxrd quoting undone, bytes back',
    );
    assert.deepEqual([...read[0].flags].sort(), ['\\Flagged', '\\Seen']);
    assert.deepEqual([...read[0].keywords].sort(), ['$Forwarded', 'Work']);
  });
});
