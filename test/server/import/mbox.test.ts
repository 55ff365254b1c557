// The mbox reader: on mbox files a real Dovecot wrote (doveadm backup of a Maildir into an mbox
// location: Content-Length, X-UID, Status/X-Status/X-Keywords and the FOLDER INTERNAL DATA message), and
// on an mboxrd file as mutt and procmail write them (>From quoting, no Content-Length).
import assert from 'node:assert/strict';
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, test } from 'node:test';
import { listMboxFolders } from '../../../server/import/mbox/mbox-folders.js';
import { readMbox } from '../../../server/import/mbox/read-mbox.js';
import { toCrlf, type SourceItem, type SourceMessage } from '../../../server/import/source-message.js';
import { isRoot, UNPRIVILEGED } from '../../helpers/daemon.js';
import { dovecotMissing, startDovecot, type Dovecot } from '../../helpers/dovecot.js';

async function collect(path: string, folder: string): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of readMbox(path, folder)) items.push(item);
  return items;
}

const messages = (items: SourceItem[]) => items.filter((i): i is SourceMessage => i.kind === 'message');

describe('mbox files written by Dovecot', { skip: dovecotMissing }, () => {
  let dovecot: Dovecot;
  let mbox: string;
  const one = 'From: x@y.example\nSubject: one\n\nFrom the start of a line\n>From quoted by the sender\n';
  const two = 'From: x@y.example\nSubject: two\n\nbody\n';
  const three = 'From: x@y.example\nSubject: three\n\nlast\n';
  before(async () => {
    dovecot = await startDovecot();
    dovecot.deliver('alice@example.com', one);
    dovecot.deliver('alice@example.com', two);
    dovecot.deliver('alice@example.com', three, 'Lists.dev');
    dovecot.doveadm('flags', 'add', '-u', 'alice@example.com', '\\Seen \\Answered $Forwarded', 'mailbox', 'INBOX', 'uid', '1');
    dovecot.doveadm('flags', 'add', '-u', 'alice@example.com', '\\Flagged \\Draft', 'mailbox', 'INBOX', 'uid', '2');
    mbox = join(dovecot.dir, 'mbox');
    mkdirSync(mbox);
    if (isRoot) chownSync(mbox, UNPRIVILEGED.uid, UNPRIVILEGED.gid);
    dovecot.doveadm('backup', '-u', 'alice@example.com', `mbox:${mbox}/mail:INBOX=${mbox}/inbox`);
  });
  after(() => dovecot?.stop());

  it('reads flags, keywords, UIDs and dates as Dovecot reports them, skipping its internal-data message', async () => {
    const items = await collect(join(mbox, 'inbox'), 'INBOX');
    assert.deepEqual(items.filter((i) => i.kind === 'unreadable'), []);
    const status = dovecot.doveadm('mailbox', 'status', '-u', 'alice@example.com', 'uidvalidity', 'INBOX');
    const folder = items[0];
    assert.ok(folder.kind === 'folder' && folder.name === 'INBOX');
    assert.equal(folder.uidValidity, Number(/uidvalidity=(\d+)/.exec(status)![1]));
    assert.ok(folder.uidNext! >= 2, 'X-IMAP names at least the first UID as used');
    const got = messages(items).map((m) => ({ uid: m.sourceUid, flags: [...m.flags].sort(), keywords: m.keywords, date: m.internalDate }));
    const fetched = dovecot.doveadm('-f', 'tab', 'fetch', '-u', 'alice@example.com', 'uid date.received', 'mailbox', 'INBOX', 'all');
    const dates = fetched.trim().split('\n').slice(1).map((l) => Date.parse(`${l.split('\t')[1].replace(' ', 'T')}Z`));
    assert.deepEqual(got, [
      { uid: 1, flags: ['\\Answered', '\\Seen'], keywords: ['$Forwarded'], date: dates[0] },
      { uid: 2, flags: ['\\Draft', '\\Flagged'], keywords: [], date: dates[1] },
    ]);
  });

  it('keeps a body "From " line inside Content-Length and hides the metadata headers', async () => {
    const [first, second] = messages(await collect(join(mbox, 'inbox'), 'INBOX'));
    assert.deepEqual(await first.read(), toCrlf(Buffer.from(one)));
    assert.deepEqual(await second.read(), toCrlf(Buffer.from(two)));
    const folders = await listMboxFolders(join(mbox, 'mail'));
    assert.deepEqual(folders, [{ name: 'Lists/dev', path: join(mbox, 'mail', 'Lists', 'dev') }]);
    const [dev] = messages(await collect(folders[0].path, folders[0].name));
    assert.deepEqual(await dev.read(), toCrlf(Buffer.from(three)));
  });
});

describe('mboxrd files', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'mailroom-mbox-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('splits at From_ lines after an empty line, unquotes >From, reads Status/X-Status and the From_ date', async () => {
    const file = join(dir, 'Sent');
    writeFileSync(
      file,
      [
        'From alice@example.com Mon Jan  1 10:00:00 2024',
        'From: alice@example.com',
        'Subject: first',
        'Status: RO',
        'X-Status: AF',
        '',
        'Hello',
        '>From here on, quoted',
        '>>From twice',
        'From within a paragraph stays',
        '',
        'From bob@example.com Tue Feb 13 08:09:10 2024',
        'From: bob@example.com',
        'Subject: second',
        '',
        'Bye',
        '',
      ].join('\n'),
    );
    const items = await collect(file, 'Sent');
    assert.deepEqual(items[0], { kind: 'folder', name: 'Sent' });
    const [first, second] = messages(items);
    assert.deepEqual([first.flags, first.internalDate, first.origin], [['\\Seen', '\\Answered', '\\Flagged'], Date.UTC(2024, 0, 1, 10), `${file}#1`]);
    assert.equal(
      (await first.read()).toString(),
      'From: alice@example.com\r\nSubject: first\r\n\r\nHello\r\nFrom here on, quoted\r\n>From twice\r\nFrom within a paragraph stays\r\n',
    );
    assert.deepEqual([second.flags, second.internalDate], [[], Date.UTC(2024, 1, 13, 8, 9, 10)]);
    assert.equal((await second.read()).toString(), 'From: bob@example.com\r\nSubject: second\r\n\r\nBye\r\n');
  });

  it('reports text before the first From_ line and a missing file instead of dropping them', async () => {
    const file = join(dir, 'broken');
    writeFileSync(file, 'garbage\n\nFrom a@b.example Mon Jan  1 10:00:00 2024\nSubject: x\n\nx\n');
    const items = await collect(file, 'Broken');
    assert.equal(messages(items).length, 1);
    assert.deepEqual(items.at(-1), { kind: 'unreadable', path: file, folder: 'Broken', reason: 'text before the first "From " line is not a message' });
    const missing = await collect(join(dir, 'nope'), 'Nope');
    assert.equal(missing.length, 1);
    assert.equal(missing[0].kind, 'unreadable');
  });
});

test('an empty mbox file is an empty folder', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mailroom-mbox-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'Empty'), '');
  assert.deepEqual(await collect(join(dir, 'Empty'), 'Empty'), [{ kind: 'folder', name: 'Empty' }]);
});
