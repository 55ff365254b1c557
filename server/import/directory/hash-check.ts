// Classifies an imported password hash by scheme without verifying anything (a bcrypt check per
// account would make a dry run of thousands of users take minutes). The scheme names are the ones
// server/auth/legacy-hashes.ts verifies; anything else makes the account import disabled, with why.
import { HashFormatError } from '../../auth/hash-format-error.js';
import { hashSchemeOf } from '../../auth/password-hash.js';
import type { HashCheck } from './types.js';

const DES_CRYPT = /^[./0-9A-Za-z]{13}$/;
const DES_REASON = 'DES crypt (MySQL ENCRYPT()) is not supported: it keeps only 8 characters of a password';

export function checkHash(stored: string): HashCheck {
  if (stored.trim() === '') return { usable: false, scheme: 'none', reason: 'the account has no password hash' };
  try {
    return { usable: true, scheme: hashSchemeOf(stored) };
  } catch (error) {
    if (!(error instanceof HashFormatError)) throw error;
    // Bare 13-character DES crypt is what MySQL ENCRYPT() wrote in the HowtoForge guides.
    if (error.scheme === 'unprefixed' && DES_CRYPT.test(stored)) return { usable: false, scheme: 'DES-CRYPT', reason: DES_REASON };
    return { usable: false, scheme: error.scheme, reason: error.message };
  }
}
