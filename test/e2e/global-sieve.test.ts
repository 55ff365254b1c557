// Global Sieve scripts in real Chromium (issue 15), on `mailroom serve`: the admin writes a script
// with a syntax error and is shown its line and column on the script field, fixes it and saves it
// to run before every user, moves the phase to another script, and deletes one; the admin HTTP API
// and a delivery over SMTP show the same state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openContext } from '../../server/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { AdminHttpClient } from '../helpers/admin-http.js';
import { SmtpClient } from '../protocol/smtp/client.js';
import { cannotRun, serveWithGui } from './browser.js';

const ADMIN_PASSWORD = 'correct horse battery';
const BROKEN = 'require ["fileinto", "mailbox"];\nif header :contains "subject" "[ad]" { fileinto :create "Ads" }\n';
const FIXED = 'require ["fileinto", "mailbox"];\nif header :contains "subject" "[ad]" { fileinto :create "Ads"; stop; }\n';

test('the admin writes, fixes, activates and deletes global Sieve scripts in the GUI', { skip: cannotRun() }, async (t) => {
  const dataDir = tempDir(t);
  assert.equal((await runCli(['domain', 'add', 'example.com', '--data-dir', dataDir])).code, 0);
  assert.equal((await runCli(['user', 'add', 'alice@example.com', '--password-stdin', '--data-dir', dataDir], 'alice-password\n')).code, 0);

  const { server, base, page, errors } = await serveWithGui(t, dataDir, ADMIN_PASSWORD);
  await page.goto(base + '/#/mail-rules');
  await page.getByText('No global scripts').waitFor();

  await page.getByRole('button', { name: 'New script' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('ads');
  await dialog.getByLabel('Sieve script').fill(BROKEN);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.getByText(/line 2, column \d+: /).waitFor();
  await dialog.getByLabel('Sieve script').fill(FIXED);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByText('ads is saved; it runs before every user.').waitFor();
  const table = page.getByRole('table', { name: 'Global scripts' });
  await table.getByRole('row', { name: /ads\s+Before every user/ }).waitFor();

  // A second script takes the "before" phase; the first is then only reachable by include.
  await page.getByRole('button', { name: 'New script' }).click();
  await dialog.getByLabel('Name').fill('keep-all');
  await dialog.getByLabel('Sieve script').fill('keep;\n');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await table.getByRole('row', { name: /keep-all\s+Before every user/ }).waitFor();
  await table.getByRole('row', { name: /ads\s+Only when included/ }).waitFor();
  await page.getByRole('button', { name: 'Edit ads' }).click();
  await dialog.getByText('Before every user', { exact: true }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await table.getByRole('row', { name: /ads\s+Before every user/ }).waitFor();
  await page.getByRole('button', { name: 'Delete keep-all' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
  await page.getByText('keep-all is deleted.').waitFor();

  const admin = new AdminHttpClient(base);
  assert.equal((await admin.login(ADMIN_PASSWORD)).status, 200);
  const scripts = (await admin.call('listGlobalSieveScripts', {})).body.result as Array<{ name: string; phase: string | null; content: string }>;
  assert.deepEqual(scripts.map((s) => [s.name, s.phase, s.content]), [['ads', 'before', FIXED]]);

  // The saved script runs for every user: an "[ad]" message to alice lands in Ads.
  const { client: smtp } = await SmtpClient.open(server.ready.ports.smtp, { from: '127.0.0.1' });
  await smtp.ehlo();
  assert.equal((await smtp.send('MAIL FROM:<x@outside.example>')).code, 250);
  assert.equal((await smtp.send('RCPT TO:<alice@example.com>')).code, 250);
  assert.equal((await smtp.data('From: <x@outside.example>\r\nTo: <alice@example.com>\r\nSubject: [ad] buy now\r\n\r\nHello.\r\n')).code, 250);
  await smtp.send('QUIT');
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.once('exit', resolve));
  const ctx = await openContext(dataDir);
  t.after(() => ctx.close());
  const alice = (await ctx.store.accounts.find('alice', 'example.com'))!;
  const ads = await ctx.store.mailboxes.get(alice.id, 'Ads');
  assert.ok(ads, 'the global script made Ads');
  assert.equal((await ctx.store.messages.list(ads.id)).length, 1);
  assert.deepEqual(errors, []);
});
