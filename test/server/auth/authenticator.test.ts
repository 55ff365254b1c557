import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AUTH_CACHE_TTL_MS,
  createAuthenticator,
  type AuthAccountStore,
  type AuthContext,
  type LoginAccount,
  type SaslExchange,
  type SaslExchangeStep,
} from '../../../server/auth/authenticator.js';
import { createPasswordHasher, type PasswordHasher } from '../../../server/auth/password-hash.js';
import { SaslError } from '../../../server/auth/sasl.js';
import { deriveScramSecret, parseScramSecret, serializeScramSecret, verifyPasswordAgainstScram } from '../../../server/auth/scram.js';
import { AUTH_BLOCK_MS, createThrottle, type BanLedger } from '../../../server/auth/throttle.js';
import type { StoredBan } from '../../../server/store/auth-bans.js';
import { scramClient } from './scram-client.js';
import { legacyFixture, vectorFrom } from './vectors.js';

class FakeStore implements AuthAccountStore {
  readonly accounts = new Map<string, LoginAccount>();
  readonly updates: { id: number; passwordHash: string; scramSecret: string }[] = [];
  readonly logins: { id: number; at: number }[] = [];
  readonly masters = new Set<number>();
  failUpdates = false;

  add(account: LoginAccount): LoginAccount {
    this.accounts.set(account.address.toLowerCase(), account);
    return account;
  }

  async findLoginAccount(address: string): Promise<LoginAccount | undefined> {
    const account = this.accounts.get(address.toLowerCase());
    return account && { ...account };
  }

  async updatePasswordHash(id: number, passwordHash: string, scramSecret: string): Promise<void> {
    if (this.failUpdates) throw new Error('database is locked');
    const account = [...this.accounts.values()].find((a) => a.id === id);
    assert.ok(account);
    Object.assign(account, { passwordHash, scramSecret });
    this.updates.push({ id, passwordHash, scramSecret });
  }

  async recordLogin(id: number, at: number): Promise<void> {
    this.logins.push({ id, at });
  }

  async isMasterUser(id: number): Promise<boolean> {
    return this.masters.has(id);
  }
}

const IMAP: AuthContext = { protocol: 'imap', remoteIp: '192.0.2.10', secure: true };
const SMTP: AuthContext = { protocol: 'smtp', remoteIp: '198.51.100.20', secure: true };
const POP3: AuthContext = { protocol: 'pop3', remoteIp: '192.0.2.30', secure: false };

function setup(options: { ledger?: BanLedger } = {}) {
  const clock = { t: 1_700_000_000_000, now: () => clock.t };
  const store = new FakeStore();
  const inner = createPasswordHasher({ cost: 'test' });
  const verifiedHashes: string[] = [];
  const hasher: PasswordHasher = {
    hash: (password) => inner.hash(password),
    verify: (stored, password) => {
      verifiedHashes.push(stored);
      return inner.verify(stored, password);
    },
  };
  const throttle = createThrottle({ clock, ledger: options.ledger });
  const events: { event: string; fields: Record<string, unknown> }[] = [];
  const sleeps: number[] = [];
  const auth = createAuthenticator({
    store,
    hasher,
    throttle,
    clock,
    unknownUserKey: Buffer.alloc(32, 7),
    log: (event, fields) => events.push({ event, fields }),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  const eventsNamed = (name: string) => events.filter((e) => e.event === name).map((e) => e.fields);
  return { clock, store, hasher: inner, verifiedHashes, throttle, events, eventsNamed, sleeps, auth };
}

function done(step: SaslExchangeStep) {
  assert.equal(step.type, 'done');
  return step.result;
}

function challenge(step: SaslExchangeStep): Buffer {
  assert.equal(step.type, 'challenge');
  return step.challenge;
}

async function scramLogin(exchange: SaslExchange, username: string, password: string) {
  const client = scramClient(username, password);
  const serverFirst = challenge(await exchange.start(client.first));
  return { client, step: await exchange.step(client.final(serverFirst)) };
}

describe('authenticator', () => {
  describe('verify', () => {
    it('remembers a verified password for a while (auth cache): the KDF runs once, a change or expiry runs it again', async () => {
      const { store, auth, clock, hasher, verifiedHashes, eventsNamed } = setup();
      store.add({ id: 3, address: 'amy@example.com', passwordHash: await hasher.hash('first secret'), active: true, scramSecret: 'x' });
      const login = (password: string) => auth.verify({ username: 'amy@example.com', password }, IMAP);

      assert.equal((await login('first secret')).ok, true);
      assert.equal((await login('first secret')).ok, true);
      assert.equal(verifiedHashes.length, 1, 'the second login was answered from the cache');
      assert.equal(eventsNamed('auth.ok').length, 2, 'every login is still logged');
      assert.equal((await login('wrong secret')).ok, false, 'a wrong password never matches the cache');
      assert.equal(verifiedHashes.length, 2);

      await store.updatePasswordHash(3, await hasher.hash('second secret'), 'x');
      assert.equal((await login('first secret')).ok, false, 'the old password stops working at once');
      assert.equal((await login('second secret')).ok, true);
      const before = verifiedHashes.length;
      clock.t += AUTH_CACHE_TTL_MS + 1;
      assert.equal((await login('second secret')).ok, true);
      assert.equal(verifiedHashes.length, before + 1, 'after the TTL the KDF runs again');

      const account = store.accounts.get('amy@example.com')!;
      account.active = false;
      assert.deepEqual(await login('second secret'), { ok: false, reason: 'disabled' }, 'a cached password does not bypass disabling');
    });

    for (const source of ['doveadm pw -s SHA512-CRYPT', 'doveadm pw -s BLF-CRYPT', 'doveadm pw -s SSHA ', 'openssl passwd -1', 'doveadm pw -s PLAIN ']) {
      it(`logs in with an imported hash (${source}) and replaces it with scrypt and a SCRAM secret`, async () => {
        const { store, auth, clock, eventsNamed } = setup();
        const vector = vectorFrom(source);
        store.add({ id: 7, address: 'tim@example.com', passwordHash: vector.hash, active: true, scramSecret: null });

        const result = await auth.verify({ username: 'Tim@Example.com', password: vector.password }, IMAP);
        assert.deepEqual(result, { ok: true, accountId: 7, address: 'tim@example.com' });
        assert.equal(store.updates.length, 1);
        const account = await store.findLoginAccount('tim@example.com');
        assert.ok(account);
        assert.ok(account.passwordHash.startsWith('{SCRYPT}'));
        assert.equal(await verifyPasswordAgainstScram(parseScramSecret(account.scramSecret ?? ''), vector.password), true);
        assert.equal(eventsNamed('auth.rehash')[0].to, 'SCRYPT');
        assert.deepEqual(store.logins, [{ id: 7, at: clock.t }]);

        // The new hash verifies and is not rehashed again.
        assert.equal((await auth.verify({ username: 'tim@example.com', password: vector.password }, SMTP)).ok, true);
        assert.equal(store.updates.length, 1);
      });
    }

    it('logs the scheme a rehash upgraded from', async () => {
      const { store, auth, eventsNamed } = setup();
      const vector = vectorFrom('doveadm pw -s SHA512-CRYPT');
      store.add({ id: 1, address: 'a@example.com', passwordHash: vector.hash, active: true, scramSecret: null });
      await auth.verify({ username: 'a@example.com', password: vector.password }, IMAP);
      assert.deepEqual(eventsNamed('auth.rehash'), [{ accountId: 1, from: 'SHA512-CRYPT', to: 'SCRYPT' }]);
    });

    it('refuses a wrong password, logs it and keeps the stored hash', async () => {
      const { store, auth, eventsNamed } = setup();
      const vector = vectorFrom('doveadm pw -s SHA512-CRYPT');
      store.add({ id: 1, address: 'a@example.com', passwordHash: vector.hash, active: true, scramSecret: null });
      assert.deepEqual(await auth.verify({ username: 'a@example.com', password: 'guess' }, IMAP), { ok: false, reason: 'invalid' });
      assert.equal(store.updates.length, 0);
      assert.equal(store.logins.length, 0);
      assert.deepEqual(eventsNamed('auth.fail'), [{ protocol: 'imap', remoteIp: '192.0.2.10', username: 'a@example.com', accountId: 1, reason: 'bad-password' }]);
    });

    it('spends one hash verification on an unknown user, against a strong dummy hash', async () => {
      const { auth, verifiedHashes, eventsNamed } = setup();
      assert.deepEqual(await auth.verify({ username: 'nobody@example.com', password: 'x' }, IMAP), { ok: false, reason: 'invalid' });
      assert.equal(verifiedHashes.length, 1);
      assert.ok(verifiedHashes[0].startsWith('{SCRYPT}'));
      await auth.verify({ username: 'nobody2@example.com', password: 'y' }, IMAP);
      assert.equal(verifiedHashes.length, 2);
      assert.equal(verifiedHashes[1], verifiedHashes[0]);
      assert.deepEqual(eventsNamed('auth.fail').map((f) => f.reason), ['unknown-user', 'unknown-user']);
    });

    it('refuses a disabled account only after the password checked out, without counting it', async () => {
      const { store, auth, hasher, eventsNamed } = setup();
      store.add({ id: 3, address: 'gone@example.com', passwordHash: await hasher.hash('right'), active: false, scramSecret: null });
      assert.deepEqual(await auth.verify({ username: 'gone@example.com', password: 'wrong' }, IMAP), { ok: false, reason: 'invalid' });
      for (let i = 0; i < 12; i++) {
        assert.deepEqual(await auth.verify({ username: 'gone@example.com', password: 'right' }, IMAP), { ok: false, reason: 'disabled' });
      }
      assert.equal(store.logins.length, 0);
      assert.equal(store.updates.length, 0);
      assert.equal(eventsNamed('auth.fail').filter((f) => f.reason === 'disabled').length, 12);
    });

    it('delays answers after repeated failures', async () => {
      const { store, auth, hasher, sleeps } = setup();
      store.add({ id: 1, address: 'a@example.com', passwordHash: await hasher.hash('right'), active: true, scramSecret: null });
      for (let i = 0; i < 7; i++) await auth.verify({ username: 'a@example.com', password: `wrong${i}` }, IMAP);
      assert.deepEqual(sleeps, [1000, 2000]);
      assert.equal((await auth.verify({ username: 'a@example.com', password: 'right' }, IMAP)).ok, true);
      assert.deepEqual(sleeps, [1000, 2000, 4000]);
    });

    it('refuses a blocked IP without checking the password, even the right one', async () => {
      const { store, auth, hasher, verifiedHashes, eventsNamed, clock } = setup();
      store.add({ id: 1, address: 'a@example.com', passwordHash: await hasher.hash('right'), active: true, scramSecret: null });
      for (let i = 0; i < 10; i++) await auth.verify({ username: `user${i}@example.com`, password: 'guess' }, IMAP);
      assert.deepEqual(eventsNamed('auth.block').map((f) => f.key), ['ip:192.0.2.10']);

      const checked = verifiedHashes.length;
      const result = await auth.verify({ username: 'a@example.com', password: 'right' }, IMAP);
      assert.deepEqual(result, { ok: false, reason: 'blocked', retryAfterMs: AUTH_BLOCK_MS });
      assert.equal(verifiedHashes.length, checked);
      assert.equal(eventsNamed('auth.blocked')[0].key, 'ip:192.0.2.10');

      // Another IP is unaffected; the blocked one recovers when the block ends.
      assert.equal((await auth.verify({ username: 'a@example.com', password: 'right' }, SMTP)).ok, true);
      clock.t += AUTH_BLOCK_MS;
      assert.equal((await auth.verify({ username: 'a@example.com', password: 'right' }, IMAP)).ok, true);
    });

    it('lets the next login in once another process (the CLI) lifted the ban, even when nothing asked in between', async () => {
      const rows = new Map<string, StoredBan>();
      const ledger: BanLedger = {
        load: async (now) => [...rows.values()].filter((b) => b.until > now),
        save: async (ban) => void rows.set(ban.subject, { subject: ban.subject, since: ban.since, until: ban.until, failures: ban.failures }),
        remove: async (subject) => rows.delete(subject),
      };
      const { store, auth, hasher, clock } = setup({ ledger });
      store.add({ id: 1, address: 'a@example.com', passwordHash: await hasher.hash('right'), active: true, scramSecret: null });
      store.add({ id: 2, address: 'b@example.com', passwordHash: await hasher.hash('bs'), active: true, scramSecret: serializeScramSecret(await deriveScramSecret('bs')) });
      const banned = async () => {
        for (let i = 0; i < 10; i++) await auth.verify({ username: 'nobody@example.com', password: 'guess' }, IMAP);
        // b has never logged in from here (a source trusted for an account gets through its ban).
        assert.deepEqual(await auth.verify({ username: 'b@example.com', password: 'bs' }, IMAP), { ok: false, reason: 'blocked', retryAfterMs: AUTH_BLOCK_MS });
        assert.ok(rows.delete(IMAP.remoteIp), 'the ban reached the ledger; another process lifts it there');
        clock.t += 60_000;
      };
      await banned();
      assert.equal((await auth.verify({ username: 'a@example.com', password: 'right' }, IMAP)).ok, true);
      await banned();
      const exchange = auth.startSasl('SCRAM-SHA-256', IMAP);
      const { client, step } = await scramLogin(exchange, 'b@example.com', 'bs');
      assert.equal(client.verifyServer(challenge(step)), true, 'SCRAM is let in too');
    });

    it('never blocks an account guessed at from many IPs: guessers that retry are slowed, the owner from a clean IP is not', async () => {
      const { store, auth, hasher, sleeps } = setup();
      store.add({ id: 1, address: 'a@example.com', passwordHash: await hasher.hash('right'), active: true, scramSecret: null });
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < 10; i++) {
          const result = await auth.verify({ username: 'a@example.com', password: 'guess' }, { ...IMAP, remoteIp: `203.0.113.${i}` });
          assert.deepEqual(result, { ok: false, reason: 'invalid' });
        }
      }
      assert.ok(sleeps.length >= 10 && sleeps.every((ms) => ms >= 1000), `the second round waited: ${sleeps.join(', ')}`);
      const waited = sleeps.length;
      assert.equal((await auth.verify({ username: 'A@example.com', password: 'right' }, SMTP)).ok, true);
      assert.equal(sleeps.length, waited);
    });

    it("resets the account's failure count on success", async () => {
      const { store, auth, hasher, throttle } = setup();
      store.add({ id: 1, address: 'a@example.com', passwordHash: await hasher.hash('right'), active: true, scramSecret: null });
      for (let i = 0; i < 6; i++) await auth.verify({ username: 'a@example.com', password: 'guess' }, IMAP);
      await auth.verify({ username: 'a@example.com', password: 'right' }, IMAP);
      assert.deepEqual(throttle.check('203.0.113.1', 'a@example.com'), { blocked: false, delayMs: 0 });
    });

    it('treats an unusable stored hash as a failed login and logs its scheme', async () => {
      const { store, auth, eventsNamed } = setup();
      store.add({ id: 4, address: 'y@example.com', passwordHash: '$y$j9T$F5Jx5fExrKuJdljLZTvJc.$jxEb2mL4Ty6ejqL0K8BSN1Q3MABGjIhaSsXz4gVwg/A', active: true, scramSecret: null });
      assert.deepEqual(await auth.verify({ username: 'y@example.com', password: 'password' }, IMAP), { ok: false, reason: 'invalid' });
      const [fail] = eventsNamed('auth.fail');
      assert.equal(fail.reason, 'unusable-hash');
      assert.equal(fail.scheme, '$y$');
    });

    it('derives a missing SCRAM secret on a password login, keeping a strong hash', async () => {
      const { store, auth, hasher } = setup();
      const passwordHash = await hasher.hash('right');
      store.add({ id: 1, address: 'a@example.com', passwordHash, active: true, scramSecret: null });
      await auth.verify({ username: 'a@example.com', password: 'right' }, IMAP);
      assert.equal(store.updates.length, 1);
      assert.equal(store.updates[0].passwordHash, passwordHash);
      assert.ok(store.updates[0].scramSecret.startsWith('{SCRAM-SHA-256}'));
    });

    it('writes nothing back for a strong hash when the store keeps no SCRAM secrets', async () => {
      const { store, auth, hasher } = setup();
      store.add({ id: 1, address: 'a@example.com', passwordHash: await hasher.hash('right'), active: true });
      assert.equal((await auth.verify({ username: 'a@example.com', password: 'right' }, IMAP)).ok, true);
      assert.equal(store.updates.length, 0);
    });

    it('still logs in when storing the rehash fails, and logs the failure', async () => {
      const { store, auth, eventsNamed } = setup();
      const vector = vectorFrom('doveadm pw -s SSHA ');
      store.add({ id: 1, address: 'a@example.com', passwordHash: vector.hash, active: true, scramSecret: null });
      store.failUpdates = true;
      assert.equal((await auth.verify({ username: 'a@example.com', password: vector.password }, IMAP)).ok, true);
      assert.deepEqual(eventsNamed('auth.rehash-failed'), [{ accountId: 1, error: 'database is locked' }]);
    });

    it('never puts a password or a hash into a log event', async () => {
      const { store, auth, events } = setup();
      const vector = legacyFixture.vectors.find((v) => v.command.startsWith('doveadm pw -s SHA512-CRYPT') && v.password === 'pässwörd');
      assert.ok(vector);
      store.add({ id: 1, address: 'a@example.com', passwordHash: vector.hash, active: true, scramSecret: null });
      await auth.verify({ username: 'a@example.com', password: 'Wr0ng-Secret' }, IMAP);
      await auth.verify({ username: 'nobody@example.com', password: 'An0ther-Secret' }, IMAP);
      await auth.verify({ username: 'a@example.com', password: vector.password }, IMAP);
      const logged = JSON.stringify(events);
      assert.deepEqual(events.map((e) => e.event), ['auth.fail', 'auth.fail', 'auth.rehash', 'auth.ok']);
      for (const secret of ['Wr0ng-Secret', 'An0ther-Secret', vector.password, vector.hash, 'SCRYPT}N=', 'SCRAM-SHA-256}']) {
        assert.ok(!logged.includes(secret), secret);
      }
    });
  });

  describe('startSasl', () => {
    it('runs PLAIN through verify', async () => {
      const { store, auth, hasher, eventsNamed } = setup();
      store.add({ id: 1, address: 'a@example.com', passwordHash: await hasher.hash('right'), active: true, scramSecret: null });
      const exchange = auth.startSasl('PLAIN', SMTP);
      assert.equal(exchange.mechanism, 'PLAIN');
      assert.deepEqual(done(await exchange.start(Buffer.from('\0a@example.com\0right'))), { ok: true, accountId: 1, address: 'a@example.com' });
      assert.equal(eventsNamed('auth.ok')[0].mechanism, 'PLAIN');
    });

    it('runs LOGIN through verify', async () => {
      const { store, auth, hasher } = setup();
      store.add({ id: 1, address: 'a@example.com', passwordHash: await hasher.hash('right'), active: true, scramSecret: null });
      const exchange = auth.startSasl('login', SMTP);
      assert.equal(challenge(await exchange.start()).toString(), 'Username:');
      assert.equal(challenge(await exchange.step(Buffer.from('a@example.com'))).toString(), 'Password:');
      assert.deepEqual(done(await exchange.step(Buffer.from('wrong'))), { ok: false, reason: 'invalid' });
    });

    it('throws SaslError for an unknown mechanism and for malformed input', async () => {
      const { auth } = setup();
      assert.throws(() => auth.startSasl('GSSAPI', IMAP), (e: unknown) => e instanceof SaslError && e.reason === 'unsupported-mechanism');
      await assert.rejects(auth.startSasl('PLAIN', IMAP).start(Buffer.from('no nuls')), (e: unknown) => e instanceof SaslError && e.reason === 'malformed');
    });

    it('acts as the authzid only for a master user and only as an active account, without counting a refusal as a guess', async () => {
      const { store, auth, hasher, eventsNamed, throttle } = setup();
      store.add({ id: 1, address: 'boss@example.com', passwordHash: await hasher.hash('right'), active: true, scramSecret: null });
      store.add({ id: 2, address: 'tim@example.com', passwordHash: await hasher.hash('tims'), active: true, scramSecret: null });
      store.add({ id: 3, address: 'gone@example.com', passwordHash: await hasher.hash('x'), active: false, scramSecret: null });
      const plain = async (message: string) => done(await auth.startSasl('PLAIN', IMAP).start(Buffer.from(message)));
      for (let i = 0; i < 12; i++) assert.deepEqual(await plain('tim@example.com\0boss@example.com\0right'), { ok: false, reason: 'not-authorized' });
      assert.equal(throttle.check(IMAP.remoteIp, 'boss@example.com').blocked, false, 'a right password is never a failure');
      assert.deepEqual(eventsNamed('auth.fail').at(-1), { protocol: 'imap', remoteIp: '192.0.2.10', username: 'boss@example.com', mechanism: 'PLAIN', accountId: 1, authzid: 'tim@example.com', reason: 'authzid-not-allowed' });

      store.masters.add(1);
      assert.deepEqual(await plain('tim@example.com\0boss@example.com\0wrong'), { ok: false, reason: 'invalid' }, "the master's own password is checked");
      assert.deepEqual(await plain('nobody@example.com\0boss@example.com\0right'), { ok: false, reason: 'not-authorized' });
      assert.deepEqual(await plain('gone@example.com\0boss@example.com\0right'), { ok: false, reason: 'not-authorized' });
      assert.equal(eventsNamed('auth.fail').at(-1)?.reason, 'authzid-unknown');
      const acting = { ok: true, accountId: 2, address: 'tim@example.com', masterUser: 'boss@example.com' };
      assert.deepEqual(await plain('Tim@Example.com\0boss@example.com\0right'), acting);
      assert.deepEqual(await auth.verify({ username: 'boss@example.com', password: 'right', authzid: 'tim@example.com' }, SMTP), acting);
      assert.equal(eventsNamed('auth.ok').at(-1)?.masterUser, 'boss@example.com');

      const exchange = auth.startSasl('SCRAM-SHA-256', POP3);
      const client = scramClient('boss@example.com', 'right', { authzid: 'tim@example.com' });
      const step = await exchange.step(client.final(challenge(await exchange.start(client.first))));
      assert.equal(client.verifyServer(challenge(step)), true);
      assert.deepEqual(done(await exchange.step(Buffer.alloc(0))), acting, 'SCRAM carries the authzid the same way');
    });

    it('logs in with SCRAM-SHA-256 after a legacy password login stored the secret', async () => {
      const { store, auth, eventsNamed, clock } = setup();
      const vector = vectorFrom('doveadm pw -s SHA512-CRYPT');
      store.add({ id: 1, address: 'a@example.com', passwordHash: vector.hash, active: true, scramSecret: null });
      assert.equal((await auth.verify({ username: 'a@example.com', password: vector.password }, IMAP)).ok, true);

      const exchange = auth.startSasl('SCRAM-SHA-256', IMAP);
      const { client, step } = await scramLogin(exchange, 'a@example.com', vector.password);
      assert.equal(client.verifyServer(challenge(step)), true);
      assert.deepEqual(done(await exchange.step(Buffer.alloc(0))), { ok: true, accountId: 1, address: 'a@example.com' });
      assert.equal(eventsNamed('auth.ok')[1].mechanism, 'SCRAM-SHA-256');
      assert.deepEqual(store.logins.at(-1), { id: 1, at: clock.t });
    });

    it('refuses a non-empty answer to the SCRAM server signature', async () => {
      const { store, auth, hasher } = setup();
      store.add({ id: 1, address: 'a@example.com', passwordHash: await hasher.hash('pw'), active: true, scramSecret: null });
      await auth.verify({ username: 'a@example.com', password: 'pw' }, IMAP);
      const exchange = auth.startSasl('SCRAM-SHA-256', IMAP);
      await scramLogin(exchange, 'a@example.com', 'pw');
      await assert.rejects(exchange.step(Buffer.from('extra')), (e: unknown) => e instanceof SaslError && e.reason === 'malformed');
    });

    it('counts a wrong SCRAM proof as a failure', async () => {
      const { store, auth, hasher, sleeps } = setup();
      store.add({ id: 1, address: 'a@example.com', passwordHash: await hasher.hash('pw'), active: true, scramSecret: null });
      await auth.verify({ username: 'a@example.com', password: 'pw' }, IMAP);
      for (let i = 0; i < 6; i++) {
        const { step } = await scramLogin(auth.startSasl('SCRAM-SHA-256', IMAP), 'a@example.com', 'nope');
        assert.deepEqual(done(step), { ok: false, reason: 'invalid' });
      }
      assert.deepEqual(sleeps, [1000]);
    });

    it('refuses SCRAM for an account without a secret, without counting it against the owner', async () => {
      const { store, auth, hasher, eventsNamed } = setup();
      store.add({ id: 1, address: 'a@example.com', passwordHash: await hasher.hash('pw'), active: true, scramSecret: null });
      for (let i = 0; i < 12; i++) {
        const { step } = await scramLogin(auth.startSasl('SCRAM-SHA-256', IMAP), 'a@example.com', 'pw');
        assert.deepEqual(done(step), { ok: false, reason: 'invalid' });
      }
      assert.equal(eventsNamed('auth.fail')[0].reason, 'no-scram-secret');
      assert.equal((await auth.verify({ username: 'a@example.com', password: 'pw' }, IMAP)).ok, true);
    });

    it('answers SCRAM for unknown, disabled and blocked accounts like verify does', async () => {
      const { store, auth, hasher, eventsNamed } = setup();
      store.add({ id: 1, address: 'off@example.com', passwordHash: await hasher.hash('pw'), active: true, scramSecret: null });
      await auth.verify({ username: 'off@example.com', password: 'pw' }, IMAP);
      const account = await store.findLoginAccount('off@example.com');
      assert.ok(account?.scramSecret);
      store.add({ ...account, active: false });

      const unknown = await scramLogin(auth.startSasl('SCRAM-SHA-256', IMAP), 'who@example.com', 'pw');
      assert.deepEqual(done(unknown.step), { ok: false, reason: 'invalid' });
      assert.equal(eventsNamed('auth.fail').at(-1)?.reason, 'unknown-user');

      const disabled = await scramLogin(auth.startSasl('SCRAM-SHA-256', IMAP), 'off@example.com', 'pw');
      assert.deepEqual(done(disabled.step), { ok: false, reason: 'disabled' });

      for (let i = 0; i < 9; i++) await auth.verify({ username: 'who@example.com', password: 'x' }, IMAP);
      // off@example.com logged in from this IP, so that pair stays trusted; any other name is refused.
      const blocked = await scramLogin(auth.startSasl('SCRAM-SHA-256', IMAP), 'who@example.com', 'pw');
      assert.deepEqual(done(blocked.step), { ok: false, reason: 'blocked', retryAfterMs: AUTH_BLOCK_MS });
    });

    it('reports a cancel through the exchange', async () => {
      const { auth } = setup();
      const exchange = auth.startSasl('LOGIN', POP3);
      await exchange.start();
      assert.equal(exchange.cancel().reason, 'cancelled');
      await assert.rejects(exchange.step(Buffer.from('a')), (e: unknown) => e instanceof SaslError && e.reason === 'unexpected-response');
    });
  });
});
