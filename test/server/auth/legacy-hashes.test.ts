import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { HashFormatError } from '../../../server/auth/hash-format-error.js';
import { LEGACY_SCHEMES, legacySchemeOf, verifyLegacyHash } from '../../../server/auth/legacy-hashes.js';
import { legacyFixture, vectorFrom } from './vectors.js';

/**
 * Near misses: first character changed, one character more, one less. bcrypt only reads the first
 * 72 bytes (in C as in bcryptjs), so past that only the first-character change is a different password.
 */
function wrongPasswords(password: string, hash: string): string[] {
  if (password === '') return ['x', ' '];
  const chars = [...password];
  const wrong = [(chars[0] === 'Z' ? 'Y' : 'Z') + chars.slice(1).join('')];
  if (/\$2[aby]\$/.test(hash) && Buffer.byteLength(password) > 72) return wrong;
  wrong.push(password + 'x');
  if (chars.length > 1) wrong.push(chars.slice(0, -1).join(''));
  return wrong;
}

const isHashFormatError = (reason: HashFormatError['reason']) => (e: unknown) => e instanceof HashFormatError && e.reason === reason;

describe('legacy-hashes', () => {
  it('has vectors from openssl, mkpasswd and doveadm for every required scheme', () => {
    const commands = legacyFixture.vectors.map((v) => v.command);
    for (const tool of ['openssl passwd -6', 'openssl passwd -5', 'openssl passwd -1', 'mkpasswd -m sha-512 -R', 'mkpasswd -m bcrypt']) {
      assert.ok(commands.some((c) => c.startsWith(tool)), tool);
    }
    for (const scheme of ['SHA512-CRYPT', 'SHA256-CRYPT', 'MD5-CRYPT', 'BLF-CRYPT', 'SSHA', 'SSHA256', 'SSHA512', 'SHA', 'SHA1', 'PLAIN', 'CLEARTEXT']) {
      assert.ok(commands.some((c) => c.startsWith(`doveadm pw -s ${scheme} `)), scheme);
    }
    assert.ok(legacyFixture.vectors.some((v) => v.password === '' && v.hash.startsWith('$6$')));
    assert.ok(legacyFixture.vectors.some((v) => /rounds=\d+\$/.test(v.hash) && !v.hash.includes('rounds=5000$')));
  });

  it('verifies every fixture vector with its password and refuses near misses', async () => {
    for (const v of legacyFixture.vectors) {
      assert.equal(await verifyLegacyHash(v.hash, v.password), true, `right password refused: ${v.command}`);
      for (const wrong of wrongPasswords(v.password, v.hash)) {
        assert.equal(await verifyLegacyHash(v.hash, wrong), false, `wrong password ${JSON.stringify(wrong)} accepted: ${v.command}`);
      }
    }
  });

  it('verifies a hash made live by `openssl passwd -6 -salt`', async () => {
    const password = 'live öpenssl test';
    const hash = execFileSync('openssl', ['passwd', '-6', '-salt', 'LiveSalt1234', password], { encoding: 'utf8' }).trim();
    assert.match(hash, /^\$6\$LiveSalt1234\$/);
    assert.equal(await verifyLegacyHash(hash, password), true);
    assert.equal(await verifyLegacyHash(`{SHA512-CRYPT}${hash}`, password), true);
    assert.equal(await verifyLegacyHash(hash, 'live openssl test'), false);
  });

  it('throws an unknown-scheme HashFormatError for formats it cannot verify', async () => {
    assert.equal(legacyFixture.unsupported.length, 6);
    for (const u of legacyFixture.unsupported) {
      await assert.rejects(verifyLegacyHash(u.hash, u.password), isHashFormatError('unknown-scheme'), u.command);
    }
    for (const stored of ['password', '5f4dcc3b5aa765d61d8327deb882cf99', '{NOPE}abc', '']) {
      await assert.rejects(verifyLegacyHash(stored, 'password'), isHashFormatError('unknown-scheme'), stored);
    }
  });

  it('names the scheme in the error without echoing the hash', async () => {
    const yescrypt = legacyFixture.unsupported[0].hash;
    await assert.rejects(verifyLegacyHash(yescrypt, 'password'), (e: unknown) => {
      assert.ok(e instanceof HashFormatError);
      assert.equal(e.scheme, '$y$');
      assert.ok(!e.message.includes(yescrypt.slice(7)));
      return true;
    });
  });

  it('throws a malformed HashFormatError for damaged values of known schemes', async () => {
    const ssha = vectorFrom('doveadm pw -s SSHA -p').hash;
    const damaged = [
      '{SSHA}' + 'A'.repeat(27) + '=', // decodes to exactly a SHA-1 digest: no salt
      ssha.slice(0, -3) + '!!!',
      '{SHA256}abc',
      '{PLAIN-MD5}xyz',
      '{SHA512-CRYPT}$6$salt$tooshort',
      '{BLF-CRYPT}$2y$04$tooshort',
      '{BLF-CRYPT}$2y$99$' + 'a'.repeat(53),
      '{SCRAM-SHA-256}4096,notbase64!,x,y',
      '{SHA512-CRYPT.HEX}$6$abc$def',
      '{PLAIN.HEX}zz',
    ];
    for (const stored of damaged) {
      await assert.rejects(verifyLegacyHash(stored, 'password'), isHashFormatError('malformed'), stored);
    }
  });

  it('reads scheme names case-insensitively', async () => {
    const v = vectorFrom('doveadm pw -s SSHA256 -p');
    assert.equal(await verifyLegacyHash(v.hash.replace('{SSHA256}', '{ssha256}'), v.password), true);
  });

  it('accepts a plain digest in hex under a base64 scheme name, as Dovecot does', async () => {
    const v = vectorFrom('doveadm pw -s SHA1.HEX');
    const hexUnderBase64Name = v.hash.replace('{SHA1.HEX}', '{SHA}');
    assert.equal(await verifyLegacyHash(hexUnderBase64Name, v.password), true);
    assert.equal(await verifyLegacyHash(hexUnderBase64Name, 'pässwörd!'), false);
  });

  it('verifies {CRYPT} and bare crypt strings by their $id$', async () => {
    const bare = vectorFrom('mkpasswd -m sha-512 -R');
    assert.equal(await verifyLegacyHash(`{CRYPT}${bare.hash}`, bare.password), true);
    assert.equal(await verifyLegacyHash(`{MD5-CRYPT}${bare.hash}`, bare.password), true);
  });

  it('names the canonical scheme of a stored hash for the log', () => {
    assert.equal(legacySchemeOf(vectorFrom('openssl passwd -6').hash), 'SHA512-CRYPT');
    assert.equal(legacySchemeOf(vectorFrom('openssl passwd -1').hash), 'MD5-CRYPT');
    assert.equal(legacySchemeOf(vectorFrom('mkpasswd -m bcrypt ').hash), 'BLF-CRYPT');
    assert.equal(legacySchemeOf(vectorFrom('doveadm pw -s CRYPT').hash), 'BLF-CRYPT');
    assert.equal(legacySchemeOf(vectorFrom('doveadm pw -s MD5 ').hash), 'MD5-CRYPT');
    assert.equal(legacySchemeOf(vectorFrom('doveadm pw -s SSHA512 ').hash), 'SSHA512');
    assert.equal(legacySchemeOf('{plain}secret'), 'PLAIN');
    assert.throws(() => legacySchemeOf('$y$j9T$abc$def'), isHashFormatError('unknown-scheme'));
  });

  it('lists the schemes it accepts', () => {
    for (const scheme of ['SHA512-CRYPT', 'SHA256-CRYPT', 'MD5-CRYPT', 'BLF-CRYPT', 'SSHA', 'SSHA256', 'SSHA512', 'SHA', 'SHA1', 'PLAIN', 'CLEARTEXT']) {
      assert.ok(LEGACY_SCHEMES.includes(scheme), scheme);
    }
  });
});
