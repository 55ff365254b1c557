// POP3 with server/auth's real authenticator (hashes, legacy rehash, throttling) instead of the fake:
// what the composition root wires. The account store adapter here is the few lines index.ts needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAuthenticator } from '../../../server/auth/authenticator.js';
import { createPasswordHasher } from '../../../server/auth/password-hash.js';
import { createThrottle } from '../../../server/auth/throttle.js';
import { authAccountStore } from '../../../server/index.js';
import type { ServerContext } from '../../../server/context.js';
import { ADDRESS, PASSWORD, startPop3 } from './harness.js';

function realAuth(ctx: ServerContext) {
  return createAuthenticator({
    store: authAccountStore(ctx.store),
    hasher: createPasswordHasher({ cost: 'test' }),
    throttle: createThrottle({ clock: ctx.clock }),
    unknownUserKey: Buffer.alloc(32, 7),
    clock: ctx.clock,
    // The throttle's growing delays are the authenticator's to test; here they would only slow the run.
    sleep: async () => {},
  });
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

test('USER/PASS and AUTH PLAIN log in through the real authenticator', async (t) => {
  const f = await startPop3(t, { auth: realAuth });
  const c = await f.login();
  await c.quit();
  const d = await f.connect({ tls: true });
  assert.match(await d.command(`AUTH PLAIN ${b64(`\0${ADDRESS}\0${PASSWORD}`)}`), /^\+OK Logged in/);
  await d.quit();
  assert.notEqual((await f.ctx.store.accounts.find('alice', 'example.com'))!.lastLoginAt, null);
});

test('AUTH PLAIN with another authzid: -ERR [AUTH] unless a master user, who then gets that maildrop', async (t) => {
  const f = await startPop3(t, { auth: realAuth });
  await f.admin.addAccount({ address: 'bob@example.com', password: 'bobs password' });
  const bob = (await f.ctx.store.accounts.find('bob', 'example.com'))!.id;
  await f.deliver('Subject: for bob\r\n\r\nhi\r\n', bob);
  const c = await f.connect({ tls: true });
  assert.equal(await c.command(`AUTH PLAIN ${b64(`bob@example.com\0${ADDRESS}\0${PASSWORD}`)}`), '-ERR [AUTH] Authorization identity rejected: only a master user may act as another user');
  await f.admin.setMasterUser({ address: ADDRESS, master: true });
  assert.equal(await c.command(`AUTH PLAIN ${b64(`nobody@example.com\0${ADDRESS}\0${PASSWORD}`)}`), '-ERR [AUTH] Authorization identity rejected: only a master user may act as another user');
  assert.match(await c.command(`AUTH PLAIN ${b64(`bob@example.com\0${ADDRESS}\0${PASSWORD}`)}`), /^\+OK Logged in, 1 message\(s\)/);
  await c.quit();
  assert.equal((await f.logged('pop3.auth.ok')).fields.masterUser, ADDRESS);
});

test('repeated failures get the account blocked, answered with [SYS/TEMP]', async (t) => {
  const f = await startPop3(t, { auth: realAuth });
  let c = await f.connect();
  for (let attempt = 1; attempt <= 10; attempt++) {
    // Each session allows a few errors before it closes; start a new one in time.
    if (attempt % 5 === 0) {
      await c.quit();
      c = await f.connect();
    }
    await c.command(`USER ${ADDRESS}`);
    assert.equal(await c.command('PASS wrong'), '-ERR [AUTH] Authentication failed');
  }
  await c.command(`USER ${ADDRESS}`);
  assert.match(await c.command(`PASS ${PASSWORD}`), /^-ERR \[SYS\/TEMP\] Too many failed logins: try again in 15 minute\(s\)$/);
  await c.quit();
});
