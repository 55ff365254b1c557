// LOGIN and AUTHENTICATE, and the client's lines during an AUTHENTICATE exchange.
//
// Invariant: SASL data leaves this module decoded (Buffers); base64 is checked strictly, because a
// lenient decoder would silently drop characters of a credential.
import { ImapParseError } from '../errors.js';
import type { Reader } from '../tokens.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface LoginArgs {
  readonly username: string;
  readonly password: string;
}

// login = "LOGIN" SP userid SP password; userid = astring; password = astring (RFC 3501 §6.2.3, §9)
export function parseLogin(r: Reader): LoginArgs {
  r.sp('user name');
  const username = r.astring('user name');
  r.sp('password');
  return { username, password: r.astring('password') };
}

export interface AuthenticateArgs {
  /** The SASL mechanism, upper case. */
  readonly mechanism: string;
  /** SASL-IR initial response (`=` is the empty response), or null when none was sent. */
  readonly initialResponse: Buffer | null;
}

// authenticate = "AUTHENTICATE" SP auth-type [SP (base64 / "=")] *(CRLF base64)
// (RFC 3501 §6.2.2, RFC 4959 §7); auth-type = atom
export function parseAuthenticate(r: Reader): AuthenticateArgs {
  r.sp('mechanism');
  const mechanism = r.keyword('mechanism');
  if (r.atEnd()) return { mechanism, initialResponse: null };
  r.sp('initial response');
  const text = r.atom('initial response');
  return { mechanism, initialResponse: text === '=' ? Buffer.alloc(0) : decodeBase64(text) };
}

/**
 * A client line during AUTHENTICATE (RFC 3501 §6.2.2): the decoded response, or null when the client
 * cancelled the exchange with `*`.
 */
export function parseSaslResponse(line: Buffer): Buffer | null {
  const text = line.toString('latin1');
  return text === '*' ? null : decodeBase64(text);
}

function decodeBase64(text: string): Buffer {
  if (!BASE64.test(text)) throw new ImapParseError('Invalid base64');
  return Buffer.from(text, 'base64');
}

/** The line that ends IDLE (RFC 2177 §3): `DONE`, in any case. */
export function isIdleDone(line: Buffer): boolean {
  return line.length === 4 && line.toString('latin1').toUpperCase() === 'DONE';
}
