// Lists that scale (issue 18) in real Chromium against `mailroom serve`: a 300-user list is paged,
// sorted and searched by the server (the page shows the count and walks pages), the alias form's
// destination picker suggests users found by the server, and the log page loads older rows.
// The users and log rows are put in the data folder before the server starts (adding 300 users
// through the GUI would test the add form 300 times, not the list).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openContext } from '../../server/index.js';
import { serve } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { AdminHttpClient } from '../helpers/admin-http.js';
import { adminPage, cannotRun } from './browser.js';

const ADMIN_PASSWORD = 'correct horse battery';
const USERS = 300;

test('300 users: counts, pages, server-side sort and search; searchable picker; load older logs', { skip: cannotRun() }, async (t) => {
  const dataDir = tempDir(t);
  const before = await openContext(dataDir);
  const domain = await before.store.domains.add('office.test', 0);
  for (let i = 0; i < USERS; i++) {
    const n = String(i).padStart(3, '0');
    await before.store.createAccount({ domainId: domain.id, localPart: `user${n}`, displayName: `Person ${n}`, passwordHash: '{PLAIN}x', scramSecret: null, quotaBytes: 0 });
  }
  const rows = Array.from({ length: 450 }, (_, i) => ({ ts: Date.now() - 60_000 + i, level: 'info' as const, component: 'test', sessionId: null, queueId: null, messageId: null, event: 'test.filler', fields: { i } }));
  await before.store.log.insertMany(rows);
  await before.close();

  const server = await serve(dataDir);
  t.after(() => server.child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${Number(server.ready.ports.admin)}`;
  await AdminHttpClient.firstRun(base, String(server.ready.setupUrl), ADMIN_PASSWORD);
  const { page, errors } = await adminPage(t, base, ADMIN_PASSWORD);
  await page.getByRole('link', { name: 'Dashboard' }).waitFor(); // a domain exists: no wizard

  await page.goto(`${base}/#/users`);
  const count = page.getByTestId('pager-count');
  await count.filter({ hasText: '1–50 of 300 users' }).waitFor();
  const table = page.getByRole('table', { name: 'Users' });
  assert.equal(await table.locator('tbody tr').count(), 50, 'one page of rows, not 300');
  await page.getByRole('button', { name: 'Next page' }).click();
  await count.filter({ hasText: '51–100 of 300 users' }).waitFor();
  await table.getByText('user050@office.test').waitFor();
  await page.getByRole('button', { name: 'Previous page' }).click();
  await table.getByText('user000@office.test').waitFor();

  // Sorted by address already: one click turns it around on the server, so the last user comes first.
  assert.equal(await table.getByRole('columnheader', { name: 'Address' }).getAttribute('aria-sort'), 'ascending');
  await table.getByRole('button', { name: 'Address' }).click();
  await table.locator('tbody tr').first().getByText('user299@office.test').waitFor();
  assert.equal(await table.getByRole('columnheader', { name: 'Address' }).getAttribute('aria-sort'), 'descending');

  await page.getByLabel('Search users').fill('person 12');
  await count.filter({ hasText: '1–10 of 10 users' }).waitFor(); // Person 120 to 129
  await page.getByLabel('Search users').fill('nobody-like-this');
  await page.getByText('No user matches “nobody-like-this”.').waitFor();

  // The alias destinations picker asks the server as one types.
  await page.goto(`${base}/#/aliases`);
  await page.getByRole('button', { name: 'Add alias' }).first().click();
  await page.getByLabel('Address').first().fill('sales');
  await page.getByRole('combobox', { name: 'Delivers to' }).fill('user27');
  await page.getByRole('option', { name: 'user271@office.test' }).click();
  await page.getByRole('button', { name: 'Add alias' }).last().click();
  await page.getByRole('table', { name: 'Aliases' }).getByText('user271@office.test').waitFor();

  // Logs: the first page holds 200 rows; "Load older" fetches the rows before them.
  await page.goto(`${base}/#/logs?component=test`);
  const logCount = page.getByTestId('log-count');
  await logCount.filter({ hasText: '200 rows shown' }).waitFor();
  await page.getByRole('button', { name: 'Load older' }).click();
  await logCount.filter({ hasText: '400 rows shown' }).waitFor();
  await page.getByRole('button', { name: 'Load older' }).click();
  await logCount.filter({ hasText: '450 rows shown, nothing older matches' }).waitFor();
  assert.deepEqual(errors, []);
});
