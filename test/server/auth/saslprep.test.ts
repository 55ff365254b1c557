// SASLprep (RFC 4013) of passwords: the RFC's own examples, then non-ASCII passwords over SCRAM-SHA-256
// (an independent client, test/server/auth/scram-client.ts) and PLAIN through the real store, the
// credential maker and the authenticator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PasswordPrepError, preparePassword } from '../../../server/auth/saslprep.js';
import { deriveScramSecret, serializeScramSecret } from '../../../server/auth/scram.js';
import { createAuthenticator, type SaslExchangeStep } from '../../../server/auth/authenticator.js';
import { createPasswordHasher } from '../../../server/auth/password-hash.js';
import { createThrottle } from '../../../server/auth/throttle.js';
import { AdminError } from '../../../server/admin/contract.js';
import { authAccountStore, createCredentialMaker } from '../../../server/index.js';
import { adminFixture } from '../../helpers/admin.js';
import { scramClient } from './scram-client.js';

const IMAP = { protocol: 'imap', remoteIp: '192.0.2.10', secure: true } as const;

test('RFC 4013 §3 examples: mapped to nothing, case kept, NFKC, prohibited', async () => {
  assert.equal(preparePassword('I\u00ADX'), 'IX');
  assert.equal(preparePassword('user'), 'user');
  assert.equal(preparePassword('USER'), 'USER');
  assert.equal(preparePassword('\u00AA'), 'a');
  assert.equal(preparePassword('\u2168'), 'IX');
  assert.throws(() => preparePassword('\u0007'), PasswordPrepError);
  // Non-ASCII spaces map to U+0020 (§2.1); NFKC alone would keep U+3000 as it is.
  assert.equal(preparePassword('a\u00A0b\u3000c'), 'a b c');
  const salt = Buffer.alloc(16, 3);
  assert.deepEqual(await deriveScramSecret('I\u00ADX', { salt }), await deriveScramSecret('IX', { salt }));
  assert.deepEqual(await deriveScramSecret('\u2168', { salt }), await deriveScramSecret('IX', { salt }));
});

async function fixture(t: Parameters<typeof adminFixture>[0]) {
  const hasher = createPasswordHasher({ cost: 'test' });
  const { api, store } = await adminFixture(t, createCredentialMaker(hasher));
  await api.addDomain({ name: 'example.com' });
  const clock = { now: () => 1_700_000_000_000 };
  const auth = createAuthenticator({
    store: authAccountStore(store),
    hasher,
    throttle: createThrottle({ clock }),
    clock,
    unknownUserKey: Buffer.alloc(32, 7),
    log: () => {},
    sleep: async () => {},
  });
  const scram = async (username: string, clientPassword: string) => {
    const exchange = auth.startSasl('SCRAM-SHA-256', IMAP);
    const client = scramClient(username, clientPassword);
    const first = (await exchange.start(client.first)) as Extract<SaslExchangeStep, { type: 'challenge' }>;
    const second = await exchange.step(client.final(first.challenge));
    if (second.type !== 'challenge') return second.type === 'done' && second.result.ok;
    assert.equal(client.verifyServer(second.challenge), true, 'the server proves it knows the secret');
    const last = await exchange.step(Buffer.alloc(0));
    return last.type === 'done' && last.result.ok;
  };
  const plain = async (username: string, password: string) => (await auth.verify({ username, password }, IMAP)).ok;
  return { api, store, hasher, scram, plain };
}

test('a non-ASCII password logs in over SCRAM-SHA-256 and PLAIN in any equivalent form', async (t) => {
  const f = await fixture(t);
  // Composed ü and ß, a no-break space, ROMAN NUMERAL NINE and a soft hyphen.
  const typed = 'Gr\u00FC\u00DFe\u00A0\u2168\u00ADzehn';
  const prepared = 'Gr\u00FC\u00DFe IXzehn';
  await f.api.addAccount({ address: 'ute@example.com', password: typed });

  // A SCRAM client prepares the password itself (RFC 5802 §2.2); here it sends the prepared form.
  assert.equal(await f.scram('ute@example.com', prepared), true, 'SCRAM with the SASLprep-ed password');
  assert.equal(await f.scram('ute@example.com', 'Gr\u00FC\u00DFe IXzehm'), false, 'SCRAM with a wrong password');

  assert.equal(await f.plain('ute@example.com', typed), true, 'PLAIN as typed');
  assert.equal(await f.plain('ute@example.com', prepared), true, 'PLAIN prepared by the client');
  assert.equal(await f.plain('ute@example.com', 'Gru\u0308\u00DFe\u00A0\u2168\u00ADzehn'), true, 'PLAIN with a decomposed ü');
  assert.equal(await f.plain('ute@example.com', 'Gr\u00FC\u00DFe\u00A0\u2168zehm'), false, 'PLAIN with a wrong password');
});

test('a hash of the unprepared password (made before SASLprep, or imported) still works and is replaced', async (t) => {
  const f = await fixture(t);
  await f.api.addAccount({ address: 'old@example.com', password: 'placeholder password' });
  const account = (await f.store.accounts.find('old', 'example.com'))!;
  const typed = 'caf\u00E9\u3000cr\u00E8me';
  await f.store.accounts.update(account.id, { passwordHash: await f.hasher.hash(typed), scramSecret: serializeScramSecret(await deriveScramSecret('placeholder password')) });

  assert.equal(await f.plain('old@example.com', typed), true, 'the raw password matches the raw hash');
  const after = (await f.store.accounts.secrets('old', 'example.com'))!;
  assert.equal((await f.hasher.verify(after.passwordHash, 'caf\u00E9 cr\u00E8me')).ok, true, 'the hash is now of the prepared password');
  assert.equal(await f.scram('old@example.com', 'caf\u00E9 cr\u00E8me'), true, 'and the SCRAM secret was derived again');
  assert.equal(await f.plain('old@example.com', 'cafe\u0301\u3000cre\u0300me'), true, 'so a decomposed form works too');
});

test('a password SASLprep refuses cannot be set: invalid, on the password field', async (t) => {
  const f = await fixture(t);
  await assert.rejects(
    f.api.addAccount({ address: 'bel@example.com', password: 'ring\u0007the bell' }),
    (e: unknown) => e instanceof AdminError && e.code === 'invalid' && e.field === 'password' && /RFC 4013/.test(e.message),
  );
  assert.equal(await f.store.accounts.find('bel', 'example.com'), undefined);
});
