// `mailroom import sql` and `mailroom import maildir` end to end: the directory from real MariaDB,
// PostgreSQL and SQLite servers/files, the mail from Maildirs a real Dovecot wrote; then Mailroom
// serves and Python's imaplib logs in with the old passwords and sees, folder by folder and message by
// message, what it sees on that Dovecot over IMAP: UIDVALIDITY, UIDs, flags, INTERNALDATE and bytes.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { runCli, serve } from '../helpers/cli.js';
import { dovecotMissing, startDovecot, type Dovecot } from '../helpers/dovecot.js';
import { imapSnapshot } from '../helpers/imap-snapshot.js';
import { mariadbMissing, startMariaDb, type MariaDb } from '../helpers/mariadb.js';
import { postgresMissing, startPostgres, type Postgres } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp.js';
import { howtoVirtualSchema, postfixAdminSchema } from '../server/import/directory-schemas.js';

const message = (n: number, to: string) =>
  `From: Sender <sender@elsewhere.example>\nTo: ${to}\nSubject: Message ${n}\nDate: Mon, 1 Jan 2024 10:0${n % 10}:00 +0000\nMessage-ID: <m${n}@elsewhere.example>\n\nBody ${n}\n${'line\n'.repeat(n * 50)}`;

async function cli(dataDir: string, ...args: string[]) {
  const result = await runCli(['--data-dir', dataDir, ...args], undefined, 120_000);
  assert.equal(result.code, 0, `mailroom ${args.join(' ')}\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

describe('moving in from MariaDB and a Dovecot Maildir tree', { skip: mariadbMissing || dovecotMissing }, () => {
  let db: MariaDb;
  let dovecot: Dovecot;
  before(async () => {
    db = await startMariaDb();
    await db.exec('CREATE DATABASE postfix;');
    await db.exec(postfixAdminSchema('mysql'), 'postfix');
    dovecot = await startDovecot({ imap: true });
    for (let n = 1; n <= 5; n++) dovecot.deliver('alice@example.com', message(n, 'alice@example.com'));
    dovecot.deliver('alice@example.com', message(6, 'alice@example.com'), 'Lists.dev');
    dovecot.deliver('alice@example.com', message(7, 'alice@example.com'), 'Sent');
    dovecot.deliver('bob@example.com', message(8, 'bob@example.com'));
    dovecot.doveadm('flags', 'add', '-u', 'alice@example.com', '\\Seen', 'mailbox', 'INBOX', 'uid', '1:2');
    dovecot.doveadm('flags', 'add', '-u', 'alice@example.com', '\\Answered \\Flagged $Forwarded Junk', 'mailbox', 'INBOX', 'uid', '2');
    dovecot.doveadm('expunge', '-u', 'alice@example.com', 'mailbox', 'INBOX', 'uid', '3');
  });
  after(async () => {
    await db?.stop();
    await dovecot?.stop();
  });

  it('plans, imports the directory and every user’s mail, and serves it as Dovecot did', async (t) => {
    const dataDir = tempDir(t);
    const url = db.url('postfix');
    const dry = await cli(dataDir, 'import', 'sql', '--url', url, '--preset', 'postfixadmin', '--dry-run');
    assert.match(dry, /dry run of sql:mysql:\/\/root@127\.0\.0\.1:\d+\/postfix: nothing was written/);
    assert.match(dry, /would create 3 domains, 4 accounts, 5 aliases/);
    assert.match(dry, /dave@example\.com: password scheme ARGON2ID cannot be verified .* — imported disabled/);
    assert.equal(JSON.parse(await cli(dataDir, '--json', 'domain', 'list')).length, 0, 'a dry run writes nothing');

    const run = await cli(dataDir, 'import', 'sql', '--url', url, '--preset', 'postfixadmin');
    assert.match(run, /created 3 domains, 4 accounts \(1 disabled\), 3 aliases, 1 forwardings, 1 catch-alls, 1 alias domains, 1 transports/);
    assert.equal(JSON.parse(await cli(dataDir, '--json', 'domain', 'list')).length, 4, 'with the alias domain example.org');

    const dryMail = await cli(dataDir, 'import', 'maildir', dovecot.mailRoot, '--layout', '%d/%n/Maildir', '--dry-run');
    assert.match(dryMail, /would import 7 messages \(.*\) for 2 users/);
    const mail = await cli(dataDir, 'import', 'maildir', dovecot.mailRoot, '--layout', '%d/%n/Maildir');
    assert.match(mail, /alice@example\.com: 3 folders, 6 messages \(.*\) imported, 0 imported before/);
    assert.match(mail, /bob@example\.com: 1 folders, 1 messages \(.*\) imported, 0 imported before/);
    const again = await cli(dataDir, 'import', 'maildir', dovecot.mailRoot, '--layout', '%d/%n/Maildir');
    assert.match(again, /alice@example\.com: 3 folders, 0 messages \(0\) imported, 6 imported before/);

    const served = await serve(dataDir);
    try {
      for (const [user, password] of [
        ['alice@example.com', 'secret1'],
        ['bob@example.com', 'secret2'],
      ]) {
        const theirs = await imapSnapshot({ port: dovecot.imapPort!, tls: false, user, password: 'any' });
        const ours = await imapSnapshot({ port: served.ready.ports.imaps, tls: true, user, password });
        assert.equal(theirs.INBOX.messages.length, user === 'bob@example.com' ? 1 : 4, 'Dovecot shows the mail delivered, less the expunged one');
        for (const [folder, snapshot] of Object.entries(theirs)) assert.deepEqual(ours[folder], snapshot, `${user} ${folder}`);
      }
      await assert.rejects(imapSnapshot({ port: served.ready.ports.imaps, tls: true, user: 'alice@example.com', password: 'wrong' }), /AUTHENTICATIONFAILED|failed/i);
    } finally {
      await served.stop();
    }
  });
});

describe('moving in from PostgreSQL', { skip: postgresMissing }, () => {
  let pg: Postgres;
  before(async () => {
    pg = await startPostgres();
    await pg.exec('CREATE DATABASE postfix;');
    await pg.exec(postfixAdminSchema('postgres'), 'postfix');
  });
  after(() => pg?.stop());

  it('imports a PostfixAdmin directory', async (t) => {
    const dataDir = tempDir(t);
    const run = await cli(dataDir, 'import', 'sql', '--url', pg.url('postfix'), '--preset', 'postfixadmin');
    assert.match(run, /created 3 domains, 4 accounts \(1 disabled\)/);
    const users = JSON.parse(await cli(dataDir, '--json', 'user', 'list')) as Array<{ address: string }>;
    assert.deepEqual(users.map((u) => u.address).sort(), ['alice@example.com', 'bob@example.com', 'carol@example.net', 'dave@example.com']);
    const second = await cli(dataDir, 'import', 'sql', '--url', pg.url('postfix'), '--preset', 'postfixadmin');
    assert.match(second, /note: the directory was written by an earlier run of this import; nothing was changed/);
  });
});

describe('moving in from an SQLite file', () => {
  it('imports the ISPmail schema and refuses a missing file with a sentence (exit 1)', async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'ispmail.sqlite');
    const source = new Database(file);
    source.exec(howtoVirtualSchema('INTEGER PRIMARY KEY'));
    source.close();
    const dataDir = join(dir, 'data');
    const run = await cli(dataDir, 'import', 'sql', '--url', `sqlite:${file}`, '--preset', 'howto');
    assert.match(run, /created 1 domains, 1 accounts \(0 disabled\), 2 aliases/);
    // The same directory through the lookup queries an ISPmail server's Postfix and Dovecot use.
    const custom = await cli(
      join(dir, 'custom'),
      'import', 'sql', '--url', `sqlite:${file}`, '--preset', 'custom',
      '--accounts-query', "SELECT email as user, password FROM virtual_users WHERE email='%u'",
      '--domains-query', "SELECT 1 FROM virtual_domains WHERE name='%s'",
      '--aliases-query', "SELECT destination FROM virtual_aliases WHERE source='%s'",
    );
    assert.match(custom, /created 1 domains, 1 accounts \(0 disabled\), 2 aliases/);
    const noAccounts = await runCli(['--data-dir', dataDir, 'import', 'sql', '--url', `sqlite:${file}`, '--preset', 'custom']);
    assert.equal(noAccounts.code, 2, noAccounts.stderr);
    assert.match(noAccounts.stderr, /--preset custom needs --accounts-query/);
    const missing = await runCli(['--data-dir', dataDir, 'import', 'sql', '--url', `sqlite:${file}.gone`, '--preset', 'howto']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot open the SQLite file/);
  });
});
