import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCredentialMaker } from '../../../server/index.js';
import { createPasswordHasher } from '../../../server/auth/password-hash.js';
import { parseScramSecret, verifyPasswordAgainstScram } from '../../../server/auth/scram.js';
import { adminFixture } from '../../helpers/admin.js';

test('setting a password stores a strong hash and a SCRAM-SHA-256 secret, never the plaintext', async (t) => {
  const hasher = createPasswordHasher({ cost: 'test' });
  const { api, store } = await adminFixture(t, createCredentialMaker(hasher));
  await api.addDomain({ name: 'example.com' });
  await api.addAccount({ address: 'alice@example.com', password: 'correct horse' });
  const secrets = (await store.accounts.secrets('alice', 'example.com'))!;
  assert.doesNotMatch(secrets.passwordHash, /correct horse/);
  assert.equal((await hasher.verify(secrets.passwordHash, 'correct horse')).ok, true);
  assert.equal((await hasher.verify(secrets.passwordHash, 'wrong horse')).ok, false);
  const scram = parseScramSecret(secrets.scramSecret!);
  assert.equal(await verifyPasswordAgainstScram(scram, 'correct horse'), true);
  assert.equal(await verifyPasswordAgainstScram(scram, 'wrong horse'), false);

  await api.setPassword({ address: 'alice@example.com', password: 'battery staple' });
  const after = (await store.accounts.secrets('alice', 'example.com'))!;
  assert.notEqual(after.passwordHash, secrets.passwordHash);
  assert.equal((await hasher.verify(after.passwordHash, 'battery staple')).ok, true);
  assert.equal(await verifyPasswordAgainstScram(parseScramSecret(after.scramSecret!), 'battery staple'), true);
});
