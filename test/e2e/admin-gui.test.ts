// The admin GUI in real Chromium, through the headless admin HTTP server of `mailroom serve` on a
// fresh data folder, walked as a new owner would: setup link → wizard (with its certificate import
// and port bind test) → domains → users → aliases →
// trusted networks → logs (live) → queue → settings → log out and in again. Every step asserts on
// what the page shows; a screenshot of each screen is taken on the way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createTransport } from 'nodemailer';
import { serve } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { AdminHttpClient } from '../helpers/admin-http.js';
import { issue } from '../helpers/certificates.js';
import { cannotRun, launch, screenshotDir, watchErrors } from './browser.js';

const ADMIN_PASSWORD = 'correct horse battery';

const see = (page: Page, text: string | RegExp) => page.getByText(text).first().waitFor();

/** Listens on a free port of all addresses until `close`, as another mail server would. */
async function occupy(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: '0.0.0.0', port: 0 }, resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('a new owner sets up Mailroom and manages it from the browser', { skip: cannotRun() }, async (t) => {
  const dir = tempDir(t);
  const shots = screenshotDir(tempDir(t, 'mailroom-shots-'));
  const server = await serve(dir);
  t.after(() => server.child.kill('SIGKILL'));
  const setupUrl = String(server.ready.setupUrl);
  const base = `http://127.0.0.1:${server.ready.ports.admin}`;
  assert.match(setupUrl, /#\/setup\//);

  const browser = await launch(t);
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.setDefaultTimeout(15_000);
  const errors = watchErrors(page);
  // Toasts would cover the page's own content in the pictures.
  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true, animations: 'disabled', style: '.mantine-Notifications-root { display: none; }' });
  const menu = (name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true });
  // Steps build on each other: after a failure the rest are skipped rather than failing in turn.
  let failed: string | undefined;
  const step = (name: string, fn: () => Promise<void>) =>
    t.test(name, { skip: failed && `after "${failed}" failed` }, async () => {
      try {
        await fn();
      } catch (error) {
        failed = name;
        await shot('failure').catch(() => undefined);
        throw error;
      }
    });
  /** A second admin session, as another browser would have. */
  const other = new AdminHttpClient(base);

  await step('without the setup link the page explains how to start', async () => {
    await page.goto(base + '/');
    await see(page, 'Mailroom is not set up yet');
    await see(page, /setupUrl/);
    await shot('not-set-up');
  });

  await step('the wizard: admin password, server name, domain, first user, LAN, certificate, relay, ports, summary', async () => {
    await page.goto(setupUrl);
    await see(page, 'Set up Mailroom');
    assert.doesNotMatch(page.url(), /setup\/[\w-]{20,}/, 'the one-time token leaves the address bar');

    // Bad input is refused on the form, before anything reaches the server.
    await page.getByLabel('Admin password', { exact: true }).fill('short');
    await page.getByLabel('Repeat the admin password').fill('different');
    await page.getByRole('button', { name: 'Next' }).click();
    await see(page, 'The admin password must have at least 10 characters.');
    await see(page, 'The two passwords differ.');
    await shot('wizard-validation');
    await page.getByLabel('Admin password', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByLabel('Repeat the admin password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Next' }).click();

    await see(page, 'The name this server gives itself');
    await page.getByLabel('Hostname').fill('mail.example.test');
    await page.getByRole('button', { name: 'Next' }).click();

    await see(page, 'The domain your addresses end in');
    // A name the server refuses shows the server's own sentence on the field.
    await page.getByLabel('Mail domain').fill('nodot');
    await page.getByRole('button', { name: 'Next' }).click();
    await see(page, /two labels/);
    await page.getByLabel('Mail domain').fill('example.test');
    await page.getByRole('button', { name: 'Next' }).click();

    await see(page, 'The first mailbox.');
    await page.getByLabel('Address').fill('alice');
    await page.getByLabel('Full name').fill('Alice Example');
    await page.getByLabel('Password', { exact: true }).fill('alice password 1');
    await page.getByLabel('Repeat the password').fill('alice password 1');
    await shot('wizard-user');
    await page.getByRole('button', { name: 'Next' }).click();

    await see(page, 'Devices on a trusted range');
    await page.getByLabel('LAN range (CIDR)').fill('192.168.40.0/24');
    await page.getByRole('button', { name: 'Next' }).click();
    await see(page, 'Mail clients and other servers encrypt');
    // Back edits the saved range: the corrected one replaces it (the networks step below checks).
    await page.getByRole('button', { name: 'Back' }).click();
    assert.equal(await page.getByLabel('LAN range (CIDR)').inputValue(), '192.168.40.0/24');
    await page.getByLabel('LAN range (CIDR)').fill('192.168.50.0/24');
    await page.getByRole('button', { name: 'Next' }).click();

    // Certificate: the generated one is shown; a key of another pair is refused on the key field; a
    // CA-issued chain with its key (read from a file) is imported and applies after a restart.
    await see(page, 'Mail clients and other servers encrypt');
    const current = page.getByRole('table', { name: 'Current certificate' });
    await current.getByText('self-signed', { exact: true }).waitFor();
    assert.match(await current.innerText(), /SHA-256 fingerprint\s+([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    assert.match(await current.innerText(), /Valid until/);
    // The certificate made at first start predates the name chosen above: the step says so and offers a new one.
    await see(page, 'The certificate does not name this server');
    await page.getByLabel('Make a new self-signed certificate for mail.example.test').waitFor();
    await shot('wizard-tls');
    const ca = issue({ commonName: 'Example Test CA', ca: true });
    const issued = issue({ commonName: 'mail.example.test', issuer: ca });
    const stranger = issue({ commonName: 'mail.example.test', issuer: ca });
    await page.getByLabel(/^Import PEM/).check();
    await page.getByLabel('Certificate chain (PEM)').fill(issued.cert + ca.cert);
    await page.getByLabel('Private key (PEM)').fill(stranger.key);
    await page.getByRole('button', { name: 'Check and import' }).click();
    await see(page, /The private key does not belong to the certificate/);
    const keyFile = join(dir, 'privkey.pem');
    writeFileSync(keyFile, issued.key);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Choose key file…' }).click()]);
    await chooser.setFiles(keyFile);
    for (let i = 0; !(await page.getByLabel('Private key (PEM)').inputValue()).includes(issued.key.trim()); i++) {
      assert.ok(i < 50, 'the picked key file fills the key field');
      await page.waitForTimeout(100);
    }
    await page.getByRole('button', { name: 'Check and import' }).click();
    await see(page, /imported\. New connections use it now/);
    await current.getByText('issued by a CA').waitFor();
    assert.match(await current.innerText(), /CN=Example Test CA/);
    assert.match(await current.innerText(), /chain of 2 certificates/);
    await shot('wizard-tls-imported');
    await page.getByRole('button', { name: 'Next' }).click();

    await see(page, 'Use a relay host');
    await page.getByRole('button', { name: 'Next' }).click();

    // Ports: one held by another program is explained and replaced by the offered alternative; the
    // admin port this server already listens on counts as OK.
    await see(page, 'The ports Mailroom listens on.');
    const busy = await occupy();
    t.after(() => busy.close());
    const free: number[] = [];
    for (let i = 0; i < 8; i++) {
      const p = await occupy();
      free.push(p.port);
      await p.close();
    }
    const fields: Array<[string, number]> = [
      ['SMTP (incoming mail)', busy.port],
      ['Submission (STARTTLS)', free[0]],
      ['Submission (TLS)', free[1]],
      ['IMAP', free[2]],
      ['IMAP (TLS)', free[3]],
      ['POP3', free[4]],
      ['POP3 (TLS)', free[5]],
      ['ManageSieve (mail rules)', free[6]],
      ['Autoconfig for mail clients (HTTP)', free[7]],
      ['Admin page (HTTP)', server.ready.ports.admin],
    ];
    for (const [label, port] of fields) await page.getByLabel(label, { exact: true }).fill(String(port));
    await page.getByRole('button', { name: 'Test ports' }).click();
    const results = page.getByRole('table', { name: 'Port test' });
    await results.waitFor();
    const smtpRow = results.locator('tr[data-port-status="in-use"]');
    assert.match(await smtpRow.innerText(), /Another program \(maybe another mail server\) uses port \d+; or use the alternative port (\d+)/);
    const alternative = Number(/alternative port (\d+)/.exec(await smtpRow.innerText())![1]);
    assert.match(await results.locator('tr[data-port-status="mailroom"]').innerText(), /In use by this Mailroom \(its admin listener\)/);
    assert.equal(await results.locator('tr[data-port-status="free"]').count(), 8);
    await see(page, '1 port(s) cannot be used.');
    await shot('wizard-ports');
    await page.getByRole('button', { name: 'Use the alternatives' }).click();
    await see(page, /take effect at the next start/);
    await see(page, 'All ports can be used.');
    assert.equal(await page.getByLabel('SMTP (incoming mail)', { exact: true }).inputValue(), String(alternative));
    const checker = new AdminHttpClient(base);
    assert.equal((await checker.login(ADMIN_PASSWORD)).status, 200);
    assert.equal(((await checker.call('getSettings')).body.result as { ports: { smtp: number } }).ports.smtp, alternative);
    await shot('wizard-ports-fixed');
    await page.getByRole('button', { name: 'Finish' }).click();
    await see(page, 'Mailroom is ready');
    const settings = page.getByRole('table', { name: 'Mail client settings' });
    await settings.getByText('mail.example.test').first().waitFor();
    await see(page, 'alice@example.test');
    await shot('wizard-summary');
  });

  await step('the dashboard counts what the wizard made', async () => {
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    await see(page, 'Messages per hour');
    const text = await page.locator('main').innerText();
    assert.match(text, /Domains\s*1/i);
    assert.match(text, /Users\s*1/i);
    assert.match(text, /Queued messages\s*0/i);
    await shot('dashboard');
  });

  await step('domains: a bad name is refused with the reason; a good one is added', async () => {
    await menu('Domains').click();
    await page.getByRole('row', { name: /example\.test/ }).waitFor();
    await page.getByRole('button', { name: 'Add domain' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add a domain' });
    await dialog.getByLabel('Domain name').fill('example.test');
    await dialog.getByRole('button', { name: 'Add domain' }).click();
    await dialog.getByText(/already exists/).waitFor();
    await dialog.getByLabel('Domain name').fill('second.test');
    await dialog.getByRole('button', { name: 'Add domain' }).click();
    await page.getByRole('row', { name: /second\.test/ }).waitFor();
    await page.getByRole('row', { name: /example\.test/ }).getByRole('button', { name: 'DNS records' }).click();
    await see(page, 'v=spf1 mx -all');
    await see(page, '10 mail.example.test.');
    await shot('domains-dns');
    await page.keyboard.press('Escape');
    await page.getByText('v=spf1 mx -all').waitFor({ state: 'hidden' });
    await shot('domains');
  });

  await step('users: mismatched passwords are caught; a second user is added with a quota', async () => {
    await menu('Users').click();
    await page.getByRole('row', { name: /alice@example\.test/ }).waitFor();
    await page.getByRole('button', { name: 'Add user' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add a user' });
    await dialog.getByLabel('Address').fill('bob');
    await dialog.getByLabel('Domain', { exact: true }).click();
    await page.getByRole('option', { name: '@second.test' }).click();
    await dialog.getByLabel('Password', { exact: true }).fill('bob password 1');
    await dialog.getByLabel('Repeat the password').fill('bob password 2');
    await dialog.getByLabel('Quota (MB)').fill('200');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    await dialog.getByText('The two passwords differ.').waitFor();
    await shot('users-validation');
    await dialog.getByLabel('Repeat the password').fill('bob password 1');
    await dialog.getByRole('button', { name: 'Add user' }).click();
    const bob = page.getByRole('row', { name: /bob@second\.test/ });
    await bob.waitFor();
    assert.match(await bob.innerText(), /of 200 MB/);
    await shot('users');
  });

  await step('aliases: an unknown local target is refused inline; a distribution list is added', async () => {
    await menu('Aliases').click();
    await see(page, 'No aliases yet');
    await page.getByRole('button', { name: 'Add alias' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add an alias' });
    await dialog.getByLabel('Address').fill('team');
    const targets = dialog.getByLabel('Delivers to');
    await targets.fill('nobody@example.test');
    await targets.press('Enter');
    await dialog.getByRole('button', { name: 'Add alias' }).click();
    await dialog.getByText(/neither an account nor an alias/).waitFor();
    await shot('aliases-validation');
    await targets.press('Backspace'); // removes the refused target

    for (const d of ['alice@example.test', 'bob@second.test', 'partner@elsewhere.example']) {
      await targets.fill(d);
      await targets.press('Enter');
    }
    await dialog.getByRole('button', { name: 'Add alias' }).click();
    const team = page.getByRole('row', { name: /team@example\.test/ });
    await team.waitFor();
    assert.match(await team.innerText(), /list of 3/i);
    await shot('aliases');
  });

  await step('trusted networks list the wizard’s LAN range', async () => {
    await menu('Trusted networks').click();
    await page.getByRole('row', { name: /192\.168\.50\.0\/24/ }).waitFor();
    assert.equal(await page.getByRole('row', { name: /192\.168\.40\.0\/24/ }).count(), 0, 'the range replaced after Back is gone');
    await shot('networks');
  });

  await step('trusted networks: relaying for 0.0.0.0/0 asks first and is marked red', async () => {
    await page.getByRole('button', { name: 'Add range' }).first().click();
    const form = page.getByRole('dialog', { name: 'Add a trusted range' });
    await form.getByLabel('IP range (CIDR)').fill('0.0.0.0/0');
    await form.getByLabel('Send mail without a password (printers, scanners)').check();
    await form.getByText(/0\.0\.0\.0\/0 is not a private range/).waitFor();
    await form.getByRole('button', { name: 'Add range' }).click();
    const ask = page.getByRole('dialog', { name: 'Allow an open relay?' });
    await ask.getByText(/anyone on the internet can send mail through this server/).waitFor();
    await shot('networks-open-relay-dialog');
    await ask.getByRole('button', { name: 'Allow relaying for 0.0.0.0/0' }).click();
    const row = page.locator('tr[data-open-relay]');
    await row.getByText('open relay').waitFor();
    assert.match(await row.innerText(), /0\.0\.0\.0\/0/);
    await see(page, 'This server is an open relay');
    await shot('networks-open-relay');
    // Relaying off again: the warning goes.
    await page.getByRole('switch', { name: '0.0.0.0/0 may send without a password' }).click({ force: true });
    await page.locator('tr[data-open-relay]').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Remove 0.0.0.0/0' }).click();
    await page.getByRole('button', { name: 'Remove range' }).click();
    await page.getByRole('row', { name: /0\.0\.0\.0\/0/ }).waitFor({ state: 'detached' });
  });

  await step('logs: earlier changes are listed and new ones arrive live', async () => {
    await menu('Logs').click();
    await page.locator('[data-log-event="admin.account.add"]').first().waitFor();
    // A change made elsewhere (another admin session) appears without reloading the page.
    assert.equal((await other.login(ADMIN_PASSWORD)).status, 200);
    assert.equal((await other.call('addDomain', { name: 'live.test' })).status, 200);
    await see(page, 'domain=live.test');
    await page.getByLabel('Search').fill('bob@second.test');
    await page.getByLabel('Search').press('Enter');
    // The filter hides other rows, and keeps the matching ones.
    await page.locator('[data-log-event="admin.domain.add"]').first().waitFor({ state: 'detached' });
    await page.locator('[data-log-event="admin.account.add"]').first().waitFor();
    assert.match(await page.locator('[data-log-event="admin.account.add"]').first().innerText(), /bob@second\.test/);
    await shot('logs');
  });

  await step('queue: the empty state says all mail was delivered', async () => {
    await menu('Queue').click();
    await see(page, 'The queue is empty');
    await shot('queue');
  });

  await step('settings: a bad value is refused, a good one saved', async () => {
    await menu('Settings').click();
    const recipients = page.getByLabel('Recipients per message');
    await recipients.fill('');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await see(page, 'Enter a number.');
    await recipients.fill('50');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await see(page, 'Settings saved.');
    assert.equal(((await other.call('getSettings')).body.result as { limits: { maxRecipients: number } }).limits.maxRecipients, 50);
    await shot('settings');
  });

  await step('access rules: a preset blocks an IP, and the test panel names the rule', async () => {
    await menu('Access rules').click();
    await see(page, 'No rules at this step');
    await page.getByRole('button', { name: 'Add rule' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add an access rule' });
    const ips = dialog.getByLabel('IP addresses or ranges');
    await ips.fill('not-an-ip');
    await ips.press('Enter');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await dialog.getByText(/Not a valid IP range/).waitFor();
    await ips.press('Backspace');
    await ips.fill('127.0.0.2');
    await ips.press('Enter');
    await dialog.getByLabel('Description').fill('Block the test sender');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await page.getByRole('row', { name: /Block the test sender/ }).waitFor();
    await page.getByLabel('Client IP').fill('127.0.0.2');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const verdict = page.getByTestId('rule-test-result');
    await verdict.getByText(/Block the test sender/).first().waitFor();
    assert.match(await verdict.innerText(), /Refused/);
    await page.getByRole('tab', { name: /RCPT TO/ }).click();
    await see(page, 'No open relay (built in)');
    await page.getByRole('tab', { name: /Connect/ }).click();
    await shot('rules');
  });

  await step('mail over SMTP: the blocked IP is refused, a client that logs in is delivered and queued', async () => {
    const ports = server.ready.ports;
    const blocked = createTransport({ host: '127.0.0.1', port: ports.smtp, localAddress: '127.0.0.2', ignoreTLS: true, name: 'blocked.example' });
    await assert.rejects(blocked.sendMail({ from: 'x@outside.example', to: 'alice@example.test', subject: 'hi', text: 'hi' }), (e: { responseCode?: number }) => {
      assert.ok((e.responseCode ?? 0) >= 500, JSON.stringify(e));
      return true;
    });
    blocked.close();
    // The outside recipient of the list goes to a next hop that is not listening, so it waits in the queue.
    assert.equal((await other.call('setTransport', { domain: 'elsewhere.example', route: 'smtp:[127.0.0.1]:9' })).status, 200);
    const alice = createTransport({
      host: '127.0.0.1',
      port: ports.submission,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
      auth: { user: 'alice@example.test', pass: 'alice password 1' },
      name: 'client.example',
    });
    const info = await alice.sendMail({ from: 'alice@example.test', to: 'team@example.test', subject: 'Team news', text: 'Hello team.' });
    alice.close();
    assert.deepEqual(info.accepted, ['team@example.test']);
  });

  await step('logs: the accepted message is traced from the connection to the mailboxes and the queue', async () => {
    await menu('Logs').click();
    await page.getByRole('button', { name: 'Back to all logs' }).click().catch(() => undefined);
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Search').press('Enter');
    const accepted = page.locator('[data-log-event="smtp.accepted"]').first();
    await accepted.waitFor();
    await accepted.getByRole('button', { name: /^session / }).click();
    await see(page, 'Trace');
    await page.getByText('smtp.connect').first().waitFor();
    await page.getByText('delivery.stored').first().waitFor();
    await page.getByText('delivery.queued').first().waitFor();
    await shot('logs-trace');
  });

  await step('dashboard: the counters show the received, delivered and rejected mail', async () => {
    await menu('Dashboard').click();
    const value = async (id: string) => Number((await page.getByTestId(id).innerText()).split('\n').at(-1));
    await page.getByTestId('stat-received').waitFor();
    assert.ok((await value('stat-received')) >= 1, 'received');
    assert.ok((await value('stat-delivered')) >= 2, 'delivered to alice and bob');
    assert.ok((await value('stat-rejected')) >= 1, 'the blocked IP');
    assert.ok((await value('stat-queue')) >= 1, 'the outside recipient waits');
    await shot('dashboard-activity');
  });

  await step('dashboard: the received counter moves by itself while mail is sent', async () => {
    const value = async (id: string) => Number((await page.getByTestId(id).innerText()).split('\n').at(-1));
    const before = await value('stat-received');
    const url = page.url();
    const alice = createTransport({
      host: '127.0.0.1',
      port: server.ready.ports.submission,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
      auth: { user: 'alice@example.test', pass: 'alice password 1' },
    });
    await alice.sendMail({ from: 'alice@example.test', to: 'alice@example.test', subject: 'Live', text: 'Counted live.' });
    alice.close();
    // The page's CSP allows no evaluated strings: poll the counter from here, a bounded number of times.
    for (let i = 0; (await value('stat-received')) <= before; i++) {
      assert.ok(i < 150, 'the received counter moves within 15 s');
      await page.waitForTimeout(100);
    }
    assert.equal(page.url(), url, 'no reload or navigation');
  });

  await step('queue: the waiting message is shown, held, released, retried and deleted', async () => {
    await menu('Queue').click();
    const row = page.getByRole('row', { name: /partner@elsewhere\.example/ });
    await row.waitFor();
    await shot('queue-entry');
    await row.getByRole('button', { name: /^Hold / }).click();
    await row.getByText('held', { exact: true }).waitFor();
    await row.getByRole('button', { name: /^Release / }).click();
    await row.getByRole('button', { name: /^Hold / }).waitFor();
    await row.getByRole('button', { name: 'Retry' }).click();
    await see(page, /will be tried again now/);
    await row.getByRole('button', { name: /^Delete / }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete message' }).click();
    await see(page, 'The queue is empty');
  });

  await step('mail clients: settings per protocol and a Thunderbird autoconfig download', async () => {
    await menu('Mail clients').click();
    await page.getByRole('table', { name: 'Client settings' }).getByText('mail.example.test').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'example.test', exact: true }).click()]);
    assert.equal(download.suggestedFilename(), 'config-v1.1.xml');
    const path = await download.path();
    assert.match(readFileSync(path, 'utf8'), /<hostname>mail\.example\.test<\/hostname>/);
    await shot('mail-clients');
  });

  await step('log out, a wrong password is refused, the right one logs in', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await see(page, 'Log in with the admin password.');
    await page.getByLabel('Admin password').fill('not it');
    await page.getByRole('button', { name: 'Log in' }).click();
    await see(page, 'Wrong password.');
    await shot('login');
    await page.getByLabel('Admin password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await see(page, 'Settings to enter'); // back where the session ended
  });

  assert.deepEqual(errors, [], 'no errors in the page');
  await server.stop();
});
