import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HashFormatError } from '../../../server/auth/hash-format-error.js';
import {
  SCRYPT_COST_DEFAULT,
  SCRYPT_COST_TEST,
  createPasswordHasher,
  hashSchemeOf,
  isStrongHash,
} from '../../../server/auth/password-hash.js';
import { vectorFrom } from './vectors.js';

const FORMAT = /^\{SCRYPT\}N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+=*)\$([A-Za-z0-9+/]+=*)$/;

describe('password-hash', () => {
  const hasher = createPasswordHasher({ cost: 'test' });

  it('stores scrypt with its cost, a 16-byte salt and a 32-byte key', async () => {
    const stored = await hasher.hash('correct horse');
    const m = FORMAT.exec(stored);
    assert.ok(m, stored);
    assert.deepEqual({ N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) }, SCRYPT_COST_TEST);
    assert.equal(Buffer.from(m[4], 'base64').length, 16);
    assert.equal(Buffer.from(m[5], 'base64').length, 32);
    assert.equal(isStrongHash(stored), true);
    assert.equal(hashSchemeOf(stored), 'SCRYPT');
  });

  it('salts every hash differently', async () => {
    const [a, b] = await Promise.all([hasher.hash('same'), hasher.hash('same')]);
    assert.notEqual(a, b);
  });

  it('verifies the right password and refuses wrong ones, including UTF-8 and empty', async () => {
    for (const password of ['correct horse', 'pässwörd', '密码🔑', '']) {
      const stored = await hasher.hash(password);
      assert.deepEqual(await hasher.verify(stored, password), { ok: true, needsRehash: false });
      assert.equal((await hasher.verify(stored, password + ' ')).ok, false);
    }
    // Hashing is of the exact UTF-8 bytes: NFC and NFD forms of "ä" are different passwords.
    const nfc = await hasher.hash('ä'.normalize('NFC'));
    assert.equal((await hasher.verify(nfc, 'ä'.normalize('NFD'))).ok, false);
  });

  it('uses the default cost unless told otherwise, and that hash verifies', async () => {
    const strong = createPasswordHasher();
    const stored = await strong.hash('expensive');
    assert.ok(stored.startsWith(`{SCRYPT}N=${SCRYPT_COST_DEFAULT.N},r=${SCRYPT_COST_DEFAULT.r},p=${SCRYPT_COST_DEFAULT.p}$`));
    assert.deepEqual(await strong.verify(stored, 'expensive'), { ok: true, needsRehash: false });
    // A hash stronger than the verifier's own cost is not flagged.
    assert.deepEqual(await hasher.verify(stored, 'expensive'), { ok: true, needsRehash: false });
  });

  it('flags scrypt weaker than the current cost in any parameter for rehash', async () => {
    const stored = await hasher.hash('cheap');
    const strong = createPasswordHasher();
    assert.deepEqual(await strong.verify(stored, 'cheap'), { ok: true, needsRehash: true });
    const weakerP = stored.replace(`p=${SCRYPT_COST_TEST.p}$`, 'p=1$');
    assert.equal((await hasher.verify(weakerP, 'cheap')).needsRehash, false);
  });

  it('verifies legacy hashes and always asks for a rehash', async () => {
    for (const prefix of ['doveadm pw -s SHA512-CRYPT', 'doveadm pw -s BLF-CRYPT', 'doveadm pw -s SSHA ', 'doveadm pw -s PLAIN ', 'openssl passwd -1']) {
      const v = vectorFrom(prefix);
      assert.deepEqual(await hasher.verify(v.hash, v.password), { ok: true, needsRehash: true }, v.command);
      assert.deepEqual(await hasher.verify(v.hash, v.password + 'x'), { ok: false, needsRehash: true }, v.command);
    }
    assert.equal(hashSchemeOf(vectorFrom('doveadm pw -s SHA512-CRYPT').hash), 'SHA512-CRYPT');
  });

  it('throws HashFormatError for damaged or out-of-bounds scrypt values and unknown schemes', async () => {
    const stored = await hasher.hash('x');
    const salt = stored.split('$')[1];
    const key = stored.split('$')[2];
    const damaged = [
      stored.slice(0, -1), // key no longer valid base64
      stored.replace('N=1024', 'N=1000'), // not a power of two
      stored.replace('N=1024', 'N=4194304'), // 2^22: 4 GiB
      stored.replace('r=8', 'r=0'),
      `{SCRYPT}N=1024,r=8,p=1$${salt}`,
      `{SCRYPT}N=1024,r=8,p=1$$${key}`,
      '{SCRYPT}',
    ];
    for (const value of damaged) {
      await assert.rejects(hasher.verify(value, 'x'), (e: unknown) => e instanceof HashFormatError && e.reason === 'malformed', value);
    }
    await assert.rejects(hasher.verify('$y$j9T$abc$def', 'x'), (e: unknown) => e instanceof HashFormatError && e.reason === 'unknown-scheme');
  });
});
