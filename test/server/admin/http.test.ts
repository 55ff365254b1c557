import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAdminHttpServer } from '../../../server/admin/http.js';
import { SESSION_IDLE_MS } from '../../../server/admin/sessions.js';
import { ADMIN_PASSWORD_KEY } from '../../../server/admin/admin-login.js';
import { createPasswordHasher } from '../../../server/auth/password-hash.js';
import { createThrottle, AUTH_BLOCK_AFTER_FAILURES, AUTH_BLOCK_MS } from '../../../server/auth/throttle.js';
import { adminFixture } from '../../helpers/admin.js';
import { tempDir } from '../../helpers/temp.js';
import { AdminHttpClient } from '../../helpers/admin-http.js';

const PASSWORD = 'admin password 1';

async function startAdmin(t: TestContext) {
  const fx = await adminFixture(t);
  const rendererDir = tempDir(t, 'mailroom-renderer-');
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Mailroom</title><div id="root"></div>');
  writeFileSync(join(rendererDir, 'assets', 'app-1234.js'), 'console.log("app")');
  writeFileSync(join(tempDir(t), 'secret.txt'), 'not for the web');
  const http = createAdminHttpServer({
    api: fx.api,
    bus: fx.bus,
    log: createQuietLogger(),
    clock: fx.clock,
    hasher: createPasswordHasher({ cost: 'test' }),
    settings: fx.settingsCache,
    rendererDir,
    throttle: createThrottle({ clock: fx.clock }),
    sleep: async () => {},
  });
  const port = await http.start('127.0.0.1', 0);
  t.after(() => http.stop());
  const base = `http://127.0.0.1:${port}`;
  return { ...fx, http, base, port, client: () => new AdminHttpClient(base) };
}

function createQuietLogger() {
  const noop = () => {};
  const logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => logger };
  return logger;
}

async function loggedIn(t: TestContext) {
  const admin = await startAdmin(t);
  const client = await AdminHttpClient.firstRun(admin.base, admin.http.setupUrl()!, PASSWORD);
  return { ...admin, admin: client };
}

test('a fresh server offers a one-time setup link and keeps the admin RPC closed until the password is set', async (t) => {
  const { http, base, client, store } = await startAdmin(t);
  const url = http.setupUrl();
  assert.match(String(url), new RegExp(`^${base.replace(/\./g, '\\.')}/#/setup/[\\w-]{20,}$`));
  const browser = client();
  assert.deepEqual((await browser.request('GET', '/auth/session')).body, { ok: true, authenticated: false, passwordSet: false });
  assert.equal((await browser.call('listDomains')).status, 401);
  const noPassword = await browser.login('anything at all');
  assert.equal(noPassword.status, 409);
  assert.match(noPassword.body.error!.message, /setup link/);

  assert.equal((await browser.setup('wrong-token')).status, 401);
  const setup = await browser.setup(AdminHttpClient.tokenOf(url!));
  assert.equal(setup.status, 200);
  const cookie = setup.headers.get('set-cookie')!;
  assert.match(cookie, /^mailroom_session=[\w-]{40,};/);
  assert.match(cookie, /; HttpOnly/);
  assert.match(cookie, /; SameSite=Strict/);
  assert.match(cookie, /; Path=\//);
  assert.equal((await client().setup(AdminHttpClient.tokenOf(url!))).status, 401, 'the token works once');

  const early = await browser.call('listDomains');
  assert.equal(early.status, 403);
  assert.equal(early.body.error!.code, 'setup-required');
  const short = await browser.setPassword('short');
  assert.equal(short.status, 400);
  assert.equal(short.body.error!.field, 'password');
  assert.match(short.body.error!.message, /at least 10 characters/);

  assert.equal((await browser.setPassword(PASSWORD)).status, 200);
  assert.equal(http.setupUrl(), undefined, 'no setup link once a password exists');
  assert.match(String(await store.settings.get(ADMIN_PASSWORD_KEY)), /^\{SCRYPT\}/, 'only a hash is stored');
  const listed = await browser.call('listDomains');
  assert.deepEqual([listed.status, listed.body.result], [200, []]);
  assert.equal((await client().setup(AdminHttpClient.tokenOf(url!))).status, 409);
});

test('login with the admin password starts a session; a wrong one is refused; logout ends it', async (t) => {
  const { client } = await loggedIn(t);
  const browser = client();
  const wrong = await browser.login('not the password');
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers.get('set-cookie'), null);
  const ok = await browser.login(PASSWORD);
  assert.equal(ok.status, 200);
  assert.ok(browser.csrfToken);
  const session = await browser.request<{ authenticated: boolean; csrfToken: string }>('GET', '/auth/session');
  assert.equal(session.body.authenticated, true);
  assert.equal(session.body.csrfToken, browser.csrfToken);
  const added = await browser.call('addDomain', { name: 'example.com' });
  assert.equal(added.status, 200, JSON.stringify(added.body));
  const bad = await browser.call('addDomain', { name: 'nodot' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error!.field, 'name');

  const out = await browser.request('POST', '/auth/logout', {});
  assert.equal(out.status, 200);
  assert.match(out.headers.get('set-cookie')!, /Max-Age=0/);
  assert.equal(browser.cookie, undefined);
});

test('CSRF: a POST without the session token, with a wrong one, from another origin or not as JSON is refused', async (t) => {
  const { admin } = await loggedIn(t);
  const token = admin.csrfToken!;
  admin.csrfToken = undefined;
  assert.equal((await admin.call('addDomain', { name: 'a.example' })).status, 403, 'no token');
  admin.csrfToken = token.slice(0, -2) + 'xx';
  assert.equal((await admin.call('addDomain', { name: 'a.example' })).status, 403, 'wrong token');
  admin.csrfToken = token;
  const foreign = await admin.request('POST', '/api/addDomain', { name: 'a.example' }, { origin: 'http://evil.example' });
  assert.equal(foreign.status, 403);
  const form = await admin.request('POST', '/api/addDomain', undefined, { 'content-type': 'application/x-www-form-urlencoded' });
  assert.equal(form.status, 415);
  assert.deepEqual((await admin.call('listDomains')).body.result, [], 'nothing was added');
  assert.equal((await admin.call('addDomain', { name: 'a.example' })).status, 200);
});

test('login throttling: repeated failures block the client, even with the right password, until the block ends', async (t) => {
  const { client, clock } = await loggedIn(t);
  const attacker = client();
  for (let i = 0; i < AUTH_BLOCK_AFTER_FAILURES; i++) assert.equal((await attacker.login(`guess ${i}`)).status, 401);
  const blocked = await attacker.login(PASSWORD);
  assert.equal(blocked.status, 429);
  assert.equal(blocked.body.error!.code, 'throttled');
  assert.ok(Number(blocked.headers.get('retry-after')) > 0);
  assert.equal(attacker.cookie, undefined);
  clock.advance(AUTH_BLOCK_MS);
  assert.equal((await attacker.login(PASSWORD)).status, 200);
});

test('changing the password needs the current one and ends the other sessions', async (t) => {
  const { admin, client } = await loggedIn(t);
  const other = client();
  assert.equal((await other.login(PASSWORD)).status, 200);
  const wrong = await admin.setPassword('a new password', 'not the old one');
  assert.equal(wrong.status, 403);
  assert.equal(wrong.body.error!.field, 'currentPassword');
  assert.equal((await admin.setPassword('a new password', PASSWORD)).status, 200);
  assert.equal((await admin.call('listDomains')).status, 200, 'the session that changed it stays');
  assert.equal((await other.call('listDomains')).status, 401, 'other sessions end');
  assert.equal((await client().login(PASSWORD)).status, 401);
  assert.equal((await client().login('a new password')).status, 200);
});

test('a session ends after it has been idle too long', async (t) => {
  const { admin, clock } = await loggedIn(t);
  clock.advance(SESSION_IDLE_MS - 1000);
  assert.equal((await admin.call('listDomains')).status, 200);
  clock.advance(SESSION_IDLE_MS - 1000);
  assert.equal((await admin.call('listDomains')).status, 200, 'use keeps it alive');
  clock.advance(SESSION_IDLE_MS);
  assert.equal((await admin.call('listDomains')).status, 401);
});

test('serves the renderer with a strict CSP and refuses paths outside it', async (t) => {
  const { client } = await startAdmin(t);
  const browser = client();
  const index = await browser.request<string>('GET', '/');
  assert.equal(index.status, 200);
  assert.match(index.body, /<div id="root">/);
  assert.match(index.headers.get('content-type')!, /^text\/html/);
  const csp = index.headers.get('content-security-policy')!;
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(index.headers.get('x-frame-options'), 'DENY');
  assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
  const asset = await browser.request<string>('GET', '/assets/app-1234.js');
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('content-type')!, /^text\/javascript/);
  assert.match(asset.headers.get('cache-control')!, /immutable/);
  for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/nope.js', '/assets/']) {
    assert.equal((await browser.request('GET', path)).status, 404, path);
  }
  assert.equal((await browser.request('DELETE', '/')).status, 405);
});

/** Reads server-sent events from a fetch body until `until` says stop. */
async function readEvents(res: Response, until: (events: Array<{ event: string; id?: string; data: unknown }>) => boolean) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: Array<{ event: string; id?: string; data: unknown }> = [];
  let buffer = '';
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':') && l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
      if (fields.event) events.push({ event: fields.event, id: fields.id, data: JSON.parse(fields.data) });
    }
  }
  await reader.cancel();
  return events;
}

test('live logs: new rows stream as server-sent events, and a reconnect replays what it missed', async (t) => {
  const { admin, base, api, flushLog, bus } = await loggedIn(t);
  assert.equal((await fetch(`${base}/api/events`)).status, 401, 'no session, no stream');

  const res = await fetch(`${base}/api/events`, { headers: { cookie: admin.cookie! } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/event-stream/);
  let sent = false;
  const events = await readEvents(res, (seen) => {
    if (!sent && seen.some((e) => e.event === 'hello')) {
      sent = true;
      void api.addDomain({ name: 'live.example' }).then(async () => {
        await flushLog();
        bus.emit('listener', { name: 'smtp', state: 'failed', error: 'EACCES' });
      });
    }
    return seen.some((e) => e.event === 'listener');
  });
  const row = events.find((e) => e.event === 'log' && (e.data as { event: string }).event === 'admin.domain.add');
  assert.ok(row, JSON.stringify(events));
  assert.equal(row.id, String((row.data as { id: number }).id));
  assert.deepEqual(events.find((e) => e.event === 'listener')!.data, { name: 'smtp', state: 'failed', error: 'EACCES' });

  // Rows written while disconnected arrive on reconnect, after the last id seen.
  await api.addDomain({ name: 'missed.example' });
  await flushLog();
  const again = await fetch(`${base}/api/events`, { headers: { cookie: admin.cookie!, 'last-event-id': row.id! } });
  const replayed = await readEvents(again, (seen) => seen.some((e) => e.event === 'hello'));
  const names = replayed.filter((e) => e.event === 'log').map((e) => (e.data as { event: string; fields: { domain?: string } }).fields.domain);
  assert.ok(names.includes('missed.example'), JSON.stringify(replayed));
  assert.ok(!names.includes('live.example'), 'rows up to Last-Event-ID are not sent again');
});
