// Settings → Filters in real Chromium (issue 16), on `mailroom serve` with a scripted milter on
// loopback that quarantines every message: the admin is told what is wrong with a bad milter, a
// milter that is down and a duplicate name, tests the connection and adds the milter; saves spam
// filing and greylisting after the form refused bad values; fills the global and a user's lists
// (a bad pattern is refused on its field); and releases and deletes held messages. The admin HTTP
// API and the store show the same state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openContext } from '../../server/index.js';
import type { SenderListEntryView, Settings } from '../../server/admin/contract.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { AdminHttpClient } from '../helpers/admin-http.js';
import { SmtpClient } from '../protocol/smtp/client.js';
import { reply, startFakeMilter } from '../server/milter/fake-milter.js';
import { cannotRun, serveWithGui } from './browser.js';

const ADMIN_PASSWORD = 'correct horse battery';

test('the admin sets up milters, spam filing, greylisting, allow/block lists and handles the quarantine in the GUI', { skip: cannotRun() }, async (t) => {
  const milter = await startFakeMilter({ script: (e) => (e.code === 'E' ? [reply('q', 'suspicious attachment'), reply('c')] : [reply('c')]) });
  t.after(() => milter.close());
  const dataDir = tempDir(t);
  assert.equal((await runCli(['domain', 'add', 'example.com', '--data-dir', dataDir])).code, 0);
  assert.equal((await runCli(['user', 'add', 'alice@example.com', '--password-stdin', '--data-dir', dataDir], 'alice-password\n')).code, 0);

  const { server, base, page, errors } = await serveWithGui(t, dataDir, ADMIN_PASSWORD);
  const admin = new AdminHttpClient(base);
  assert.equal((await admin.login(ADMIN_PASSWORD)).status, 200);
  await page.goto(base + '/#/filters');
  await page.getByText('No milters').waitFor();

  // A milter: bad name and endpoint, then one that is down, then the scripted one.
  await page.getByRole('button', { name: 'Add milter' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a milter' });
  await dialog.getByLabel('Name').fill('clam av');
  await dialog.getByLabel('Endpoint').fill('clamd');
  await dialog.getByLabel('Timeout (seconds)').fill('0');
  await dialog.getByRole('button', { name: 'Add milter' }).click();
  await dialog.getByText('A milter name is 1 to 64 letters, digits, ".", "_" or "-".').waitFor();
  await dialog.getByText(/\(for example inet:127\.0\.0\.1:11332 or unix:/).waitFor();
  await dialog.getByText('At least 1.').waitFor();
  await dialog.getByLabel('Name').fill('held');
  await dialog.getByLabel('Timeout (seconds)').fill('10');
  await dialog.getByLabel('Endpoint').fill('inet:127.0.0.1:1');
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await dialog.getByRole('status').getByText('Could not talk to the milter at inet:127.0.0.1:1').waitFor();
  await dialog.getByLabel('Endpoint').fill(milter.endpoint);
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await dialog.getByRole('status').getByText(`Connected to ${milter.endpoint} and negotiated the milter protocol.`).waitFor();
  await dialog.getByRole('button', { name: 'Add milter' }).click();
  await page.getByText('The milter held is added.').waitFor();
  await page.getByRole('table', { name: 'Milters' }).getByRole('row', { name: /held\s+inet:127\.0\.0\.1:\d+\s+mx · 10 s · when down: try later \(451\)/ }).waitFor();
  // The same name again is the server's refusal, on the name field.
  await page.getByRole('button', { name: 'Add milter' }).click();
  await dialog.getByLabel('Name').fill('HELD');
  await dialog.getByLabel('Endpoint').fill(milter.endpoint);
  await dialog.getByRole('button', { name: 'Add milter' }).click();
  await dialog.getByText('There is already a milter named HELD.').waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: 'Test the milter held' }).click();
  await page.getByRole('status').filter({ hasText: 'Test of held' }).getByText(`Connected to ${milter.endpoint}`).waitFor();
  const milters = (await admin.call('listMilters', {})).body.result as Array<{ name: string; endpoint: string; listeners: string[]; timeoutMs: number }>;
  assert.deepEqual(milters.map((m) => [m.name, m.endpoint, m.listeners, m.timeoutMs]), [['held', milter.endpoint, ['mx'], 10_000]]);

  // Spam filing and greylisting: bad values are refused on their fields, then saved.
  await page.getByLabel('Junk threshold').fill('7.5');
  await page.getByLabel('rspamd controller', { exact: true }).fill('ftp://127.0.0.1');
  await page.getByLabel('Greylist mail arriving on the MX port').check();
  await page.getByLabel('Delay (seconds)').fill('7200');
  await page.getByLabel('Retry window (hours)').fill('1');
  await page.getByRole('button', { name: 'Save spam settings' }).click();
  await page.getByText('Enter an http:// or https:// address, or leave it empty.').waitFor();
  await page.getByText('The delay must be shorter than the retry window.').waitFor();
  await page.getByLabel('rspamd controller', { exact: true }).fill('http://127.0.0.1:11334');
  await page.getByLabel('Retry window (hours)').fill('4');
  await page.getByRole('button', { name: 'Save spam settings' }).click();
  await page.getByText('Spam settings saved.').waitFor();
  const settings = (await admin.call('getSettings', {})).body.result as Settings;
  assert.deepEqual(settings.spam, { junkThreshold: 7.5, blockAction: 'reject', rspamdController: 'http://127.0.0.1:11334', rspamdPassword: '' });
  assert.deepEqual(settings.greylisting, { enabled: true, delayMs: 7_200_000, retryWindowMs: 4 * 3_600_000, passLifetimeMs: 35 * 86_400_000 });
  // Greylisting would defer the SMTP messages below: off again through the admin API.
  assert.equal((await admin.call('updateSettings', { greylisting: { enabled: false } })).status, 200);

  // Lists: the global block list refuses a bad pattern on its field; a user's allow list.
  const entries = page.getByRole('table', { name: 'List entries' });
  await page.getByText('Nothing on the global lists').waitFor();
  await page.getByLabel('Sender', { exact: true }).fill('bad pattern!');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByText(/^"bad pattern!": /).waitFor();
  await page.getByLabel('Sender', { exact: true }).fill('@Pushy.Example');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await entries.getByRole('row', { name: /Block\s+@pushy\.example\s+Domain/ }).waitFor();
  await page.getByText('A user', { exact: true }).click();
  await page.getByRole('combobox', { name: 'User' }).fill('nobody@example.com');
  await page.getByRole('button', { name: 'Show lists' }).click();
  await page.getByText('There is no account nobody@example.com.').waitFor();
  await page.getByRole('combobox', { name: 'User' }).fill('alice@example.com');
  await page.getByRole('button', { name: 'Show lists' }).click();
  await page.getByText("Nothing on alice@example.com's lists").waitFor();
  await page.getByRole('combobox', { name: 'List' }).click();
  await page.getByRole('option', { name: 'Allow' }).click();
  await page.getByLabel('Sender', { exact: true }).fill('friend@outside.example');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await entries.getByRole('row', { name: /Allow\s+friend@outside\.example\s+Address/ }).waitFor();
  await page.getByText('Global', { exact: true }).click();
  await page.getByRole('button', { name: 'Remove @pushy.example from the block list' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
  await page.getByText('Nothing on the global lists').waitFor();
  const lists = (await admin.call('listSenderLists', { all: true })).body.result as SenderListEntryView[];
  assert.deepEqual(lists.map((e) => [e.list, e.pattern, e.user, e.domain]), [['allow', 'friend@outside.example', 'alice@example.com', null]]);

  // The milter holds two messages; one is released to alice, the other deleted.
  const { client: smtp } = await SmtpClient.open(server.ready.ports.smtp, { from: '127.0.0.1' });
  await smtp.ehlo();
  for (const subject of ['held one', 'held two']) {
    assert.equal((await smtp.send('MAIL FROM:<x@outside.example>')).code, 250);
    assert.equal((await smtp.send('RCPT TO:<alice@example.com>')).code, 250);
    assert.equal((await smtp.data(`From: <x@outside.example>\r\nTo: <alice@example.com>\r\nSubject: ${subject}\r\n\r\nHello.\r\n`)).code, 250);
  }
  await smtp.send('QUIT');
  const held = page.getByRole('table', { name: 'Quarantined messages' });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await held.getByRole('row', { name: /x@outside\.example\s+alice@example\.com\s+held one\s+suspicious attachment \(held\)/ }).waitFor();
  await held.getByRole('row', { name: /held two/ }).waitFor();
  await page.getByRole('button', { name: 'Release held one' }).click();
  await page.getByText('Released to its recipients.').waitFor();
  await held.getByRole('row', { name: /held one/ }).waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Delete held two' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete message' }).click();
  await page.getByText('Nothing held').waitFor();

  await page.getByRole('button', { name: 'Remove the milter held' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove milter' }).click();
  await page.getByText('No milters').waitFor();
  assert.deepEqual((await admin.call('listMilters', {})).body.result, []);
  assert.deepEqual(errors, []);

  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.once('exit', resolve));
  const ctx = await openContext(dataDir);
  t.after(() => ctx.close());
  const alice = (await ctx.store.accounts.find('alice', 'example.com'))!;
  const inbox = (await ctx.store.mailboxes.get(alice.id, 'INBOX'))!;
  const stored = await ctx.store.messages.list(inbox.id);
  assert.equal(stored.length, 1, 'the released message only');
  assert.match((await ctx.store.messages.read(stored[0].id))!.toString(), /\r\nSubject: held one\r\n/);
  assert.deepEqual(await ctx.store.quarantine.list(), []);
});
