/**
 * Verification of password hashes imported from Dovecot / Postfix SQL / LDAP setups. Mailroom never
 * writes these: a successful login rehashes with the strong scheme (password-hash.ts).
 *
 * Accepted forms:
 * - Dovecot-prefixed `{SCHEME}value`, scheme names case-insensitive, with Dovecot's optional
 *   `.HEX` / `.B64` / `.BASE64` encoding suffix on digest and plain schemes (`{SHA256.HEX}`):
 *   crypt family `{SHA512-CRYPT}` `{SHA256-CRYPT}` `{MD5-CRYPT}` `{MD5}` (Dovecot's alias of
 *   MD5-CRYPT) `{BLF-CRYPT}` `{CRYPT}`; salted digests `{SSHA}` `{SSHA256}` `{SSHA512}` `{SMD5}`
 *   (base64 of digest(password + salt) + salt); plain digests `{SHA}` `{SHA1}` `{SHA256}` `{SHA512}`
 *   `{LDAP-MD5}` (base64) and `{PLAIN-MD5}` (hex); cleartext `{PLAIN}` `{CLEARTEXT}` `{CLEAR}`;
 *   and `{SCRAM-SHA-256}` secrets (checked by deriving from the password).
 * - Bare modular crypt strings, as Postfix SQL tables often hold them: `$6$`, `$5$`, `$1$`,
 *   `$2a$`/`$2b$`/`$2y$`.
 *
 * Invariants:
 * - As in Dovecot, every crypt-family prefix hands its value to the crypt dispatcher, which goes by
 *   the `$id$` of the value: `{CRYPT}$6$...` and `{SHA512-CRYPT}$6$...` verify alike.
 * - A fixed-size plain digest is accepted in hex or base64 whatever its declared encoding (Dovecot
 *   does the same: old tables mix them); the decoded length decides.
 * - An unknown scheme (yescrypt `$y$`, DES crypt, `{ARGON2ID}`, `{PBKDF2}`, ...) or a damaged value
 *   throws HashFormatError; `false` always means "wrong password".
 * - Comparisons are constant-time in the secret (timingSafeEqual; cleartext via equal-size digests).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { compare as bcryptCompare } from 'bcryptjs';
import { HashFormatError } from './hash-format-error.js';
import { parseScramSecret, verifyPasswordAgainstScram } from './scram.js';
import { decodeBase64, decodeHex } from './strict-base64.js';
import { verifyUnixCrypt } from './unix-crypt.js';

type Digest = 'md5' | 'sha1' | 'sha256' | 'sha512';
type Encoding = 'base64' | 'hex';

type Scheme =
  | { kind: 'crypt' }
  | { kind: 'digest'; digest: Digest; salted: boolean; encoding: Encoding }
  | { kind: 'plain' }
  | { kind: 'scram' };

const DIGEST_BYTES: Record<Digest, number> = { md5: 16, sha1: 20, sha256: 32, sha512: 64 };
const crypt: Scheme = { kind: 'crypt' };
const plain: Scheme = { kind: 'plain' };
const digest = (d: Digest, salted: boolean, encoding: Encoding = 'base64'): Scheme => ({ kind: 'digest', digest: d, salted, encoding });

const SCHEMES: Readonly<Record<string, Scheme>> = {
  'SHA512-CRYPT': crypt,
  'SHA256-CRYPT': crypt,
  'MD5-CRYPT': crypt,
  MD5: crypt,
  'BLF-CRYPT': crypt,
  CRYPT: crypt,
  SSHA: digest('sha1', true),
  SSHA256: digest('sha256', true),
  SSHA512: digest('sha512', true),
  SMD5: digest('md5', true),
  SHA: digest('sha1', false),
  SHA1: digest('sha1', false),
  SHA256: digest('sha256', false),
  SHA512: digest('sha512', false),
  'LDAP-MD5': digest('md5', false),
  'PLAIN-MD5': digest('md5', false, 'hex'),
  PLAIN: plain,
  CLEARTEXT: plain,
  CLEAR: plain,
  'SCRAM-SHA-256': { kind: 'scram' },
};

/** The `{SCHEME}` names verifyLegacyHash accepts (the import screen lists them). */
export const LEGACY_SCHEMES: readonly string[] = Object.keys(SCHEMES);

const PREFIX = /^\{([A-Za-z0-9-]+)(?:\.(HEX|B64|BASE64))?\}/i;
const BCRYPT_FORMAT = /^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$/;
const CRYPT_IDS: Record<string, string> = { '1': 'MD5-CRYPT', '5': 'SHA256-CRYPT', '6': 'SHA512-CRYPT', '2a': 'BLF-CRYPT', '2b': 'BLF-CRYPT', '2y': 'BLF-CRYPT' };

interface Parsed {
  /** Canonical scheme name, `SHA512-CRYPT` also for a bare `$6$` string. */
  name: string;
  scheme: Scheme;
  encoding?: Encoding;
  value: string;
}

function cryptIdOf(value: string): string | undefined {
  return /^\$([0-9a-z]+)\$/.exec(value)?.[1];
}

function unknownCrypt(value: string): HashFormatError {
  const id = cryptIdOf(value);
  const scheme = id !== undefined ? `$${id}$` : /^[./0-9A-Za-z]{13}$/.test(value) ? 'DES-CRYPT' : 'CRYPT';
  return new HashFormatError('unknown-scheme', scheme, 'only $1$, $5$, $6$ and $2a$/$2b$/$2y$ crypt strings are supported');
}

function parse(stored: string): Parsed {
  const prefix = PREFIX.exec(stored);
  if (!prefix) {
    const id = cryptIdOf(stored);
    if (id !== undefined && CRYPT_IDS[id]) return { name: CRYPT_IDS[id], scheme: crypt, value: stored };
    if (id !== undefined) throw unknownCrypt(stored);
    throw new HashFormatError('unknown-scheme', 'unprefixed', 'expected a {SCHEME} prefix or a $id$ crypt string');
  }
  const name = prefix[1].toUpperCase();
  const scheme = SCHEMES[name];
  if (!scheme) throw new HashFormatError('unknown-scheme', name, `supported: ${LEGACY_SCHEMES.join(' ')}`);
  const suffix = prefix[2]?.toUpperCase();
  if (suffix && scheme.kind !== 'digest' && scheme.kind !== 'plain') {
    throw new HashFormatError('malformed', name, 'an encoding suffix applies to digest and plain schemes only');
  }
  const encoding = suffix === undefined ? undefined : suffix === 'HEX' ? 'hex' : 'base64';
  return { name, scheme, encoding, value: stored.slice(prefix[0].length) };
}

/** Canonical scheme name of a stored hash (`SHA512-CRYPT` for a bare `$6$`), for logs; throws HashFormatError. */
export function legacySchemeOf(stored: string): string {
  const parsed = parse(stored);
  return parsed.scheme.kind === 'crypt' ? (CRYPT_IDS[cryptIdOf(parsed.value) ?? ''] ?? parsed.name) : parsed.name;
}

/** True when `password` matches the imported hash `stored`; throws HashFormatError if it cannot tell. */
export async function verifyLegacyHash(stored: string, password: string): Promise<boolean> {
  const parsed = parse(stored);
  switch (parsed.scheme.kind) {
    case 'crypt':
      return verifyCrypt(parsed.value, password);
    case 'digest':
      return verifyDigest(parsed, parsed.scheme, password);
    case 'plain':
      return verifyPlain(parsed, password);
    case 'scram':
      return verifyPasswordAgainstScram(parseScramSecret(`{SCRAM-SHA-256}${parsed.value}`), password);
  }
}

async function verifyCrypt(value: string, password: string): Promise<boolean> {
  const id = cryptIdOf(value);
  if (id === '2a' || id === '2b' || id === '2y') {
    if (!BCRYPT_FORMAT.test(value)) throw new HashFormatError('malformed', 'BLF-CRYPT', 'not a well-formed bcrypt string');
    return bcryptCompare(password, value);
  }
  if (id === '1' || id === '5' || id === '6') return verifyUnixCrypt(value, password);
  throw unknownCrypt(value);
}

function decode(text: string, encoding: Encoding): Buffer | undefined {
  return encoding === 'hex' ? decodeHex(text) : decodeBase64(text);
}

function verifyDigest(parsed: Parsed, scheme: Extract<Scheme, { kind: 'digest' }>, password: string): boolean {
  const size = DIGEST_BYTES[scheme.digest];
  const declared = parsed.encoding ?? scheme.encoding;
  let raw = decode(parsed.value, declared);
  if (!scheme.salted && raw?.length !== size) raw = decode(parsed.value, declared === 'hex' ? 'base64' : 'hex');
  const valid = raw !== undefined && (scheme.salted ? raw.length > size : raw.length === size);
  if (!raw || !valid) throw new HashFormatError('malformed', parsed.name, `expected a ${declared} ${scheme.digest} digest${scheme.salted ? ' followed by a salt' : ''}`);
  const computed = createHash(scheme.digest).update(password, 'utf8').update(raw.subarray(size)).digest();
  return timingSafeEqual(computed, raw.subarray(0, size));
}

function verifyPlain(parsed: Parsed, password: string): boolean {
  const stored = parsed.encoding ? decode(parsed.value, parsed.encoding) : Buffer.from(parsed.value, 'utf8');
  if (!stored) throw new HashFormatError('malformed', parsed.name, `value is not valid ${parsed.encoding}`);
  // Equal-size digests keep the comparison from leaking the stored password's length.
  const sha = (data: Buffer) => createHash('sha256').update(data).digest();
  return timingSafeEqual(sha(stored), sha(Buffer.from(password, 'utf8')));
}
