/**
 * The one error for a stored password hash Mailroom cannot use: a scheme it does not know
 * (`unknown-scheme`, e.g. yescrypt or ARGON2ID imported from another system) or a known scheme whose
 * value is damaged (`malformed`). Distinct from a wrong password, so an import problem shows up in
 * the log as what it is. Messages name the scheme only, never the hash or a password.
 */
export type HashFormatReason = 'unknown-scheme' | 'malformed';

export class HashFormatError extends Error {
  override readonly name = 'HashFormatError';

  constructor(
    readonly reason: HashFormatReason,
    /** Scheme as written in the stored value (`SHA512-CRYPT`, `$y$`, ...), for the log. */
    readonly scheme: string,
    detail: string,
  ) {
    super(`${reason === 'unknown-scheme' ? 'unsupported password scheme' : 'malformed password hash'} ${scheme}: ${detail}`);
  }
}
