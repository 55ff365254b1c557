/**
 * The password hasher: Mailroom's one strong scheme (scrypt, node:crypto) for every password it
 * stores, and verification of that scheme plus every imported legacy scheme (legacy-hashes.ts).
 * Injected into createMailServer as a dependency, so test suites use the cheap `test` cost.
 *
 * Stored format (self-describing, Dovecot-style prefix; base64 is standard and padded):
 *   {SCRYPT}N=32768,r=8,p=3$<16-byte salt>$<32-byte key>
 * The cost parameters travel with each hash, so raising the defaults later still verifies old
 * hashes and flags them `needsRehash`.
 *
 * Invariants:
 * - Default cost N=2^15, r=8, p=3 (32 MiB, one of OWASP's recommended scrypt settings), a fresh
 *   random 16-byte salt per hash. `test` cost N=2^10, r=8, p=1 is for test suites only.
 * - scrypt runs asynchronously on the libuv pool, never on the event loop; keys are compared with
 *   timingSafeEqual.
 * - `needsRehash` is true for every legacy scheme and for scrypt weaker than the current cost in any
 *   parameter (or with a shorter salt or key).
 * - Stored parameters are bounded when parsed (N <= 2^20, r <= 32, p <= 16), so a damaged row cannot
 *   make one login allocate gigabytes; out of bounds is a HashFormatError('malformed').
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { HashFormatError } from './hash-format-error.js';
import { legacySchemeOf, verifyLegacyHash } from './legacy-hashes.js';
import { decodeBase64 } from './strict-base64.js';

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

export const SCRYPT_COST_DEFAULT: Readonly<ScryptCost> = { N: 2 ** 15, r: 8, p: 3 };
export const SCRYPT_COST_TEST: Readonly<ScryptCost> = { N: 2 ** 10, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
const PREFIX = '{SCRYPT}';
const FORMAT = /^\{SCRYPT\}N=(\d{1,8}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/i;

export interface VerifyResult {
  ok: boolean;
  /** The stored hash is below current policy: store a fresh hash() after a successful login. */
  needsRehash: boolean;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Throws HashFormatError when `stored` is of an unknown scheme or damaged. */
  verify(stored: string, password: string): Promise<VerifyResult>;
}

function scryptAsync(password: string, salt: Buffer, keyLength: number, cost: ScryptCost): Promise<Buffer> {
  // node's default maxmem (32 MiB) is just under what N=2^15, r=8 needs; allow the working set plus slack.
  const options: ScryptOptions = { ...cost, maxmem: 128 * cost.N * cost.r * 2 + 2 ** 20 };
  return new Promise((resolve, reject) => {
    scrypt(Buffer.from(password, 'utf8'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

interface StoredScrypt {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

function parseScrypt(stored: string): StoredScrypt {
  const m = FORMAT.exec(stored);
  const cost = m ? { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) } : undefined;
  const salt = m ? decodeBase64(m[4]) : undefined;
  const key = m ? decodeBase64(m[5]) : undefined;
  const inBounds =
    cost !== undefined &&
    cost.N >= 2 && cost.N <= MAX_N && (cost.N & (cost.N - 1)) === 0 &&
    cost.r >= 1 && cost.r <= MAX_R &&
    cost.p >= 1 && cost.p <= MAX_P;
  if (!inBounds || !salt || salt.length < 8 || !key || key.length < 16 || key.length > 64) {
    throw new HashFormatError('malformed', 'SCRYPT', 'expected {SCRYPT}N=<2^k>,r=<r>,p=<p>$<salt>$<key> within bounds');
  }
  return { cost, salt, key };
}

export function isStrongHash(stored: string): boolean {
  return stored.slice(0, PREFIX.length).toUpperCase() === PREFIX;
}

/** Scheme name of a stored hash for logs (`SCRYPT`, `SHA512-CRYPT`, ...); throws HashFormatError if unknown. */
export function hashSchemeOf(stored: string): string {
  return isStrongHash(stored) ? 'SCRYPT' : legacySchemeOf(stored);
}

export function createPasswordHasher(options: { cost?: 'default' | 'test' } = {}): PasswordHasher {
  const current = options.cost === 'test' ? SCRYPT_COST_TEST : SCRYPT_COST_DEFAULT;

  return {
    async hash(password) {
      const salt = randomBytes(SALT_BYTES);
      const key = await scryptAsync(password, salt, KEY_BYTES, current);
      return `${PREFIX}N=${current.N},r=${current.r},p=${current.p}$${salt.toString('base64')}$${key.toString('base64')}`;
    },

    async verify(stored, password) {
      if (!isStrongHash(stored)) return { ok: await verifyLegacyHash(stored, password), needsRehash: true };
      const { cost, salt, key } = parseScrypt(stored);
      const computed = await scryptAsync(password, salt, key.length, cost);
      const weaker =
        cost.N < current.N || cost.r < current.r || cost.p < current.p || salt.length < SALT_BYTES || key.length < KEY_BYTES;
      return { ok: timingSafeEqual(computed, key), needsRehash: weaker };
    },
  };
}
