// The Backup page and the dashboard's backup card in real Chromium (issue 12), against `mailroom
// serve`'s admin HTTP: the dashboard warns that there is no backup yet; "Back up now" shows the
// stages from the live channel and the written file appears in the list; Check reads it back whole and
// shows what it holds; a schedule is saved; the restore instructions name the command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, serve } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { AdminHttpClient } from '../helpers/admin-http.js';
import { adminPage, cannotRun } from './browser.js';

const ADMIN_PASSWORD = 'correct horse battery';

test('the Backup page backs up now with progress, lists and checks the file, and saves a schedule', { skip: cannotRun() }, async (t) => {
  const dataDir = tempDir(t);
  for (const args of [['domain', 'add', 'example.com'], ['user', 'add', 'alice@example.com', '--password-stdin']]) {
    const r = await runCli(['--data-dir', dataDir, ...args], 'a good password 1\n');
    assert.equal(r.code, 0, r.stderr);
  }
  const server = await serve(dataDir);
  t.after(() => server.child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${server.ready.ports.admin}`;
  await AdminHttpClient.firstRun(base, String(server.ready.setupUrl), ADMIN_PASSWORD);

  const { page, errors } = await adminPage(t, base, ADMIN_PASSWORD);
  // A server whose setup is not finished opens the wizard first.
  const wizard = page.getByText('Finish later');
  await wizard.or(page.getByLabel('Last backup')).first().waitFor();
  if (await wizard.isVisible()) await wizard.click();
  await page.getByLabel('Last backup').getByText('No backup yet.').waitFor();
  await page.getByLabel('Last backup').getByRole('link', { name: 'Backups' }).click();

  await page.getByRole('button', { name: 'Back up now' }).click();
  await page.getByRole('status', { name: 'Backup progress' }).getByText('Backup written and verified.').waitFor();
  const table = page.getByRole('table', { name: 'Backups' });
  const check = table.getByRole('button', { name: /^Check .*mailroom-backup-.*\.mrbak$/ });
  await check.waitFor();
  await check.click();
  await table.getByText('Good: 1 domains, 1 users, 0 messages').waitFor();
  await page.getByText(/ — 0 messages, /).waitFor(); // the last good backup

  await page.getByLabel('Daily at').fill('04:30');
  await page.getByRole('button', { name: 'Save schedule' }).click();
  await page.getByText(/Daily at 04:30, keeping 7, in /).waitFor();
  await page.getByText('mailroom restore FILE').waitFor();
  assert.deepEqual(errors, []);
});
