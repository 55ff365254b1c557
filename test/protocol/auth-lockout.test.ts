// Issue 11 §2: a password guesser must never lock the real owner out. One whole server (SMTP, IMAP,
// POP3 and the admin HTTP share one throttle) on ephemeral loopback ports; sources are told apart by
// binding the client to different 127.0.0.x addresses. Throttle delays are recorded, not waited.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createMailServer, type MailServer } from '../../server/index.js';
import { createPasswordHasher } from '../../server/auth/password-hash.js';
import { ADMIN_PASSWORD_KEY } from '../../server/admin/admin-login.js';
import { tempDir } from '../helpers/temp.js';
import { SmtpClient, plain } from './smtp/client.js';
import { ImapTestClient } from './imap/client.js';
import { Pop3TestClient } from './pop3/client.js';

const CAROL = 'carol@local.example';
const CAROL_PASSWORD = 'carol-password';
const ADMIN_PASSWORD = 'admin password 1';

interface Running {
  server: MailServer;
  ports: Record<string, number>;
  /** Every delay the throttle asked for, with the source that was being answered. */
  delays: number[];
}

async function startServer(t: TestContext): Promise<Running> {
  const hasher = createPasswordHasher({ cost: 'test' });
  const delays: number[] = [];
  const server = await createMailServer(
    { dataDir: tempDir(t), ports: { smtp: 0, submission: 0, submissions: 0, imap: 0, imaps: 0, pop3: 0, pop3s: 0, managesieve: 0, admin: 0, autoconfig: 0 }, listenHost: '127.0.0.1', adminHost: '127.0.0.1' },
    { hasher, sleep: async (ms) => void delays.push(ms) },
  );
  await server.admin.addDomain({ name: 'local.example' });
  await server.admin.addAccount({ address: CAROL, password: CAROL_PASSWORD });
  await server.context.settingsCache.set(ADMIN_PASSWORD_KEY, await hasher.hash(ADMIN_PASSWORD));
  const { ports } = await server.start();
  t.after(() => server.stop());
  return { server, ports: ports as Record<string, number>, delays };
}

async function smtpAuth(port: number, from: string, user: string, password: string): Promise<number> {
  const { client } = await SmtpClient.open(port, { from, tls: true });
  try {
    await client.ehlo();
    return (await client.send(`AUTH PLAIN ${plain(user, password)}`)).code;
  } finally {
    client.close();
  }
}

async function imapLogin(port: number, from: string, user: string, password: string): Promise<string> {
  const client = await ImapTestClient.connect(port, { tls: true, localAddress: from });
  const result = await client.command(`LOGIN "${user}" "${password}"`);
  await client.drop();
  return result.tagged.status ?? "";
}

async function pop3Login(port: number, from: string, user: string, password: string): Promise<string> {
  const client = await Pop3TestClient.connect(port, { tls: true, localAddress: from });
  await client.command(`USER ${user}`);
  const answer = await client.command(`PASS ${password}`);
  await client.drop();
  return answer;
}

function adminLogin(port: number, from: string, password: string): Promise<number> {
  const body = JSON.stringify({ password });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, localAddress: from, method: 'POST', path: '/auth/login', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('ten wrong passwords from one address ban that address, and carol logs in at once from a clean one on every protocol', async (t) => {
  const { ports, delays, server } = await startServer(t);
  const guesser = '127.0.0.66';
  for (let i = 0; i < 4; i++) assert.equal(await smtpAuth(ports.submissions, guesser, CAROL, `guess${i}`), 535);
  for (let i = 0; i < 3; i++) assert.equal(await imapLogin(ports.imaps, guesser, CAROL, `guess${i}`), 'NO');
  for (let i = 0; i < 3; i++) assert.match(await pop3Login(ports.pop3s, guesser, CAROL, `guess${i}`), /^-ERR \[AUTH\]/);
  assert.equal(await smtpAuth(ports.submissions, guesser, CAROL, CAROL_PASSWORD), 454, 'the guessing address is banned, even with the right password');
  assert.equal(await imapLogin(ports.imaps, guesser, CAROL, CAROL_PASSWORD), 'NO');
  assert.deepEqual((await server.admin.listBannedSources()).map((b) => b.source), ['127.0.0.66']);

  const before = delays.length;
  const clean = '127.0.0.77';
  assert.equal(await smtpAuth(ports.submissions, clean, CAROL, CAROL_PASSWORD), 235);
  assert.equal(await imapLogin(ports.imaps, clean, CAROL, CAROL_PASSWORD), 'OK');
  assert.match(await pop3Login(ports.pop3s, clean, CAROL, CAROL_PASSWORD), /^\+OK/);
  assert.equal(delays.length, before, 'no delay for the owner from a clean address');

  assert.deepEqual(await server.admin.unbanSource({ source: guesser }), { unbanned: true });
  assert.deepEqual(await server.admin.listBannedSources(), []);
});

test('a distributed guesser is slowed down but never banned as a whole; the owner is not slowed', async (t) => {
  const { ports, delays, server } = await startServer(t);
  for (let round = 0; round < 2; round++) {
    for (let i = 10; i < 16; i++) assert.equal(await imapLogin(ports.imaps, `127.0.1.${i}`, CAROL, `guess${round}-${i}`), 'NO');
  }
  assert.ok(delays.length > 0 && delays.every((ms) => ms >= 1000), `guessers that failed before were delayed: ${delays.join(', ')}`);
  assert.deepEqual(await server.admin.listBannedSources(), [], 'two failures per address ban nobody');
  const before = delays.length;
  assert.equal(await imapLogin(ports.imaps, '127.0.1.99', CAROL, CAROL_PASSWORD), 'OK');
  assert.equal(await smtpAuth(ports.submissions, '127.0.1.99', CAROL, CAROL_PASSWORD), 235);
  assert.equal(delays.length, before);
});

test('the admin login bans the guessing address only: the owner logs in from another address at once', async (t) => {
  const { ports, delays, server } = await startServer(t);
  for (let i = 0; i < 10; i++) assert.equal(await adminLogin(ports.admin, '127.0.0.88', `wrong password ${i}`), 401);
  assert.equal(await adminLogin(ports.admin, '127.0.0.88', ADMIN_PASSWORD), 429);
  assert.deepEqual((await server.admin.listBannedSources()).map((b) => b.source), ['127.0.0.88']);
  const before = delays.length;
  assert.equal(await adminLogin(ports.admin, '127.0.0.89', ADMIN_PASSWORD), 200);
  assert.equal(delays.length, before);
});
