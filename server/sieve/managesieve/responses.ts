// ManageSieve responses (RFC 5804 §4): OK/NO/BYE with an optional response code and text, and the
// string encoding every server string uses: quoted when short and plain, a literal "{N}" otherwise.

export type ResponseCode =
  | 'AUTH-TOO-WEAK'
  | 'ENCRYPT-NEEDED'
  | 'QUOTA'
  | 'QUOTA/MAXSCRIPTS'
  | 'QUOTA/MAXSIZE'
  | 'REFERRAL'
  | 'SASL'
  | 'TRANSITION-NEEDED'
  | 'TRYLATER'
  | 'ACTIVE'
  | 'NONEXISTENT'
  | 'ALREADYEXISTS'
  | 'TAG'
  | 'WARNINGS';

const QUOTABLE = /^[^"\\\r\n\0]{0,1024}$/;

/** A string as the server writes it. */
export function encodeString(value: string): string {
  if (QUOTABLE.test(value)) return `"${value}"`;
  return `{${Buffer.byteLength(value, 'utf8')}}\r\n${value}`;
}

export function response(status: 'OK' | 'NO' | 'BYE', text?: string, code?: ResponseCode, codeArg?: string): Buffer {
  let line = status;
  if (code !== undefined) line += ` (${code}${codeArg === undefined ? '' : ' ' + encodeString(codeArg)})`;
  if (text !== undefined) line += ` ${encodeString(text)}`;
  return Buffer.from(line + '\r\n', 'utf8');
}

/** A command that fails with NO (or BYE) and the given code. */
export class ManageSieveNo extends Error {
  override name = 'ManageSieveNo';
  constructor(
    readonly text: string,
    readonly code?: ResponseCode,
  ) {
    super(text);
  }
}
