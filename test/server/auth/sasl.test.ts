import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SASL_MECHANISMS, SaslError, startMechanism, type SaslContext, type SaslStep } from '../../../server/auth/sasl.js';
import { deriveScramSecret } from '../../../server/auth/scram.js';
import { scramClient } from './scram-client.js';

const noScram: SaslContext = { lookupScram: async () => undefined, unknownUserKey: Buffer.alloc(32, 7) };
const isSaslError = (reason: SaslError['reason']) => (e: unknown) => e instanceof SaslError && e.reason === reason;
const bytes = (s: string) => Buffer.from(s, 'utf8');

function credentialsOf(step: SaslStep) {
  assert.equal(step.type, 'credentials');
  return step.credentials;
}

describe('sasl', () => {
  it('advertises SCRAM-SHA-256, PLAIN and LOGIN, strongest first', () => {
    assert.deepEqual(SASL_MECHANISMS, ['SCRAM-SHA-256', 'PLAIN', 'LOGIN']);
  });

  it('refuses an unknown mechanism and reads names case-insensitively', () => {
    assert.throws(() => startMechanism('CRAM-MD5', noScram), isSaslError('unsupported-mechanism'));
    assert.equal(startMechanism('plain', noScram).name, 'PLAIN');
    assert.equal(startMechanism('Scram-Sha-256', noScram).name, 'SCRAM-SHA-256');
  });

  describe('PLAIN', () => {
    it('yields credentials from an initial response', async () => {
      const plain = startMechanism('PLAIN', noScram);
      assert.deepEqual(credentialsOf(await plain.start(bytes('\0tim@example.com\0tanstaaftanstaaf'))), {
        username: 'tim@example.com',
        password: 'tanstaaftanstaaf',
      });
    });

    it('sends an empty challenge without an initial response, then takes the message', async () => {
      const plain = startMechanism('PLAIN', noScram);
      const first = await plain.start();
      assert.deepEqual(first, { type: 'challenge', challenge: Buffer.alloc(0) });
      assert.deepEqual(credentialsOf(await plain.step(bytes('\0user\0pässwörd 密码'))), { username: 'user', password: 'pässwörd 密码' });
    });

    it('accepts an authzid equal to the authcid, ignoring case', async () => {
      const plain = startMechanism('PLAIN', noScram);
      assert.equal(credentialsOf(await plain.start(bytes('Tim@Example.com\0tim@example.com\0pw'))).username, 'tim@example.com');
    });

    it('passes on an authzid different from the authcid, for the authenticator to decide', async () => {
      const plain = startMechanism('PLAIN', noScram);
      assert.deepEqual(credentialsOf(await plain.start(bytes('admin@example.com\0tim@example.com\0pw'))), {
        username: 'tim@example.com',
        password: 'pw',
        authzid: 'admin@example.com',
      });
    });

    const malformed: [string, Buffer][] = [
      ['no NUL at all', bytes('timpassword')],
      ['one NUL', bytes('tim\0password')],
      ['three NULs', bytes('\0tim\0pass\0word')],
      ['an empty authcid', bytes('\0\0password')],
      ['an empty password', bytes('\0tim\0')],
      ['an empty message', Buffer.alloc(0)],
      ['invalid UTF-8', Buffer.from([0, 0x74, 0xc3, 0x28, 0, 0x70])],
    ];
    for (const [what, message] of malformed) {
      it(`refuses a message with ${what}`, async () => {
        await assert.rejects(startMechanism('PLAIN', noScram).start(message), isSaslError('malformed'));
      });
    }

    it('refuses an oversized message', async () => {
      await assert.rejects(startMechanism('PLAIN', noScram).start(bytes(`\0tim\0${'x'.repeat(9000)}`)), isSaslError('too-long'));
    });
  });

  describe('LOGIN', () => {
    it('asks "Username:" then "Password:"', async () => {
      const login = startMechanism('LOGIN', noScram);
      assert.deepEqual(await login.start(), { type: 'challenge', challenge: bytes('Username:') });
      assert.deepEqual(await login.step(bytes('tim@example.com')), { type: 'challenge', challenge: bytes('Password:') });
      assert.deepEqual(credentialsOf(await login.step(bytes('tanstaaf'))), { username: 'tim@example.com', password: 'tanstaaf' });
    });

    it('takes the username as an initial response', async () => {
      const login = startMechanism('LOGIN', noScram);
      assert.deepEqual(await login.start(bytes('tim@example.com')), { type: 'challenge', challenge: bytes('Password:') });
      assert.equal(credentialsOf(await login.step(bytes('tanstaaf'))).password, 'tanstaaf');
    });

    it('refuses an empty or NUL-containing username or password', async () => {
      await assert.rejects(startMechanism('LOGIN', noScram).start(Buffer.alloc(0)), isSaslError('malformed'));
      await assert.rejects(startMechanism('LOGIN', noScram).start(bytes('tim\0')), isSaslError('malformed'));
      const login = startMechanism('LOGIN', noScram);
      await login.start(bytes('tim'));
      await assert.rejects(login.step(Buffer.alloc(0)), isSaslError('malformed'));
    });
  });

  describe('machine rules', () => {
    it('refuses any step after the credentials', async () => {
      const plain = startMechanism('PLAIN', noScram);
      await plain.start(bytes('\0tim\0pw'));
      await assert.rejects(plain.step(bytes('\0tim\0pw')), isSaslError('unexpected-response'));
    });

    it('refuses a second start and a step before start', async () => {
      const login = startMechanism('LOGIN', noScram);
      await assert.rejects(login.step(bytes('tim')), isSaslError('unexpected-response'));
      await login.start();
      await assert.rejects(login.start(), isSaslError('unexpected-response'));
    });

    it('is finished after an error', async () => {
      const login = startMechanism('LOGIN', noScram);
      await login.start();
      await assert.rejects(login.step(Buffer.from([0xff])), isSaslError('malformed'));
      await assert.rejects(login.step(bytes('tim')), isSaslError('unexpected-response'));
    });

    it('reports a cancel as SaslError("cancelled") and ends the exchange', async () => {
      const login = startMechanism('LOGIN', noScram);
      await login.start();
      const error = login.cancel();
      assert.ok(error instanceof SaslError);
      assert.equal(error.reason, 'cancelled');
      await assert.rejects(login.step(bytes('tim')), isSaslError('unexpected-response'));
    });

    it('runs SCRAM-SHA-256 against the context lookup', async () => {
      const secret = await deriveScramSecret('pencil');
      const looked: string[] = [];
      const scram = startMechanism('SCRAM-SHA-256', {
        unknownUserKey: Buffer.alloc(32, 7),
        lookupScram: async (username) => {
          looked.push(username);
          return username === 'user' ? secret : undefined;
        },
      });
      const client = scramClient('user', 'pencil');
      const first = await scram.start(client.first);
      assert.equal(first.type, 'challenge');
      const outcome = await scram.step(client.final(first.type === 'challenge' ? first.challenge : Buffer.alloc(0)));
      assert.ok(outcome.type === 'outcome' && outcome.ok && client.verifyServer(outcome.additionalData));
      assert.deepEqual(looked, ['user']);
    });
  });
});
