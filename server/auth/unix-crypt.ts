/**
 * The crypt(3) algorithms that imported hashes use and that Mailroom verifies but never produces:
 * SHA-crypt (`$5$`, `$6$`; Ulrich Drepper's specification, https://www.akkadia.org/drepper/SHA-crypt.txt)
 * and MD5-crypt (`$1$`, Poul-Henning Kamp's FreeBSD algorithm), built on node:crypto.
 *
 * Invariants:
 * - The output is the complete crypt string, byte-identical to glibc/libxcrypt/openssl for the same
 *   password and setting, so verification is "recompute from the stored string, compare the whole".
 *   The tests hold this against vectors made by openssl, mkpasswd and doveadm.
 * - Passwords are hashed as their UTF-8 bytes, as the C tools do.
 * - SHA-crypt yields to the event loop every ROUNDS_PER_SLICE rounds: the default 5000 rounds take
 *   tens of milliseconds of CPU, which must not stall every other connection.
 * - A stored string that is not a well-formed crypt string is a HashFormatError('malformed'), never
 *   a silent "wrong password".
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { HashFormatError } from './hash-format-error.js';

const CRYPT_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** SHA-crypt rounds: default when `rounds=` is absent, and the clamp the specification applies. */
export const SHA_CRYPT_ROUNDS_DEFAULT = 5000;
export const SHA_CRYPT_ROUNDS_MIN = 1000;
export const SHA_CRYPT_ROUNDS_MAX = 999_999_999;
const SHA_CRYPT_SALT_MAX = 16;
const MD5_CRYPT_SALT_MAX = 8;
const MD5_CRYPT_ROUNDS = 1000;
const ROUNDS_PER_SLICE = 1000;

/**
 * Byte order of the final digest in the crypt encoding: each entry is [b2, b1, b0, chars], 24 bits
 * emitted least significant 6 bits first; -1 stands for a zero byte. Copied from the specifications.
 */
type Layout = readonly (readonly [number, number, number, number])[];
const SHA512_LAYOUT: Layout = [
  [0, 21, 42, 4], [22, 43, 1, 4], [44, 2, 23, 4], [3, 24, 45, 4], [25, 46, 4, 4], [47, 5, 26, 4],
  [6, 27, 48, 4], [28, 49, 7, 4], [50, 8, 29, 4], [9, 30, 51, 4], [31, 52, 10, 4], [53, 11, 32, 4],
  [12, 33, 54, 4], [34, 55, 13, 4], [56, 14, 35, 4], [15, 36, 57, 4], [37, 58, 16, 4], [59, 17, 38, 4],
  [18, 39, 60, 4], [40, 61, 19, 4], [62, 20, 41, 4], [-1, -1, 63, 2],
];
const SHA256_LAYOUT: Layout = [
  [0, 10, 20, 4], [21, 1, 11, 4], [12, 22, 2, 4], [3, 13, 23, 4], [24, 4, 14, 4],
  [15, 25, 5, 4], [6, 16, 26, 4], [27, 7, 17, 4], [18, 28, 8, 4], [9, 19, 29, 4], [-1, 31, 30, 3],
];
const MD5_LAYOUT: Layout = [[0, 6, 12, 4], [1, 7, 13, 4], [2, 8, 14, 4], [3, 9, 15, 4], [4, 10, 5, 4], [-1, -1, 11, 2]];

function cryptBase64(bytes: Buffer, layout: Layout): string {
  let out = '';
  for (const [b2, b1, b0, chars] of layout) {
    let w = ((b2 < 0 ? 0 : bytes[b2]) << 16) | ((b1 < 0 ? 0 : bytes[b1]) << 8) | bytes[b0];
    for (let i = 0; i < chars; i++, w >>= 6) out += CRYPT_ALPHABET[w & 0x3f];
  }
  return out;
}

/** `digest` repeated and cut to `length` bytes (the P and S sequences of SHA-crypt). */
function repeatTo(digest: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += digest.length) digest.copy(out, i, 0, Math.min(digest.length, length - i));
  return out;
}

interface ShaVariant { id: '5' | '6'; algorithm: 'sha256' | 'sha512'; size: number; layout: Layout; chars: number }
const SHA_VARIANTS: Record<'5' | '6', ShaVariant> = {
  '5': { id: '5', algorithm: 'sha256', size: 32, layout: SHA256_LAYOUT, chars: 43 },
  '6': { id: '6', algorithm: 'sha512', size: 64, layout: SHA512_LAYOUT, chars: 86 },
};

/**
 * crypt(3) for `$5$`/`$6$` settings: `setting` may be a bare `$6$[rounds=N$]salt` or a whole stored
 * hash (its digest part is ignored). Follows glibc's parsing: an out-of-range rounds value is
 * clamped, a salt longer than 16 characters is truncated.
 */
export async function shaCrypt(password: string, setting: string): Promise<string> {
  const match = /^\$([56])\$/.exec(setting);
  if (!match) throw new HashFormatError('malformed', 'SHA-CRYPT', 'not a $5$ or $6$ crypt setting');
  const variant = SHA_VARIANTS[match[1] as '5' | '6'];
  let rest = setting.slice(3);
  let rounds = SHA_CRYPT_ROUNDS_DEFAULT;
  let roundsCustom = false;
  const roundsMatch = /^rounds=(\d+)\$/.exec(rest);
  if (roundsMatch) {
    rounds = Math.max(SHA_CRYPT_ROUNDS_MIN, Math.min(Number(roundsMatch[1]), SHA_CRYPT_ROUNDS_MAX));
    roundsCustom = true;
    rest = rest.slice(roundsMatch[0].length);
  }
  const saltText = rest.split('$', 1)[0].slice(0, SHA_CRYPT_SALT_MAX);
  const digest = await shaCryptDigest(variant, Buffer.from(password, 'utf8'), Buffer.from(saltText, 'utf8'), rounds);
  return `$${variant.id}$${roundsCustom ? `rounds=${rounds}$` : ''}${saltText}$${cryptBase64(digest, variant.layout)}`;
}

async function shaCryptDigest(v: ShaVariant, password: Buffer, salt: Buffer, rounds: number): Promise<Buffer> {
  const h = () => createHash(v.algorithm);
  const b = h().update(password).update(salt).update(password).digest();
  const a = h().update(password).update(salt);
  let n = password.length;
  for (; n > v.size; n -= v.size) a.update(b);
  a.update(b.subarray(0, n));
  for (let bits = password.length; bits > 0; bits >>= 1) a.update(bits & 1 ? b : password);
  const digestA = a.digest();

  const dp = h();
  for (let i = 0; i < password.length; i++) dp.update(password);
  const p = repeatTo(dp.digest(), password.length);
  const ds = h();
  for (let i = 0; i < 16 + digestA[0]; i++) ds.update(salt);
  const s = repeatTo(ds.digest(), salt.length);

  let c = digestA;
  for (let round = 0; round < rounds; round++) {
    const ctx = h().update(round & 1 ? p : c);
    if (round % 3) ctx.update(s);
    if (round % 7) ctx.update(p);
    c = ctx.update(round & 1 ? c : p).digest();
    if (round % ROUNDS_PER_SLICE === ROUNDS_PER_SLICE - 1) await nextTurn();
  }
  return c;
}

/** crypt(3) for `$1$` settings (a bare setting or a whole stored hash); the salt is at most 8 characters. */
export function md5Crypt(password: string, setting: string): string {
  if (!setting.startsWith('$1$')) throw new HashFormatError('malformed', 'MD5-CRYPT', 'not a $1$ crypt setting');
  const saltText = setting.slice(3).split('$', 1)[0].slice(0, MD5_CRYPT_SALT_MAX);
  const pw = Buffer.from(password, 'utf8');
  const salt = Buffer.from(saltText, 'utf8');
  const md5 = () => createHash('md5');

  const alt = md5().update(pw).update(salt).update(pw).digest();
  const ctx = md5().update(pw).update('$1$').update(salt);
  for (let n = pw.length; n > 0; n -= 16) ctx.update(alt.subarray(0, Math.min(n, 16)));
  // PHK's original reads the first byte of the password or a NUL; every implementation keeps the quirk.
  for (let bits = pw.length; bits > 0; bits >>= 1) ctx.update(bits & 1 ? Buffer.of(0) : pw.subarray(0, 1));
  let final = ctx.digest();

  for (let round = 0; round < MD5_CRYPT_ROUNDS; round++) {
    const c = md5().update(round & 1 ? pw : final);
    if (round % 3) c.update(salt);
    if (round % 7) c.update(pw);
    final = c.update(round & 1 ? final : pw).digest();
  }
  return `$1$${saltText}$${cryptBase64(final, MD5_LAYOUT)}`;
}

const SHA_CRYPT_FORMAT = /^\$([56])\$(?:rounds=\d+\$)?[^$]{0,16}\$([./0-9A-Za-z]+)$/;
const MD5_CRYPT_FORMAT = /^\$1\$[^$]{0,8}\$[./0-9A-Za-z]{22}$/;

/** Verifies a `$5$`, `$6$` or `$1$` crypt string; anything else, or a damaged one, throws HashFormatError. */
export async function verifyUnixCrypt(stored: string, password: string): Promise<boolean> {
  const sha = SHA_CRYPT_FORMAT.exec(stored);
  if (sha) {
    if (sha[2].length !== SHA_VARIANTS[sha[1] as '5' | '6'].chars) {
      throw new HashFormatError('malformed', sha[1] === '6' ? 'SHA512-CRYPT' : 'SHA256-CRYPT', 'digest has the wrong length');
    }
    return sameString(await shaCrypt(password, stored), stored);
  }
  if (MD5_CRYPT_FORMAT.test(stored)) return sameString(md5Crypt(password, stored), stored);
  throw new HashFormatError('malformed', 'CRYPT', 'not a well-formed $1$, $5$ or $6$ crypt string');
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
