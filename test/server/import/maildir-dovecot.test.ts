// The Maildir reader against Maildirs written by a real Dovecot (dovecot-lda and doveadm, started here
// by test/helpers/dovecot.ts): folders, UIDs and UIDVALIDITY, flags and keywords, received dates,
// sizes and bytes are compared with what doveadm reports for the same mail.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readMaildir } from '../../../server/import/maildir/read-maildir.js';
import { readSubscriptions } from '../../../server/import/maildir/folders.js';
import { discoverMaildirs } from '../../../server/import/maildir/layout.js';
import { toCrlf, type SourceFolder, type SourceItem, type SourceMessage } from '../../../server/import/source-message.js';
import { dovecotMissing, startDovecot, type Dovecot } from '../../helpers/dovecot.js';

const message = (n: number, body = `Body ${n}\n`) =>
  `From: Sender <sender@elsewhere.example>\nTo: alice@example.com\nSubject: Message ${n}\nDate: Mon, 1 Jan 2024 10:0${n % 10}:00 +0000\nMessage-ID: <m${n}@elsewhere.example>\n\n${body}`;

async function collect(root: string): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of readMaildir(root)) items.push(item);
  return items;
}

interface DoveadmRow {
  mailbox: string;
  uid: number;
  flags: string[];
  received: number;
  size: number;
}

/** `doveadm fetch -f tab`: a header line, then one tab-separated line per message. */
function doveadmMessages(dovecot: Dovecot, address: string): DoveadmRow[] {
  const out = dovecot.doveadm('-f', 'tab', 'fetch', '-u', address, 'mailbox uid flags date.received size.virtual', 'all');
  return out
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [mailbox, uid, flags, received, size] = line.split('\t');
      return {
        mailbox: mailbox.replaceAll('.', '/'),
        uid: Number(uid),
        flags: flags.split(' ').filter((f) => f !== '' && f !== '\\Recent').sort(),
        received: Date.parse(`${received.replace(' ', 'T')}Z`),
        size: Number(size),
      };
    });
}

describe('Maildirs written by Dovecot', { skip: dovecotMissing }, () => {
  let dovecot: Dovecot;
  const sent = new Map<string, string>();
  before(async () => {
    dovecot = await startDovecot();
    const deliver = (n: number, folder?: string) => {
      const text = message(n);
      sent.set(`m${n}`, text);
      dovecot.deliver('alice@example.com', text, folder);
    };
    deliver(1);
    deliver(2);
    deliver(3);
    deliver(4, 'Lists.dev');
    deliver(5, 'Lists.dev');
    deliver(6, 'Entwürfe');
    dovecot.doveadm('mailbox', 'create', '-u', 'alice@example.com', '-s', 'Empty');
    dovecot.doveadm('flags', 'add', '-u', 'alice@example.com', '\\Seen', 'mailbox', 'INBOX', 'uid', '1');
    dovecot.doveadm('flags', 'add', '-u', 'alice@example.com', '\\Answered \\Flagged $Forwarded Junk', 'mailbox', 'INBOX', 'uid', '2');
    dovecot.doveadm('flags', 'add', '-u', 'alice@example.com', '\\Seen \\Deleted', 'mailbox', 'INBOX', 'uid', '3');
    dovecot.doveadm('expunge', '-u', 'alice@example.com', 'mailbox', 'INBOX', 'uid', '3');
    deliver(7);
    dovecot.doveadm('flags', 'add', '-u', 'alice@example.com', '\\Seen \\Draft', 'mailbox', 'Lists.dev', 'all');
    dovecot.deliver('bob@example.net', message(8));
  });
  after(() => dovecot?.stop());

  it('yields every folder with Dovecot’s UIDVALIDITY and every message with its UID, flags, keywords and date', async () => {
    const items = await collect(dovecot.maildir('alice@example.com'));
    assert.deepEqual(items.filter((i) => i.kind === 'unreadable'), []);
    const folders = items.filter((i): i is SourceFolder => i.kind === 'folder');
    assert.deepEqual(folders.map((f) => f.name), ['INBOX', 'Empty', 'Entwürfe', 'Lists/dev']);
    for (const folder of folders) {
      const line = dovecot.doveadm('mailbox', 'status', '-u', 'alice@example.com', 'uidvalidity uidnext', folder.name.replaceAll('/', '.'));
      const uidValidity = Number(/uidvalidity=(\d+)/.exec(line)?.[1]);
      const uidNext = Number(/uidnext=(\d+)/.exec(line)?.[1]);
      assert.equal(folder.uidValidity, uidValidity, `${folder.name} UIDVALIDITY`);
      assert.equal(folder.uidNext, uidNext, `${folder.name} UIDNEXT`);
    }

    const messages = items.filter((i): i is SourceMessage => i.kind === 'message');
    const ours = messages.map((m) => ({
      mailbox: m.folder,
      uid: m.sourceUid!,
      flags: [...m.flags, ...m.keywords].sort(),
      received: m.internalDate,
      size: m.size!,
    }));
    const theirs = doveadmMessages(dovecot, 'alice@example.com');
    const key = (r: DoveadmRow) => `${r.mailbox}#${r.uid}`;
    assert.deepEqual([...ours].sort((a, b) => (key(a) < key(b) ? -1 : 1)), [...theirs].sort((a, b) => (key(a) < key(b) ? -1 : 1)));
    assert.deepEqual(messages.filter((m) => m.folder === 'INBOX').map((m) => m.sourceUid), [1, 2, 4], 'UID order, expunged 3 absent');
    assert.deepEqual(messages.find((m) => m.sourceUid === 2 && m.folder === 'INBOX')!.keywords.sort(), ['$Forwarded', 'Junk']);
  });

  it('reads each message’s bytes lazily as the CRLF text Dovecot serves, of the size it reports', async () => {
    for await (const item of readMaildir(dovecot.maildir('alice@example.com'))) {
      if (item.kind !== 'message') continue;
      const bytes = await item.read();
      assert.equal(bytes.length, item.size, item.origin);
      const id = /Message-ID: <(m\d+)@/.exec(bytes.toString())![1];
      assert.deepEqual(bytes, toCrlf(Buffer.from(sent.get(id)!)));
    }
  });

  it('reads Dovecot’s subscriptions file', async () => {
    assert.deepEqual((await readSubscriptions(dovecot.maildir('alice@example.com'))).sort(), ['Empty', 'Entwürfe', 'Lists/dev']);
  });

  it('finds every user under a %d/%n/Maildir root', async () => {
    const { found, problems } = await discoverMaildirs(dovecot.mailRoot, '%d/%n/Maildir');
    assert.deepEqual(problems, []);
    assert.deepEqual(found, [
      { address: 'alice@example.com', path: dovecot.maildir('alice@example.com') },
      { address: 'bob@example.net', path: dovecot.maildir('bob@example.net') },
    ]);
  });
});
