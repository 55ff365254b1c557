// The "Move in" wizard in real Chromium against `mailroom serve` (issue 12), with real sources: an
// SQLite file holding the HOWTO schema (the directory), then the Maildirs a real Dovecot wrote under
// `%d/%n/Maildir`. A source that cannot be read gets a sentence; each preview shows what will be
// created and every conflict with its effect; each run shows its progress and report (the mail of an
// address with no account here is listed as skipped, with why). Afterwards Python's imaplib logs in
// with the old password and sees, message by message, what it sees on that Dovecot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../helpers/cli.js';
import { dovecotMissing, startDovecot } from '../helpers/dovecot.js';
import { imapSnapshot } from '../helpers/imap-snapshot.js';
import { tempDir } from '../helpers/temp.js';
import { howtoVirtualSchema } from '../server/import/directory-schemas.js';
import { cannotRun, serveWithGui } from './browser.js';

const message = (n: number, to: string) =>
  `From: Sender <sender@elsewhere.example>\nTo: ${to}\nSubject: Message ${n}\nDate: Mon, 1 Jan 2024 10:0${n}:00 +0000\nMessage-ID: <w${n}@elsewhere.example>\n\nBody ${n}\n${'line\n'.repeat(n * 40)}`;

test('Move in: the directory from an SQLite file, then every Maildir, with previews, progress and reports', { skip: cannotRun() ?? dovecotMissing }, async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'ispmail.sqlite');
  const source = new Database(file);
  source.exec(howtoVirtualSchema('INTEGER PRIMARY KEY'));
  source.close();
  const dovecot = await startDovecot({ imap: true });
  t.after(() => dovecot.stop());
  for (let n = 1; n <= 3; n++) dovecot.deliver('john@example.org', message(n, 'john@example.org'));
  dovecot.deliver('john@example.org', message(4, 'john@example.org'), 'Archive');
  dovecot.deliver('ghost@example.org', message(5, 'ghost@example.org'));
  dovecot.doveadm('flags', 'add', '-u', 'john@example.org', '\\Seen \\Flagged', 'mailbox', 'INBOX', 'uid', '2');

  const dataDir = join(dir, 'data');
  const init = await runCli(['--data-dir', dataDir, 'domain', 'list']);
  assert.equal(init.code, 0, init.stderr);
  const { server, page, errors } = await serveWithGui(t, dataDir, 'correct horse battery');
  await page.getByRole('link', { name: 'Move in' }).click();

  // The directory: the HOWTO preset over the SQLite file.
  await page.getByRole('combobox', { name: 'Schema' }).click();
  await page.getByRole('option', { name: /^HOWTO/ }).click();
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  await page.getByText('The database URL is required.').waitFor();
  await page.getByLabel('Database URL').fill(`sqlite:${file}.gone`);
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  await page.getByText(/cannot open the SQLite file/).waitFor();
  await page.getByLabel('Database URL').fill(`sqlite:${file}`);
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  const plan = page.getByRole('table', { name: 'Will create' });
  await plan.waitFor();
  assert.deepEqual(await rows(plan), ['Domains 1', 'Accounts 1', 'Aliases 2', 'Forwardings 0', 'Alias domains 0', 'Transports 0']);
  assert.equal(JSON.parse((await runCli(['--data-dir', dataDir, '--json', 'user', 'list'])).stdout).length, 0, 'the preview wrote nothing');
  await page.getByRole('button', { name: 'Import now' }).click();
  await page.getByRole('status', { name: 'Import result' }).waitFor();
  const created = page.getByRole('table', { name: 'Created' });
  assert.deepEqual((await rows(created)).slice(0, 3), ['Domains 1', 'Accounts 1 (0 disabled)', 'Aliases 2']);

  // The mail: every user's Maildir under Dovecot's root; ghost@ has no account here.
  await page.getByRole('button', { name: 'Import something else' }).click();
  await page.getByText('Maildir', { exact: true }).click();
  await page.getByLabel('Folder on this machine').fill(dovecot.mailRoot);
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  const mail = page.getByRole('table', { name: 'Mail to import' });
  await mail.waitFor();
  const toImport = (await rows(mail)).slice(1);
  assert.equal(toImport.length, 1, 'only john@ has an account');
  assert.match(toImport[0], /^john@example\.org 2 4 \d/);
  const conflicts = page.getByRole('list', { name: 'Conflicts' });
  await conflicts.getByText(/^mail of ghost@example\.org \(.*\): there is no such account$/).waitFor();
  assert.match(await conflicts.innerText(), /^skipped\s+mail of ghost/i);
  await page.getByRole('button', { name: 'Import now' }).click();
  await page.getByRole('status', { name: 'Import result' }).waitFor();
  const imported = await rows(page.getByRole('table', { name: 'Mail imported' }));
  assert.match(imported[1], /^john@example\.org 2 4 \S+ \S+ 0$/);
  await page.getByRole('list', { name: 'Conflicts' }).getByText(/ghost@example\.org/).waitFor();
  assert.deepEqual(errors, []);

  // What a client sees: the same folders, UIDs, flags, dates and bytes as on Dovecot, with the old password.
  const theirs = await imapSnapshot({ port: dovecot.imapPort!, tls: false, user: 'john@example.org', password: 'any' });
  const ours = await imapSnapshot({ port: server.ready.ports.imaps, tls: true, user: 'john@example.org', password: 'secret1' });
  assert.equal(theirs.INBOX.messages.length, 3);
  for (const [folder, snapshot] of Object.entries(theirs)) assert.deepEqual(ours[folder], snapshot, folder);
});

/** The rows of a table as their cells' text joined by spaces. */
async function rows(table: import('playwright-core').Locator): Promise<string[]> {
  return (await table.locator('tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
}

