// Issue 18 in real Chromium against `mailroom serve`: the autoconfig listener on the dashboard and a
// Thunderbird-style autoconfig request from the browser; Settings → Network refusing a bad address,
// an address this machine does not have, a port another program holds and a bad DNS server, then
// saving with the note that ports take effect at the next start — and the CLI twin reading it back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { runCli, serve } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { AdminHttpClient } from '../helpers/admin-http.js';
import { adminPage, cannotRun } from './browser.js';

const ADMIN_PASSWORD = 'correct horse battery';

async function listening(): Promise<{ port: number; close(): Promise<void> }> {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  return { port: (holder.address() as AddressInfo).port, close: () => new Promise((resolve) => holder.close(() => resolve())) };
}

test('autoconfig from the browser; Settings → Network refuses what would not bind and saves for the next start', { skip: cannotRun() }, async (t) => {
  const dataDir = tempDir(t);
  const server = await serve(dataDir);
  t.after(() => server.child.kill('SIGKILL'));
  const ports = server.ready.ports;
  const base = `http://127.0.0.1:${ports.admin}`;
  const client = await AdminHttpClient.firstRun(base, String(server.ready.setupUrl), ADMIN_PASSWORD);
  await client.result('updateSettings', { hostname: 'mail.example.test', listenHost: '127.0.0.1' });
  await client.result('addDomain', { name: 'example.test' }); // past the first-run wizard

  const { page, errors } = await adminPage(t, base, ADMIN_PASSWORD);
  const row = page.getByRole('table', { name: 'Listeners' }).getByRole('row').filter({ hasText: 'Autoconfig (HTTP)' });
  await row.getByText(`port ${ports.autoconfig}`).waitFor();
  await row.getByText('listening').waitFor();

  // An autoconfig request as Thunderbird makes it, from Chromium.
  const answer = await page.request.get(`http://127.0.0.1:${ports.autoconfig}/mail/config-v1.1.xml?emailaddress=alice@example.test`);
  assert.equal(answer.status(), 200);
  const xml = await answer.text();
  assert.match(xml, new RegExp(`<incomingServer type="imap">\\s*<hostname>mail\\.example\\.test</hostname>\\s*<port>${ports.imaps}</port>\\s*<socketType>SSL</socketType>`));
  assert.match(xml, new RegExp(`<outgoingServer type="smtp">\\s*<hostname>mail\\.example\\.test</hostname>\\s*<port>${ports.submission}</port>`));
  const stranger = await page.request.get(`http://127.0.0.1:${ports.autoconfig}/mail/config-v1.1.xml?emailaddress=eve@example.org`);
  assert.equal(stranger.status(), 404);

  await page.goto(`${base}/#/settings`);
  const card = page.getByRole('region', { name: 'Network' });
  const save = card.getByRole('button', { name: 'Save network settings' });
  const listenHost = card.getByLabel('Mail listeners bind to');
  await listenHost.fill('999.1.1.1');
  await save.click();
  await card.getByText('"999.1.1.1" is not an IP address (for example 127.0.0.1, 0.0.0.0 or ::).').waitFor();
  // 192.0.2.1 (TEST-NET) is a valid address this machine does not have.
  await listenHost.fill('192.0.2.1');
  await save.click();
  await card.getByText('192.0.2.1 is not an address of this machine; pick one of its addresses, or 0.0.0.0 for all.').waitFor();
  await listenHost.fill('127.0.0.1');

  const held = await listening();
  t.after(() => held.close());
  const smtp = card.getByLabel('SMTP (incoming mail)');
  await smtp.fill(String(held.port));
  await save.click();
  await card.getByText(new RegExp(`Another program \\(maybe another mail server\\) uses port ${held.port}`)).waitFor();
  await card.getByLabel('Submission (STARTTLS)').fill(String(held.port));
  await save.click();
  await card.getByText(`Port ${held.port} is already used for smtp.`).waitFor();
  await card.getByLabel('Submission (STARTTLS)').fill('587');

  const dns = card.getByLabel('DNS servers');
  await dns.fill('not-a-server');
  await save.click();
  await card.getByText(/"not-a-server" is not a DNS server address/).waitFor();

  const free = await listening();
  await free.close();
  await smtp.fill(String(free.port));
  await dns.fill('127.0.0.1:5353\n[::1]:53');
  await card.getByLabel("Answer mail clients' autoconfig and Autodiscover requests").uncheck();
  await save.click();
  await card.getByRole('status').getByText('Saved. Mailroom reads its ports when it starts: changed ports take effect at the next start. DNS servers apply at once.').waitFor();

  const settings = (await client.result('getSettings', {})) as { ports: { smtp: number }; dnsServers: string[]; autoconfigEnabled: boolean; listenHost: string };
  assert.deepEqual([settings.ports.smtp, settings.dnsServers, settings.autoconfigEnabled, settings.listenHost], [free.port, ['127.0.0.1:5353', '[::1]:53'], false, '127.0.0.1']);
  // The CLI twin reads and refuses the same way.
  const get = await runCli(['--data-dir', dataDir, 'config', 'get', 'ports.smtp']);
  assert.equal(get.stdout.trim(), String(free.port));
  const refused = await runCli(['--data-dir', dataDir, 'config', 'set', 'listenHost', '999.1.1.1']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /listenHost: "999\.1\.1\.1" is not an IP address/);
  // Still on the old port until the next start: a new `serve` without overrides would take the saved ones.
  const status = (await client.result('getStatus', {})) as { listeners: Record<string, number> };
  assert.equal(status.listeners.smtp, ports.smtp);
  assert.deepEqual(errors, []);
});
