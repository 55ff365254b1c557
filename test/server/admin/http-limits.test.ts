// Issue 11 §5: the admin HTTP server answers only for its own names (no DNS rebinding), and refuses
// an oversized body or header with 413/431 and a body instead of a TCP reset.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { createAdminHttpServer, MAX_BODY } from '../../../server/admin/http.js';
import { createPasswordHasher } from '../../../server/auth/password-hash.js';
import { createThrottle } from '../../../server/auth/throttle.js';
import { adminFixture } from '../../helpers/admin.js';
import { tempDir } from '../../helpers/temp.js';

async function startAdmin(t: TestContext) {
  const fx = await adminFixture(t);
  const noop = () => {};
  const logger = { debug: noop, info: noop, warn: noop, error: noop, child: () => logger };
  const http = createAdminHttpServer({
    api: fx.api,
    bus: fx.bus,
    log: logger,
    clock: fx.clock,
    hasher: createPasswordHasher({ cost: 'test' }),
    settings: fx.settingsCache,
    rendererDir: tempDir(t, 'mailroom-renderer-'),
    throttle: createThrottle({ clock: fx.clock }),
    sleep: async () => {},
    hostNames: () => ['mail.example.test'],
  });
  const port = await http.start('127.0.0.1', 0);
  t.after(() => http.stop());
  return port;
}

/** Sends raw request bytes and reads the whole answer until the server closes (or the test's bound). */
function exchange(port: number, head: string, body: Buffer = Buffer.alloc(0)): Promise<{ status: number; headers: string; body: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code));
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), headers: text.slice(0, split), body: text.slice(split + 4), error });
    });
    socket.write(head);
    socket.end(body);
  });
}

const get = (host: string, path = '/api/health') => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;

test('answers only for its own names: loopback, IP literals, the configured host names; not for a rebinding DNS name', async (t) => {
  const port = await startAdmin(t);
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `192.0.2.7:${port}`, `mail.example.test:${port}`, `MAIL.example.test`]) {
    assert.equal((await exchange(port, get(host))).status, 200, host);
  }
  for (const host of [`attacker.example:${port}`, 'evil.localhost.attacker.example', '']) {
    const answer = await exchange(port, get(host));
    assert.equal(answer.status, 421, host);
    assert.match(answer.body, /"code":"misdirected"/);
  }
  const post = await exchange(port, `POST /auth/login HTTP/1.1\r\nHost: attacker.example\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n`, Buffer.from('{}'));
  assert.equal(post.status, 421);
});

test('an oversized body gets 413 with a JSON body, not a reset', async (t) => {
  const port = await startAdmin(t);
  const body = Buffer.alloc(MAX_BODY + 512 * 1024, 'a');
  const answer = await exchange(port, `POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`, body);
  assert.equal(answer.error, undefined);
  assert.equal(answer.status, 413);
  assert.match(answer.body, /"code":"too-large"/);
});

test('an oversized header (a huge cookie) gets 431 with a body, not a reset', async (t) => {
  const port = await startAdmin(t);
  const answer = await exchange(port, `GET /auth/session HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: a=${'x'.repeat(64 * 1024)}\r\nConnection: close\r\n\r\n`);
  assert.equal(answer.error, undefined);
  assert.equal(answer.status, 431);
  assert.match(answer.body, /too large/i);
});
