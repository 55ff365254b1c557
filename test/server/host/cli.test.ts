import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, serve } from '../../helpers/cli.js';
import { AdminHttpClient } from '../../helpers/admin-http.js';
import { tempDir } from '../../helpers/temp.js';

const json = <T>(stdout: string) => JSON.parse(stdout) as T;

test('domain, user, alias, network and transport commands work on a data folder', async (t) => {
  const dir = tempDir(t);
  const cli = (...args: string[]) => runCli([...args, '--data-dir', dir]);

  assert.equal((await cli('domain', 'add', 'example.com')).code, 0);
  const add = await runCli(['user', 'add', 'alice@example.com', '--quota', '500M', '--password-stdin', '--data-dir', dir], 'correct horse\n');
  assert.equal(add.code, 0, add.stderr);
  const users = json<Array<{ address: string; quota: number }>>((await cli('user', 'list', '--json')).stdout);
  assert.deepEqual(users.map((u) => [u.address, u.quota]), [['alice@example.com', 500 * 1024 ** 2]]);

  assert.equal((await cli('user', 'quota', 'alice@example.com', '--quota', '1G')).code, 0);
  assert.equal((await cli('user', 'disable', 'alice@example.com')).code, 0);
  const after = json<Array<{ quota: number; active: boolean }>>((await cli('user', 'list', '--json')).stdout)[0];
  assert.deepEqual([after.quota, after.active], [1024 ** 3, false]);
  assert.equal((await runCli(['user', 'passwd', 'alice@example.com', '--password-stdin', '--data-dir', dir], 'battery staple\n')).code, 0);

  assert.equal((await cli('alias', 'add', 'team@example.com', 'alice@example.com,partner@remote.test')).code, 0);
  assert.equal((await cli('alias', 'add', '*@example.com', 'alice@example.com')).code, 0);
  const aliases = json<Array<{ address: string; destinations: string }>>((await cli('alias', 'list', '--json')).stdout);
  assert.deepEqual(aliases.map((a) => a.address).sort(), ['*@example.com', 'team@example.com']);

  assert.equal((await cli('network', 'add', '192.168.1.0/24', '--relay')).code, 0);
  assert.match((await cli('network', 'list')).stdout, /192\.168\.1\.0\/24\s+-?\s*true/);
  assert.equal((await cli('transport', 'set', 'partner.test', 'smtp:[127.0.0.1]:2525')).code, 0);
  assert.match((await cli('transport', 'list')).stdout, /partner\.test\s+smtp:\[127\.0\.0\.1\]:2525/);

  const table = await cli('domain', 'list');
  assert.match(table.stdout, /^name\s+displayName/m);
  assert.match(table.stdout, /example\.com.*true\s+1\s+2/);

  const log = await cli('log', '--limit', '50');
  assert.match(log.stdout, /admin\.account\.add/);
  assert.doesNotMatch(log.stdout, /correct horse|battery staple/, 'passwords never reach the log');
});

test('rule add, list, test and remove from the command line', async (t) => {
  const dir = tempDir(t);
  const cli = (...args: string[]) => runCli([...args, '--data-dir', dir]);
  assert.equal((await cli('domain', 'add', 'example.com')).code, 0);
  const added = await cli('rule', 'add', '--stage', 'connect', '--action', 'reject', '--ip', '192.0.2.0/24', '--code', '554', '--text', 'Blocked range', '--json');
  assert.equal(added.code, 0, added.stderr);
  const id = (JSON.parse(added.stdout) as { id: number }).id;
  assert.match((await cli('rule', 'list')).stdout, /connect\s+0\s+reject/);
  const tested = await cli('rule', 'test', '--ip', '192.0.2.7', '--from', 'a@remote.test', '--to', 'b@example.com');
  assert.equal(tested.code, 0, tested.stderr);
  assert.match(tested.stdout, /554/);
  const bad = await cli('rule', 'add', '--stage', 'connect', '--action', 'reject', '--sender', 'x@y.test');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /cannot match on sender/);
  assert.equal((await cli('rule', 'remove', String(id))).code, 0);
  assert.equal((await cli('rule', 'remove', String(id))).code, 1);
});

test('refusals exit 1 with the reason; usage errors exit 2', async (t) => {
  const dir = tempDir(t);
  const cli = (...args: string[]) => runCli([...args, '--data-dir', dir]);
  const noDomain = await runCli(['user', 'add', 'bob@nowhere.example', '--password-stdin', '--data-dir', dir], 'long enough\n');
  assert.equal(noDomain.code, 1);
  assert.match(noDomain.stderr, /There is no domain nowhere\.example\. Add it first/);
  await cli('domain', 'add', 'example.com');
  const short = await runCli(['user', 'add', 'bob@example.com', '--password-stdin', '--data-dir', dir], 'short\n');
  assert.equal(short.code, 1);
  assert.match(short.stderr, /at least 8 characters/);
  assert.equal((await cli('user', 'add', 'bob@example.com')).code, 2, 'no password source without a terminal');
  const dup = await cli('domain', 'add', 'EXAMPLE.com');
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /already exists/);
  assert.equal((await cli('frobnicate')).code, 2);
  assert.equal((await cli('user', 'quota', 'x@example.com', '--quota', 'lots')).code, 2);
  const bad = await cli('domain', 'remove', 'missing.example');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /no domain missing\.example/);
});

test('serve with ports 0 reports ready, sees CLI changes without restart, and stops on SIGTERM', async (t) => {
  const dir = tempDir(t);
  const server = await serve(dir);
  t.after(() => server.child.kill('SIGKILL'));
  assert.equal(server.ready.event, 'ready');
  assert.equal(server.ready.dataDir, dir);
  const { admin } = server.ready.ports;
  assert.ok(admin > 0, `admin port in ${JSON.stringify(server.ready.ports)}`);
  assert.ok(existsSync(join(dir, 'tls', 'cert.pem')), 'a self-signed certificate was generated');
  assert.match(readFileSync(join(dir, 'tls', 'cert.pem'), 'utf8'), /BEGIN CERTIFICATE/);

  // A fresh data folder: the ready line carries the one-time setup link; redeeming it and setting
  // the admin password gives a session (cookie + CSRF token), as the wizard's first step does.
  assert.match(String(server.ready.setupUrl), /^http:\/\/127\.0\.0\.1:\d+\/#\/setup\/[\w-]{20,}$/);
  const base = `http://127.0.0.1:${admin}`;
  const anonymous = new AdminHttpClient(base);
  assert.equal((await anonymous.call('listDomains')).status, 401, 'the admin RPC needs a login');
  const client = await AdminHttpClient.firstRun(base, String(server.ready.setupUrl));
  const call = async (method: string, body: unknown) => {
    const res = await client.call(method, body);
    return { status: res.status, body: res.body };
  };

  // A change made by the CLI while the server runs is visible to it at once.
  assert.equal((await runCli(['domain', 'add', 'live.example', '--data-dir', dir])).code, 0);
  const listed = await call('listDomains', {});
  assert.equal(listed.status, 200);
  assert.deepEqual((listed.body.result as Array<{ name: string }>).map((d) => d.name), ['live.example']);
  const refused = await call('addDomain', { name: 'live.example' });
  assert.equal(refused.status, 409);
  assert.match(refused.body.error!.message, /already exists/);
  assert.equal((await call('noSuchMethod', {})).status, 404);

  const { code, lines } = await server.stop('SIGTERM');
  assert.equal(code, 0, server.stderr());
  assert.deepEqual(lines.map((l) => JSON.parse(l).event), ['stopped']);
});

test('serve refuses a port that is already taken with a clear message', async (t) => {
  const dir = tempDir(t);
  const first = await serve(dir);
  t.after(() => first.child.kill('SIGKILL'));
  const second = await runCli(['serve', '--data-dir', tempDir(t), '--admin-port', String(first.ready.ports.admin)]);
  assert.equal(second.code, 1);
  assert.match(second.stderr, /already in use/);
  await first.stop();
});
