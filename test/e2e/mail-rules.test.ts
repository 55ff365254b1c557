// Out-of-office and forwarding from the users list in real Chromium (issue 15), on `mailroom serve`:
// the form tells that the user's own Sieve script is kept, refuses a bad date on its field, saves
// both settings through the admin HTTP API and then shows the generated Sieve rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openContext } from '../../server/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { AdminHttpClient } from '../helpers/admin-http.js';
import { cannotRun, serveWithGui } from './browser.js';

const ADMIN_PASSWORD = 'correct horse battery';
const OWN_SCRIPT = 'require "fileinto";\nif header :contains "subject" "[list]" { fileinto "Lists"; }\n';

test('the admin sets a user\'s out-of-office and forwarding; the own script stays', { skip: cannotRun() }, async (t) => {
  const dataDir = tempDir(t);
  assert.equal((await runCli(['domain', 'add', 'example.com', '--data-dir', dataDir])).code, 0);
  assert.equal((await runCli(['user', 'add', 'alice@example.com', '--password-stdin', '--data-dir', dataDir], 'alice-password\n')).code, 0);
  const setup = await openContext(dataDir);
  const alice = (await setup.store.accounts.find('alice', 'example.com'))!;
  await setup.store.sieve.put(alice.id, 'my filters', OWN_SCRIPT, 10);
  await setup.store.sieve.setActive(alice.id, 'my filters');
  await setup.close();

  const { base, page, errors } = await serveWithGui(t, dataDir, ADMIN_PASSWORD);
  await page.goto(base + '/#/users');
  await page.getByRole('button', { name: 'More actions for alice@example.com' }).click();
  await page.getByRole('menuitem', { name: 'Out-of-office and forwarding' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('The script “my filters” (set up with a mail client) is kept as it is').waitFor();

  await dialog.getByLabel('Send an automatic reply').check();
  await dialog.getByLabel('Subject').fill('Away until January');
  await dialog.getByLabel('Reply', { exact: true }).fill('I am away; back on 4 January.');
  await dialog.getByLabel('First day').fill('2026-12-24');
  await dialog.getByLabel('Last day').fill('2026-12-01');
  await dialog.getByLabel('Forward incoming mail').check();
  await dialog.getByLabel('Forward to').fill('alice@phone.example');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.getByText('The end is before the start.').waitFor();
  await dialog.getByLabel('Last day').fill('2027-01-03');
  await dialog.getByLabel('Keep a copy in this mailbox').uncheck();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved the out-of-office and forwarding of alice@example.com.').waitFor();

  const admin = new AdminHttpClient(base);
  assert.equal((await admin.login(ADMIN_PASSWORD)).status, 200);
  const rules = (await admin.call('getMailRules', { address: 'alice@example.com' })).body.result as { vacation: { start: string; end: string; subject: string }; forward: unknown; managedScript: string; userScripts: unknown };
  assert.deepEqual([rules.vacation.subject, rules.vacation.start, rules.vacation.end], ['Away until January', '2026-12-24', '2027-01-03']);
  assert.deepEqual(rules.forward, { to: ['alice@phone.example'], keepCopy: false });
  assert.deepEqual(rules.userScripts, [{ name: 'my filters', active: true, size: Buffer.byteLength(OWN_SCRIPT) }]);

  await page.getByRole('button', { name: 'More actions for alice@example.com' }).click();
  await page.getByRole('menuitem', { name: 'Out-of-office and forwarding' }).click();
  const script = page.getByRole('dialog').getByLabel('Generated Sieve script');
  await script.waitFor();
  const text = await script.innerText();
  assert.match(text, /vacation :days 7 :subject "Away until January"/);
  assert.match(text, /redirect "alice@phone\.example";/);
  assert.deepEqual(errors, []);
});
