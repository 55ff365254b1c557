/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677): the per-account secret derived whenever a password is set, and
 * the server side of the SASL mechanism, which authenticates against that secret alone.
 *
 * Invariants and choices:
 * - The secret is what RFC 5802 §3 lets a server keep: salt, iteration count, StoredKey and
 *   ServerKey, never the password or SaltedPassword. Serialized in Dovecot's own format,
 *   `{SCRAM-SHA-256}<iterations>,<salt b64>,<StoredKey b64>,<ServerKey b64>`, so a Dovecot
 *   `{SCRAM-SHA-256}` password imports unchanged and ours could be exported to Dovecot.
 * - Passwords go through SASLprep (RFC 4013, saslprep.ts) before key derivation, as RFC 5802 §2.2
 *   asks; a password SASLprep refuses cannot be set, and presented at login it matches nothing.
 *   Secrets derived before SASLprep (with NFKC only) differ only for passwords holding non-ASCII
 *   spaces or characters SASLprep maps to nothing; the next password login re-derives them.
 * - Channel binding is not offered (no SCRAM-SHA-256-PLUS): a client asking for it (`p=`) is
 *   refused; `y` (client could bind, thinks we cannot) is accepted since we do not advertise -PLUS.
 * - An unknown user (or one without a secret yet) runs the whole exchange against a fake secret
 *   whose salt is an HMAC of the username under `unknownUserKey`, a key kept in the store: stable
 *   per username and across restarts, so the server-first message does not reveal whether the
 *   account exists; the proof then simply fails.
 * - Proofs are compared with timingSafeEqual.
 * - A GS2 authzid other than the username is passed on in the outcome; whether the user may act as
 *   it (a master user) is the authenticator's decision.
 */
import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { HashFormatError } from './hash-format-error.js';
import { PasswordPrepError, preparePassword, preparedOrAsIs } from './saslprep.js';
import {
  SaslError,
  checkResponseSize,
  decodeUtf8,
  type SaslMechanism,
  type SaslStep,
} from './sasl-mechanism.js';
import { decodeBase64 } from './strict-base64.js';

const pbkdf2Async = promisify(pbkdf2);

/** RFC 7677 §4: at least 4096 iterations. */
export const SCRAM_ITERATIONS_DEFAULT = 4096;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const SERVER_NONCE_BYTES = 18;
const SCRAM_PREFIX = '{SCRAM-SHA-256}';

/** All fields base64 (standard alphabet, padded), as they appear on the wire and in the column. */
export interface ScramSecret {
  salt: string;
  iterations: number;
  storedKey: string;
  serverKey: string;
}


const hmac = (key: Uint8Array, text: string | Buffer) => createHmac('sha256', key).update(text).digest();
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

export async function deriveScramSecret(
  password: string,
  options: { iterations?: number; salt?: Buffer } = {},
): Promise<ScramSecret> {
  const iterations = options.iterations ?? SCRAM_ITERATIONS_DEFAULT;
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError('SCRAM iterations must be a positive integer');
  const salt = options.salt ?? randomBytes(SALT_BYTES);
  const saltedPassword = await pbkdf2Async(Buffer.from(preparePassword(password), 'utf8'), salt, iterations, KEY_BYTES, 'sha256');
  return {
    salt: salt.toString('base64'),
    iterations,
    storedKey: sha256(hmac(saltedPassword, 'Client Key')).toString('base64'),
    serverKey: hmac(saltedPassword, 'Server Key').toString('base64'),
  };
}

export function serializeScramSecret(secret: ScramSecret): string {
  return `${SCRAM_PREFIX}${secret.iterations},${secret.salt},${secret.storedKey},${secret.serverKey}`;
}

/** Parses serializeScramSecret's output (or Dovecot's); a damaged value throws HashFormatError. */
export function parseScramSecret(text: string): ScramSecret {
  if (text.slice(0, SCRAM_PREFIX.length).toUpperCase() !== SCRAM_PREFIX) {
    throw new HashFormatError('malformed', 'SCRAM-SHA-256', `secret does not start with ${SCRAM_PREFIX}`);
  }
  const fields = text.slice(SCRAM_PREFIX.length).split(',');
  const [iterationsText, salt, storedKey, serverKey] = fields;
  const iterations = Number(iterationsText);
  const valid =
    fields.length === 4 &&
    /^[1-9][0-9]{0,8}$/.test(iterationsText) &&
    (decodeBase64(salt)?.length ?? 0) > 0 &&
    decodeBase64(storedKey)?.length === KEY_BYTES &&
    decodeBase64(serverKey)?.length === KEY_BYTES;
  if (!valid) throw new HashFormatError('malformed', 'SCRAM-SHA-256', 'expected <iterations>,<salt>,<StoredKey>,<ServerKey>');
  return { salt, iterations, storedKey, serverKey };
}

/** True when `password` derives `secret`'s StoredKey: lets an imported SCRAM secret check a plain password. */
export async function verifyPasswordAgainstScram(secret: ScramSecret, password: string): Promise<boolean> {
  let derived: ScramSecret;
  try {
    derived = await deriveScramSecret(password, { iterations: secret.iterations, salt: Buffer.from(secret.salt, 'base64') });
  } catch (error) {
    if (error instanceof PasswordPrepError) return false;
    throw error;
  }
  return timingSafeEqual(Buffer.from(derived.storedKey, 'base64'), Buffer.from(secret.storedKey, 'base64'));
}

export interface ScramLookup {
  /** The account's secret, or undefined for an unknown account or one without a secret. */
  lookupScram(username: string): Promise<ScramSecret | undefined>;
  /** Keys the fake salt of unknown users; must be the same across restarts (server/auth/stored-key.ts). */
  readonly unknownUserKey: Uint8Array;
}

function fakeSecret(key: Uint8Array, username: string): ScramSecret {
  return {
    salt: hmac(key, username).subarray(0, SALT_BYTES).toString('base64'),
    iterations: SCRAM_ITERATIONS_DEFAULT,
    storedKey: randomBytes(KEY_BYTES).toString('base64'),
    serverKey: randomBytes(KEY_BYTES).toString('base64'),
  };
}

/** RFC 5802 saslname: `=2C` and `=3D` are the only escapes; a bare `=` is malformed. */
function decodeSaslName(value: string, field: string): string {
  if (value === '' || /=(?!2C|3D)/.test(value)) throw new SaslError('malformed', `bad ${field} in SCRAM message`);
  return value.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

const NONCE = /^[\x21-\x2b\x2d-\x7e]+$/;

interface ClientFirst {
  gs2Header: string;
  bare: string;
  username: string;
  /** The GS2 header's authzid when it names someone other than `username`. */
  authzid?: string;
  clientNonce: string;
}

function parseClientFirst(message: string): ClientFirst {
  // gs2-header = gs2-cbind-flag "," [ authzid ] ","
  const flagEnd = message.indexOf(',');
  const authzEnd = message.indexOf(',', flagEnd + 1);
  if (flagEnd < 0 || authzEnd < 0) throw new SaslError('malformed', 'SCRAM client-first message has no GS2 header');
  const flag = message.slice(0, flagEnd);
  const authz = message.slice(flagEnd + 1, authzEnd);
  if (flag.startsWith('p=')) throw new SaslError('channel-binding-unsupported', 'channel binding is not supported (no SCRAM-SHA-256-PLUS)');
  if (flag !== 'n' && flag !== 'y') throw new SaslError('malformed', 'bad GS2 channel-binding flag');
  if (authz !== '' && !authz.startsWith('a=')) throw new SaslError('malformed', 'bad authzid in GS2 header');

  const bare = message.slice(authzEnd + 1);
  const [userAttr, nonceAttr] = bare.split(',');
  if (userAttr?.startsWith('m=')) throw new SaslError('unsupported-extension', 'SCRAM mandatory extension not supported');
  if (!userAttr?.startsWith('n=') || !nonceAttr?.startsWith('r=')) {
    throw new SaslError('malformed', 'SCRAM client-first message needs n= and r=');
  }
  const username = preparedOrAsIs(decodeSaslName(userAttr.slice(2), 'username'));
  const clientNonce = nonceAttr.slice(2);
  if (!NONCE.test(clientNonce)) throw new SaslError('malformed', 'bad SCRAM client nonce');
  const authzid = authz === '' ? '' : preparedOrAsIs(decodeSaslName(authz.slice(2), 'authzid'));
  const other = authzid !== '' && authzid.toLowerCase() !== username.toLowerCase();
  return { gs2Header: message.slice(0, authzEnd + 1), bare, username, ...(other && { authzid }), clientNonce };
}

interface ClientFinal {
  channelBinding: Buffer;
  nonce: string;
  withoutProof: string;
  proof: Buffer;
}

function parseClientFinal(message: string): ClientFinal {
  const proofAt = message.lastIndexOf(',p=');
  const attrs = message.split(',');
  if (proofAt < 0 || !attrs[0]?.startsWith('c=') || !attrs[1]?.startsWith('r=')) {
    throw new SaslError('malformed', 'SCRAM client-final message needs c=, r= and p=');
  }
  const channelBinding = decodeBase64(attrs[0].slice(2));
  const proof = decodeBase64(message.slice(proofAt + 3));
  if (!channelBinding || proof?.length !== KEY_BYTES) throw new SaslError('malformed', 'bad base64 in SCRAM client-final message');
  return { channelBinding, nonce: attrs[1].slice(2), withoutProof: message.slice(0, proofAt), proof };
}

/**
 * The server side of SCRAM-SHA-256, authenticating against secrets from `lookupScram` only.
 * `serverNonce` exists so tests can replay RFC 7677's example exchange; production uses random bytes.
 */
export function createScramSha256Server(deps: ScramLookup & { serverNonce?: () => string }): SaslMechanism {
  const serverNonce = deps.serverNonce ?? (() => randomBytes(SERVER_NONCE_BYTES).toString('base64'));
  type State =
    | { phase: 'new' }
    | { phase: 'await-first' }
    | { phase: 'await-final'; first: ClientFirst; serverFirst: string; nonce: string; secret: ScramSecret; known: boolean }
    | { phase: 'done' };
  let state: State = { phase: 'new' };

  async function onClientFirst(response: Buffer): Promise<SaslStep> {
    checkResponseSize(response);
    const first = parseClientFirst(decodeUtf8(response, 'SCRAM client-first message'));
    const found = await deps.lookupScram(first.username);
    const secret = found ?? fakeSecret(deps.unknownUserKey, first.username);
    const nonce = first.clientNonce + serverNonce();
    const serverFirst = `r=${nonce},s=${secret.salt},i=${secret.iterations}`;
    state = { phase: 'await-final', first, serverFirst, nonce, secret, known: found !== undefined };
    return { type: 'challenge', challenge: Buffer.from(serverFirst, 'utf8') };
  }

  function onClientFinal(response: Buffer, s: Extract<State, { phase: 'await-final' }>): SaslStep {
    checkResponseSize(response);
    const final = parseClientFinal(decodeUtf8(response, 'SCRAM client-final message'));
    if (!final.channelBinding.equals(Buffer.from(s.first.gs2Header, 'utf8'))) {
      throw new SaslError('malformed', 'SCRAM channel-binding data does not match the GS2 header');
    }
    if (final.nonce !== s.nonce) throw new SaslError('malformed', 'SCRAM nonce does not match');
    const authMessage = `${s.first.bare},${s.serverFirst},${final.withoutProof}`;
    const storedKey = Buffer.from(s.secret.storedKey, 'base64');
    const clientSignature = hmac(storedKey, authMessage);
    const clientKey = Buffer.alloc(KEY_BYTES);
    for (let i = 0; i < KEY_BYTES; i++) clientKey[i] = final.proof[i] ^ clientSignature[i];
    const ok = timingSafeEqual(sha256(clientKey), storedKey) && s.known;
    if (!ok) return { type: 'outcome', ok: false, username: s.first.username };
    const serverSignature = hmac(Buffer.from(s.secret.serverKey, 'base64'), authMessage);
    const { username, authzid } = s.first;
    return { type: 'outcome', ok: true, username, ...(authzid && { authzid }), additionalData: Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8') };
  }

  /** Runs one step; any error ends the machine so it can never be resumed half-way. */
  async function guarded(run: () => Promise<SaslStep> | SaslStep): Promise<SaslStep> {
    try {
      const step = await run();
      if (step.type === 'outcome') state = { phase: 'done' };
      return step;
    } catch (error) {
      state = { phase: 'done' };
      throw error;
    }
  }

  return {
    name: 'SCRAM-SHA-256',
    start(initialResponse) {
      if (state.phase !== 'new') return Promise.reject(new SaslError('unexpected-response', 'SCRAM exchange already started'));
      state = { phase: 'await-first' };
      if (initialResponse === undefined) return Promise.resolve({ type: 'challenge', challenge: Buffer.alloc(0) });
      return guarded(() => onClientFirst(initialResponse));
    },
    step(response) {
      const current = state;
      if (current.phase === 'await-first') return guarded(() => onClientFirst(response));
      if (current.phase === 'await-final') return guarded(() => onClientFinal(response, current));
      state = { phase: 'done' };
      return Promise.reject(new SaslError('unexpected-response', 'no SCRAM step expected'));
    },
    cancel() {
      state = { phase: 'done' };
      return new SaslError('cancelled', 'authentication cancelled by the client');
    },
  };
}
