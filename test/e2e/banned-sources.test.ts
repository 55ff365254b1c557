// The dashboard's "Banned addresses" card in real Chromium (issue 11 §2): a banned address is listed,
// and Unban lifts the ban, through `mailroom serve`'s admin HTTP. The ban is put in the data folder's
// store before the server starts (as a ban from a previous run would be), since making one by ten
// failed logins would mean sitting through the throttle's real delays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { openContext } from '../../server/index.js';
import { serve } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { AdminHttpClient } from '../helpers/admin-http.js';
import { adminPage, cannotRun } from './browser.js';

const ADMIN_PASSWORD = 'correct horse battery';
const GUESSER = '127.0.0.23';

function loginFrom(port: number, from: string, password: string): Promise<number> {
  const body = JSON.stringify({ password });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, localAddress: from, method: 'POST', path: '/auth/login', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0)),
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('the dashboard lists a banned address and Unban lifts the ban', { skip: cannotRun() }, async (t) => {
  const dataDir = tempDir(t);
  const before = await openContext(dataDir);
  await before.store.authBans.save({ subject: GUESSER, since: Date.now(), until: Date.now() + 3_600_000, failures: 10 });
  await before.close();
  const server = await serve(dataDir);
  t.after(() => server.child.kill('SIGKILL'));
  const port = Number(server.ready.ports.admin);
  const base = `http://127.0.0.1:${port}`;
  await AdminHttpClient.firstRun(base, String(server.ready.setupUrl), ADMIN_PASSWORD);
  assert.equal(await loginFrom(port, GUESSER, ADMIN_PASSWORD), 429, 'the ban holds after the restart');

  const { page, errors } = await adminPage(t, base, ADMIN_PASSWORD);
  await page.getByText('Finish later').click(); // a fresh server opens the setup wizard first
  const table = page.getByRole('table', { name: 'Banned addresses' });
  await table.getByText(GUESSER).waitFor();
  await table.getByRole('button', { name: 'Unban' }).click();
  await page.getByText('No address is banned.').waitFor();
  assert.equal(await loginFrom(port, GUESSER, ADMIN_PASSWORD), 200, 'the address may log in again');
  assert.deepEqual(errors, []);
});
