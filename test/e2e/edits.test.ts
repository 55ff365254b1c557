// Edits everywhere (issue 18) in real Chromium against `mailroom serve`: a domain's default quota, a
// trusted network's permissions and expiry, an access rule, and the transport table (add, edit,
// remove). Each edit is checked through the admin HTTP API, not only on the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { AdminHttpClient } from '../helpers/admin-http.js';
import { adminPage, cannotRun } from './browser.js';

const ADMIN_PASSWORD = 'correct horse battery';
const MB = 1024 * 1024;

test('edit a domain, a trusted network, an access rule and a transport', { skip: cannotRun() }, async (t) => {
  const server = await serve(tempDir(t));
  t.after(() => server.child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${Number(server.ready.ports.admin)}`;
  const client = await AdminHttpClient.firstRun(base, String(server.ready.setupUrl), ADMIN_PASSWORD);
  const admin = {
    async call(method: string, input: unknown): Promise<unknown> {
      const answer = await client.call(method, input);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body.result;
    },
  };
  await admin.call('addDomain', { name: 'example.test', defaultQuota: 100 * MB });
  await admin.call('addNetwork', { cidr: '192.168.7.0/24', description: 'Office' });
  await admin.call('addRule', { rule: { stage: 'connect', action: 'reject', match: { ip: ['203.0.113.0/24'] }, description: 'Bad range' } });

  const { page, errors } = await adminPage(t, base, ADMIN_PASSWORD);
  await page.getByRole('link', { name: 'Dashboard' }).waitFor();
  const dialog = page.getByRole('dialog');

  await page.goto(`${base}/#/domains`);
  await page.getByRole('button', { name: 'Edit example.test' }).click();
  await dialog.getByLabel('Default mailbox quota (MB)').fill('-5');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.getByText('A size cannot be negative.').waitFor();
  await dialog.getByLabel('Default mailbox quota (MB)').fill('250');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('table', { name: 'Domains' }).getByText('250 MB').waitFor();
  const domains = (await admin.call('listDomains', {})) as Array<{ defaultQuota: number }>;
  assert.equal(domains[0]?.defaultQuota, 250 * MB);

  await page.goto(`${base}/#/networks`);
  await page.getByRole('button', { name: 'Edit 192.168.7.0/24' }).click();
  await dialog.getByLabel('Description').fill('Office printers');
  await dialog.getByLabel('IMAP').uncheck();
  await dialog.getByLabel('Trusted until (optional)').fill('2099-12-31');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('table', { name: 'Trusted networks' }).getByText('Office printers').waitFor();
  const [network] = (await admin.call('listNetworks', {})) as Array<{ description: string; allowImap: boolean; expiresAt: number | null }>;
  assert.equal(network?.description, 'Office printers');
  assert.equal(network?.allowImap, false);
  assert.equal(new Date(network!.expiresAt!).getFullYear(), 2099);

  await page.goto(`${base}/#/rules`);
  await page.getByRole('button', { name: 'Edit Bad range' }).click();
  await dialog.getByLabel('Description').fill('Worse range');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('table', { name: /rules/ }).getByText('Worse range').waitFor();
  const rules = (await admin.call('listRules', {})) as Array<{ description: string; match: { ip?: string[] } }>;
  assert.deepEqual(rules.map((r) => [r.description, r.match.ip]), [['Worse range', ['203.0.113.0/24']]]);

  await page.goto(`${base}/#/transports`);
  await page.getByRole('button', { name: 'Add transport' }).first().click();
  await dialog.getByLabel('Domain').fill('partner.test');
  await dialog.getByLabel('Route').fill('smtp:[relay.partner.test]:99999');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.getByText(/Port 99999 is out of range/).waitFor();
  await dialog.getByLabel('Route').fill('smtp:[relay.partner.test]:2525');
  await dialog.getByRole('button', { name: 'Save' }).click();
  const transports = page.getByRole('table', { name: 'Transports' });
  await transports.getByText('smtp:[relay.partner.test]:2525').waitFor();
  await page.getByRole('button', { name: 'Edit the transport of partner.test' }).click();
  await dialog.getByLabel('Route').fill('reject');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await transports.getByText('reject', { exact: true }).waitFor();
  assert.deepEqual(await admin.call('listTransports', {}), [{ domain: 'partner.test', route: 'reject' }]);
  await page.getByRole('button', { name: 'Remove the transport of partner.test' }).click();
  await dialog.getByRole('button', { name: 'Remove transport' }).click();
  await page.getByText('No transports').waitFor();
  assert.deepEqual(errors, []);
});
