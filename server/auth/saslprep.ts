// SASLprep (RFC 4013) of passwords, with @mongodb-js/saslprep: non-ASCII spaces become U+0020,
// "commonly mapped to nothing" characters (soft hyphen, zero-width joiners…) go, the rest is NFKC,
// and control, private-use and other prohibited characters are refused. SCRAM derives its keys from
// the prepared password (RFC 5802 §2.2 `Normalize`), and PLAIN compares prepared strings (RFC 4616
// §2), so one password works over both whatever form (composed, decomposed, full-width) a client sends.
//
// Unassigned code points (relative to Unicode 3.2, SASLprep's tables) are allowed: otherwise every
// emoji would be refused in a password.
import saslprep from '@mongodb-js/saslprep';

export class PasswordPrepError extends Error {
  override name = 'PasswordPrepError';
}

/** The prepared password; throws PasswordPrepError for a character SASLprep prohibits. */
export function preparePassword(password: string): string {
  try {
    return saslprep(password, { allowUnassigned: true });
  } catch (error) {
    throw new PasswordPrepError(`The password cannot be used for login: ${(error as Error).message} (RFC 4013 SASLprep).`);
  }
}

/** A password presented at login, prepared; as it is when SASLprep refuses it (it then matches nothing prepared). */
export function preparedOrAsIs(password: string): string {
  try {
    return saslprep(password, { allowUnassigned: true });
  } catch {
    return password;
  }
}
