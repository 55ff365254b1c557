// Courier-IMAP maildir++ (courierimapuiddb in Dovecot's version-1 format, courierimapsubscribed with
// INBOX. prefixes), written here by hand as Courier lays it out: no Courier server is started.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readSubscriptions } from '../../../server/import/maildir/folders.js';
import { readMaildir } from '../../../server/import/maildir/read-maildir.js';
import type { SourceItem } from '../../../server/import/source-message.js';

test('reads a Courier maildir: UIDs from courierimapuiddb, folders, flags, mtime and subscriptions', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'mailroom-courier-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const sub of ['cur', 'new', 'tmp', '.Sent/cur', '.Sent/new', '.Lists.dev/cur', '.Entw&APw-rfe/cur']) mkdirSync(join(root, sub), { recursive: true });
  const write = (path: string, text: string, mtime: number) => {
    writeFileSync(join(root, path), text);
    utimesSync(join(root, path), mtime / 1000, mtime / 1000);
  };
  write('cur/1200000000.1.mx:2,RS', 'Subject: a\n\nA\n', Date.UTC(2008, 0, 10, 12));
  write('cur/1200000001.2.mx:2,FT', 'Subject: b\n\nB\n', Date.UTC(2008, 0, 11, 12));
  write('new/1200000002.3.mx', 'Subject: c\n\nC\n', Date.UTC(2008, 0, 12, 12));
  writeFileSync(join(root, 'courierimapuiddb'), '1 1199999999 5\n3 1200000000.1.mx\n4 1200000001.2.mx\n');
  write('.Sent/cur/1200000003.4.mx:2,S', 'Subject: d\n\nD\n', Date.UTC(2008, 0, 13, 12));
  writeFileSync(join(root, 'courierimapsubscribed'), 'INBOX\nINBOX.Sent\nINBOX.Lists.dev\nINBOX.Entw&APw-rfe\n');

  const items: SourceItem[] = [];
  for await (const item of readMaildir(root)) items.push(item);
  const shown = items.map((i) =>
    i.kind === 'message' ? [i.folder, i.sourceUid ?? null, i.flags, i.internalDate] : i.kind === 'folder' ? [i.name, i.uidValidity ?? null, i.uidNext ?? null] : [i.path],
  );
  assert.deepEqual(shown, [
    ['INBOX', 1199999999, 5],
    ['INBOX', 3, ['\\Answered', '\\Seen'], Date.UTC(2008, 0, 10, 12)],
    ['INBOX', 4, ['\\Flagged', '\\Deleted'], Date.UTC(2008, 0, 11, 12)],
    ['INBOX', null, [], Date.UTC(2008, 0, 12, 12)],
    ['Entwürfe', null, null],
    ['Lists/dev', null, null],
    ['Sent', null, null],
    ['Sent', null, ['\\Seen'], Date.UTC(2008, 0, 13, 12)],
  ]);
  assert.deepEqual(await readSubscriptions(root), ['INBOX', 'Sent', 'Lists/dev', 'Entwürfe']);
});

test('a damaged uid list is reported and the folder is still read, without UIDs', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'mailroom-courier-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'cur'), { recursive: true });
  writeFileSync(join(root, 'cur', '1.1.mx:2,'), 'Subject: x\n\nx\n');
  writeFileSync(join(root, 'dovecot-uidlist'), '9 garbage\n');
  const items: SourceItem[] = [];
  for await (const item of readMaildir(root)) items.push(item);
  assert.deepEqual(items.map((i) => i.kind), ['unreadable', 'folder', 'message']);
  assert.match((items[0] as { reason: string }).reason, /unknown uid list version "9"/);
});
