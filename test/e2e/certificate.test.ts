// Settings → Certificate (issue 18) in real Chromium against `mailroom serve`: the certificate in use
// is described; a refused import names the problem; a CA-issued chain and key imported from the page
// are presented by the running IMAP TLS listener to the next connection, without a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { connect as connectTls } from 'node:tls';
import { serve } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { issue } from '../helpers/certificates.js';
import { AdminHttpClient } from '../helpers/admin-http.js';
import { adminPage, cannotRun } from './browser.js';

const ADMIN_PASSWORD = 'correct horse battery';

function presented(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTls({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerX509Certificate()!.fingerprint256);
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

test('a certificate imported in Settings is used by the running listeners at once', { skip: cannotRun() }, async (t) => {
  const server = await serve(tempDir(t));
  t.after(() => server.child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${Number(server.ready.ports.admin)}`;
  const client = await AdminHttpClient.firstRun(base, String(server.ready.setupUrl), ADMIN_PASSWORD);
  await client.result('updateSettings', { hostname: 'mail.example.test' });
  await client.result('addDomain', { name: 'example.test' }); // past the first-run wizard
  const imaps = Number(server.ready.ports.imaps);
  const before = await presented(imaps);

  const { page, errors } = await adminPage(t, base, ADMIN_PASSWORD);
  await page.getByRole('link', { name: 'Dashboard' }).waitFor();
  await page.goto(`${base}/#/settings`);
  const card = page.getByRole('region', { name: 'Certificate' });
  await card.getByRole('table', { name: 'Current certificate' }).getByText('self-signed', { exact: true }).waitFor();
  await card.getByText('does not name mail.example.test', { exact: true }).waitFor();

  const ca = issue({ commonName: 'Example Test CA', ca: true });
  const issued = issue({ commonName: 'mail.example.test', issuer: ca });
  const stranger = issue({ commonName: 'mail.example.test' });
  await card.getByRole('button', { name: 'Import certificate…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a certificate' });
  await dialog.getByLabel('Certificate chain (PEM)').fill(issued.cert + ca.cert);
  await dialog.getByLabel('Private key (PEM)').fill(stranger.key);
  await dialog.getByRole('button', { name: 'Check and import' }).click();
  await dialog.getByText(/The private key does not belong to the certificate/).waitFor();
  assert.equal(await presented(imaps), before, 'a refused import changes nothing');

  await dialog.getByLabel('Private key (PEM)').fill(issued.key);
  await dialog.getByRole('button', { name: 'Check and import' }).click();
  await card.getByRole('status').getByText(/imported\. New connections use it now/).waitFor();
  await card.getByRole('table', { name: 'Current certificate' }).getByText('issued by a CA', { exact: true }).waitFor();
  await card.getByText('names mail.example.test', { exact: true }).waitFor();
  assert.equal(await presented(imaps), new X509Certificate(issued.cert).fingerprint256, 'the running IMAP TLS listener presents the imported certificate');
  assert.deepEqual(errors, []);
});
