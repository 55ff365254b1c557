// The Shared mailboxes page (issue 17) in real Chromium against `mailroom serve`: from the empty state,
// add Shared/sales with its address (a bad address is refused at the field), grant a user access at
// one of the three levels, see the grant on the row and in the admin API, revoke it, remove the mailbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { AdminHttpClient } from '../helpers/admin-http.js';
import { adminPage, cannotRun } from './browser.js';

const ADMIN_PASSWORD = 'correct horse battery';

interface Shared {
  imapName: string;
  address: string;
  grants: Array<{ user: string; rights: string }>;
}

test('shared mailboxes: add, grant, revoke, remove', { skip: cannotRun() }, async (t) => {
  const server = await serve(tempDir(t));
  t.after(() => server.child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${Number(server.ready.ports.admin)}`;
  const client = await AdminHttpClient.firstRun(base, String(server.ready.setupUrl), ADMIN_PASSWORD);
  await client.result('addDomain', { name: 'example.test' });
  await client.result('addAccount', { address: 'alice@example.test', password: 'alice password 1' });

  const { page, errors } = await adminPage(t, base, ADMIN_PASSWORD);
  await page.getByRole('link', { name: 'Dashboard' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Shared mailboxes' }).click();
  await page.getByText('No shared mailboxes yet').waitFor();

  await page.getByRole('button', { name: 'Add the first shared mailbox' }).click();
  const add = page.getByRole('dialog', { name: 'Add a shared mailbox' });
  await add.getByLabel('Name').fill('sales');
  await add.getByLabel('Address').fill('not an address');
  await add.getByRole('button', { name: 'Add', exact: true }).click();
  await add.getByText(/address/i).first().waitFor();
  assert.equal(await add.isVisible(), true, 'a bad address keeps the dialog open');
  await add.getByLabel('Address').fill('sales@example.test');
  await add.getByRole('button', { name: 'Add', exact: true }).click();
  const row = page.getByRole('row', { name: /Shared\/sales/ });
  await row.getByText('sales@example.test').waitFor();
  await row.getByText('No one yet').waitFor();

  await row.getByRole('button', { name: 'Grant access to Shared/sales' }).click();
  const grant = page.getByRole('dialog', { name: 'Grant access to Shared/sales' });
  await grant.getByLabel('User').fill('alice@example.test');
  await grant.getByRole('button', { name: 'Grant', exact: true }).click();
  // The server adds RFC 4314's obsolete d beside t and e.
  await row.getByText('alice@example.test: lrswited', { exact: true }).waitFor();
  const listed = await client.result<Shared[]>('listSharedMailboxes', {});
  assert.deepEqual(
    listed.map((s) => [s.imapName, s.address, s.grants]),
    [['Shared/sales', 'sales@example.test', [{ user: 'alice@example.test', rights: 'lrswited' }]]],
  );

  await row.getByRole('button', { name: 'Revoke alice@example.test on Shared/sales' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke', exact: true }).click();
  await row.getByText('No one yet').waitFor();
  assert.deepEqual((await client.result<Shared[]>('listSharedMailboxes', {}))[0].grants, []);

  await row.getByRole('button', { name: 'Remove Shared/sales' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove shared mailbox' }).click();
  await page.getByText('No shared mailboxes yet').waitFor();
  assert.deepEqual(await client.result<Shared[]>('listSharedMailboxes', {}), []);
  assert.deepEqual(errors, []);
});
