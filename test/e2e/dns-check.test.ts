// The DNS check per domain (issue 18 §2) in real Chromium against `mailroom serve`, whose resolver is
// pointed at a fake DNS server on loopback: missing records are shown as such with the value to
// publish, "Check again" sees them once published, and the dashboard's health panel names them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { AdminHttpClient } from '../helpers/admin-http.js';
import { startFakeDns } from '../helpers/fake-dns.js';
import { adminPage, cannotRun } from './browser.js';

const ADMIN_PASSWORD = 'correct horse battery';

test('the DNS check shows what is missing, then what was published', { skip: cannotRun() }, async (t) => {
  const dns = await startFakeDns(t, { 'example.test': { TXT: ['v=spf1 mx -all'] } });
  const server = await serve(tempDir(t));
  t.after(() => server.child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${Number(server.ready.ports.admin)}`;
  const client = await AdminHttpClient.firstRun(base, String(server.ready.setupUrl), ADMIN_PASSWORD);
  await client.result('updateSettings', { hostname: 'mail.example.test', dnsServers: [dns.server] });
  await client.result('addDomain', { name: 'example.test' });

  const { page, errors } = await adminPage(t, base, ADMIN_PASSWORD);
  await page.getByRole('link', { name: 'Dashboard' }).waitFor();
  await page.getByTestId('health-records').getByText(/Missing or wrong: example\.test MX example\.test/).waitFor();

  await page.goto(`${base}/#/domains`);
  await page.getByRole('row', { name: /example\.test/ }).getByRole('button', { name: 'DNS records' }).click();
  const drawer = page.getByRole('dialog', { name: 'DNS records for example.test' });
  const mx = drawer.getByRole('region', { name: 'MX example.test' });
  await mx.getByText('Missing or wrong').waitFor();
  await mx.getByText('10 mail.example.test.', { exact: true }).waitFor();
  await drawer.getByRole('region', { name: 'TXT example.test' }).getByText('Published').waitFor();
  await drawer.getByRole('status', { name: 'DNS check result' }).getByText(/record\(s\) missing or wrong/).waitFor();

  Object.assign(dns.zone, {
    'example.test': { MX: [{ priority: 10, exchange: 'mail.example.test' }], TXT: ['v=spf1 mx -all'] },
    'mail.example.test': { A: ['192.0.2.25'] },
    '_dmarc.example.test': { TXT: ['v=DMARC1; p=quarantine'] },
    '25.2.0.192.in-addr.arpa': { PTR: ['mail.example.test'] },
  });
  await drawer.getByRole('button', { name: 'Check again' }).click();
  await mx.getByText('Published').waitFor();
  await mx.getByText('Found: 10 mail.example.test').waitFor();
  await drawer.getByRole('region', { name: 'PTR 25.2.0.192.in-addr.arpa' }).getByText('Published').waitFor();
  await drawer.getByRole('status', { name: 'DNS check result' }).getByText('Every record mail needs is published.').waitFor();
  assert.ok(dns.queries.some((q) => q.name === 'example.test' && q.type === 'MX'), 'the server asked the configured resolver');
  assert.deepEqual(errors, []);
});
