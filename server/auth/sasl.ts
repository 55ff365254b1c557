/**
 * SASL mechanisms for SMTP AUTH, IMAP AUTHENTICATE and POP3 AUTH: PLAIN (RFC 4616), LOGIN (the
 * de-facto "Username:"/"Password:" exchange, draft-murchison-sasl-login) and SCRAM-SHA-256
 * (scram.ts), behind one `startMechanism(name, ctx)`. The contract is in sasl-mechanism.ts.
 *
 * Invariants:
 * - PLAIN and LOGIN end in `credentials`, checked by the one auth.verify; SCRAM checks its proof
 *   against the stored secret and ends in an `outcome`.
 * - PLAIN passes on an authzid that differs from the authcid (compared case-insensitively, as
 *   account lookup is) in `credentials.authzid`; whether the authcid may act as it (a master user)
 *   is the authenticator's decision, never ignored.
 * - Fields are strict UTF-8 and may not contain NUL; empty authcid or password is malformed
 *   (RFC 4616 §2: 1*SAFE).
 */
import {
  SaslError,
  checkResponseSize,
  decodeUtf8,
  type Credentials,
  type SaslMechanism,
  type SaslMechanismName,
  type SaslStep,
} from './sasl-mechanism.js';
import { createScramSha256Server, type ScramLookup } from './scram.js';

export { SaslError, type Credentials, type SaslMechanism, type SaslMechanismName, type SaslStep } from './sasl-mechanism.js';
export type { SaslErrorReason } from './sasl-mechanism.js';

/** Mechanisms in the order a server should advertise them (strongest first). */
export const SASL_MECHANISMS: readonly SaslMechanismName[] = ['SCRAM-SHA-256', 'PLAIN', 'LOGIN'];

export type SaslContext = ScramLookup;

const LOGIN_USERNAME_PROMPT = Buffer.from('Username:', 'ascii');
const LOGIN_PASSWORD_PROMPT = Buffer.from('Password:', 'ascii');

function field(bytes: Buffer, name: string): string {
  const text = decodeUtf8(bytes, name);
  if (text === '') throw new SaslError('malformed', `empty ${name}`);
  if (text.includes('\0')) throw new SaslError('malformed', `${name} contains NUL`);
  return text;
}

/** PLAIN message: [authzid] NUL authcid NUL passwd. */
function parsePlain(message: Buffer): Credentials {
  checkResponseSize(message);
  const first = message.indexOf(0);
  const second = first < 0 ? -1 : message.indexOf(0, first + 1);
  if (second < 0 || message.indexOf(0, second + 1) >= 0) {
    throw new SaslError('malformed', 'PLAIN message must be authzid NUL authcid NUL password');
  }
  const authzid = decodeUtf8(message.subarray(0, first), 'authzid');
  const username = field(message.subarray(first + 1, second), 'authcid');
  const password = field(message.subarray(second + 1), 'password');
  const other = authzid !== '' && authzid.toLowerCase() !== username.toLowerCase();
  return { username, password, ...(other && { authzid }) };
}

/**
 * Builds a machine from a sequence of step handlers: the nth client response goes to the nth
 * handler. Ends the machine on a terminal step, an error or cancel().
 */
function sequence(name: SaslMechanismName, initialChallenge: Buffer, handlers: ((response: Buffer) => SaslStep)[]): SaslMechanism {
  let next = -1; // -1: not started; handlers.length: finished
  const run = (response: Buffer): Promise<SaslStep> => {
    const handler = handlers[next];
    if (!handler) {
      next = handlers.length;
      return Promise.reject(new SaslError('unexpected-response', `no ${name} step expected`));
    }
    try {
      checkResponseSize(response);
      const step = handler(response);
      next = step.type === 'challenge' ? next + 1 : handlers.length;
      return Promise.resolve(step);
    } catch (error) {
      next = handlers.length;
      return Promise.reject(error);
    }
  };
  return {
    name,
    start(initialResponse) {
      if (next !== -1) return Promise.reject(new SaslError('unexpected-response', `${name} exchange already started`));
      next = 0;
      return initialResponse === undefined ? Promise.resolve({ type: 'challenge', challenge: initialChallenge }) : run(initialResponse);
    },
    step: (response) => (next === -1 ? Promise.reject(new SaslError('unexpected-response', `${name} not started`)) : run(response)),
    cancel() {
      next = handlers.length;
      return new SaslError('cancelled', 'authentication cancelled by the client');
    },
  };
}

function createPlain(): SaslMechanism {
  return sequence('PLAIN', Buffer.alloc(0), [(message) => ({ type: 'credentials', credentials: parsePlain(message) })]);
}

function createLogin(): SaslMechanism {
  let username = '';
  return sequence('LOGIN', LOGIN_USERNAME_PROMPT, [
    (response) => {
      username = field(response, 'username');
      return { type: 'challenge', challenge: LOGIN_PASSWORD_PROMPT };
    },
    (response) => ({ type: 'credentials', credentials: { username, password: field(response, 'password') } }),
  ]);
}

/** Starts a mechanism by its (case-insensitive) name; an unknown one is SaslError('unsupported-mechanism'). */
export function startMechanism(name: string, ctx: SaslContext): SaslMechanism {
  switch (name.toUpperCase()) {
    case 'PLAIN':
      return createPlain();
    case 'LOGIN':
      return createLogin();
    case 'SCRAM-SHA-256':
      return createScramSha256Server(ctx);
    default:
      throw new SaslError('unsupported-mechanism', `unsupported SASL mechanism ${name.slice(0, 40)}`);
  }
}
