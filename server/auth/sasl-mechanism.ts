/**
 * The contract every SASL mechanism (RFC 4422) implements, shared by sasl.ts (PLAIN, LOGIN,
 * startMechanism) and scram.ts (SCRAM-SHA-256), and the typed SaslError.
 *
 * A mechanism is a protocol-agnostic step machine. The protocol (SMTP AUTH, IMAP AUTHENTICATE, POP3
 * AUTH) strips its framing and base64, hands the client's bytes to `start`/`step`, and sends back what
 * the machine returns. Invariants:
 * - `start` is called once, first; `initialResponse` is undefined when the client sent none and an
 *   empty Buffer when it sent an empty one (IMAP `=`, SMTP `AUTH X =`): RFC 4422 §4 tells them apart.
 * - After a terminal step (`credentials` or `outcome`), a SaslError, or `cancel()`, every further
 *   call throws SaslError('unexpected-response'): a machine never runs twice.
 * - Malformed client input is a SaslError with a reason, mapped to the wire by the protocol
 *   (IMAP BAD, SMTP 501, POP3 -ERR); a wrong password is not an error but an outcome.
 */
export type SaslMechanismName = 'PLAIN' | 'LOGIN' | 'SCRAM-SHA-256';

export interface Credentials {
  username: string;
  password: string;
  /** The identity to act as (RFC 4422 §3.4.1), when the client named one other than `username`. */
  authzid?: string;
}

export type SaslStep =
  /** Send to the client and pass its answer to `step`. */
  | { type: 'challenge'; challenge: Buffer }
  /** PLAIN and LOGIN end here: the caller checks the password (auth.verify). */
  | { type: 'credentials'; credentials: Credentials }
  /**
   * Mechanisms that check the proof themselves (SCRAM) end here. `additionalData` is RFC 4422's
   * "additional data with success" (SCRAM's server signature); protocols that cannot carry it on
   * their success reply send it as one more challenge and expect an empty response.
   */
  | { type: 'outcome'; ok: true; username: string; authzid?: string; additionalData: Buffer }
  | { type: 'outcome'; ok: false; username: string };

export interface SaslMechanism {
  readonly name: SaslMechanismName;
  start(initialResponse?: Buffer): Promise<SaslStep>;
  step(response: Buffer): Promise<SaslStep>;
  /** The client cancelled (`*`): ends the machine and returns the error for the protocol to report. */
  cancel(): SaslError;
}

export type SaslErrorReason =
  | 'unsupported-mechanism'
  | 'malformed'
  | 'too-long'
  | 'channel-binding-unsupported'
  | 'unsupported-extension'
  | 'unexpected-response'
  | 'cancelled';

export class SaslError extends Error {
  override readonly name = 'SaslError';

  constructor(
    readonly reason: SaslErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** Upper bound on one client response; real ones are a few hundred bytes. */
export const MAX_SASL_RESPONSE_BYTES = 8192;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a client-supplied field as UTF-8, refusing invalid sequences instead of replacing them. */
export function decodeUtf8(bytes: Uint8Array, field: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new SaslError('malformed', `${field} is not valid UTF-8`);
  }
}

export function checkResponseSize(response: Buffer): void {
  if (response.length > MAX_SASL_RESPONSE_BYTES) {
    throw new SaslError('too-long', `SASL response longer than ${MAX_SASL_RESPONSE_BYTES} bytes`);
  }
}
