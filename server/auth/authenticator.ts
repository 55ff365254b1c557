/**
 * The one credential check for SMTP, IMAP, POP3 and the admin login: `verify(credentials, context)`
 * for passwords (PLAIN, LOGIN, IMAP LOGIN, POP3 USER/PASS) and `startSasl(mechanism, context)`,
 * which runs a SASL mechanism to an AuthResult (PLAIN and LOGIN end in verify; SCRAM-SHA-256 checks
 * its proof against the account's SCRAM secret).
 *
 * Invariants:
 * - Throttling first: a banned source is refused without touching the password (accounts are never
 *   banned, see throttle.ts); otherwise the throttle's delay is waited out before the answer. Failures (unknown user, wrong password,
 *   unusable stored hash) count; a right password on a disabled account does not.
 * - An unknown user costs one hash verification against a dummy hash from the same hasher, so
 *   response time does not reveal which addresses exist.
 * - A disabled account is refused only after its password checked out, so "disabled" is never an
 *   answer to a guess.
 * - On success with a legacy or weaker hash (needsRehash), the password is rehashed with the strong
 *   scheme and a new SCRAM secret derived; both are stored together. A store that returns
 *   `scramSecret: null` gets its missing secret derived the same way. A failed rehash is logged
 *   and does not fail the login.
 * - An authzid (act as another user, PLAIN or SCRAM) is honoured only after the authcid's password
 *   checked out, only for a master user, and only as an existing active account; otherwise the
 *   result is `not-authorized` (not a throttle failure: the password was right). Same rule for
 *   every protocol, so SMTP, IMAP, POP3 and ManageSieve agree.
 * - Log events (stable names the GUI filters on): `auth.ok` (with `masterUser` when acting as
 *   another), `auth.fail` (reason `unknown-user`, `bad-password`, `unusable-hash`,
 *   `no-scram-secret`, `disabled`, `authzid-not-allowed`, `authzid-unknown`), `auth.blocked` (attempt
 *   refused by a block), `auth.block` (a block begins), `auth.rehash`, `auth.rehash-failed`. Fields
 *   never include the password or a hash.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { HashFormatError } from './hash-format-error.js';
import { hashSchemeOf, type PasswordHasher, type VerifyResult } from './password-hash.js';
import { SaslError, startMechanism, type Credentials, type SaslMechanismName, type SaslStep } from './sasl.js';
import { deriveScramSecret, parseScramSecret, serializeScramSecret, type ScramSecret } from './scram.js';
import { preparedOrAsIs } from './saslprep.js';
import type { Throttle, ThrottleDecision } from './throttle.js';

export interface LoginAccount {
  id: number;
  address: string;
  passwordHash: string;
  active: boolean;
  /**
   * serializeScramSecret() output. null: none stored yet, derived at the next password login;
   * undefined: the store does not keep SCRAM secrets (SCRAM logins then always fail).
   */
  scramSecret?: string | null;
}

export interface AuthAccountStore {
  /** address is user@domain as typed; lookup is case-insensitive (store does it). */
  findLoginAccount(address: string): Promise<LoginAccount | undefined>;
  updatePasswordHash(id: number, passwordHash: string, scramSecret: string): Promise<void>;
  recordLogin(id: number, at: number): Promise<void>;
  /** Whether the account may act as another user (SASL authzid): a master user. */
  isMasterUser(id: number): Promise<boolean>;
}

export interface AuthContext {
  protocol: 'smtp' | 'imap' | 'pop3' | 'admin';
  remoteIp: string;
  secure: boolean;
}

/** `masterUser`: the authenticated master user's address when it acts as `address` (SASL authzid). */
export type AuthResult =
  | { ok: true; accountId: number; address: string; masterUser?: string }
  | { ok: false; reason: 'invalid' | 'disabled' | 'blocked' | 'not-authorized'; retryAfterMs?: number };

/**
 * Recently verified passwords, as Dovecot's auth_cache: a login with the same password against the
 * same stored hash within the TTL skips the deliberately slow KDF (IMAP clients log in on every
 * connection). Keys are HMACs under a per-process random key, so the cache never holds a password;
 * a password change or rehash changes the stored hash, so old entries can no longer match.
 */
export const AUTH_CACHE_TTL_MS = 10 * 60_000;
export const AUTH_CACHE_MAX_ENTRIES = 10_000;

export interface AuthenticatorDeps {
  store: AuthAccountStore;
  hasher: PasswordHasher;
  /** Keys SCRAM's made-up salts for unknown users; kept in the store (stored-key.ts) so they survive restarts. */
  unknownUserKey: Uint8Array;
  throttle: Throttle;
  clock: { now(): number };
  /** How long a verified password is remembered (0: not at all). Default AUTH_CACHE_TTL_MS. */
  cacheTtlMs?: number;
  log?: (event: string, fields: Record<string, unknown>) => void;
  sleep?: (ms: number) => Promise<void>;
}

export type SaslExchangeStep = { type: 'challenge'; challenge: Buffer } | { type: 'done'; result: AuthResult };

/**
 * A SASL exchange that ends in an AuthResult. Same calling rules as SaslMechanism: `start` once
 * (initialResponse undefined when the client sent none), then `step` per client response;
 * malformed input throws SaslError. SCRAM's server signature arrives as a last challenge, answered
 * by an empty response, since none of SMTP, IMAP4rev1 and POP3 carries data on success.
 */
export interface SaslExchange {
  readonly mechanism: SaslMechanismName;
  start(initialResponse?: Buffer): Promise<SaslExchangeStep>;
  step(response: Buffer): Promise<SaslExchangeStep>;
  cancel(): SaslError;
}

export interface Authenticator {
  /** `credentials.authzid`: act as that user, which only a master user may (else `not-authorized`). */
  verify(credentials: Credentials, context: AuthContext): Promise<AuthResult>;
  /** Throws SaslError('unsupported-mechanism') for a name it does not know. */
  startSasl(mechanism: string, context: AuthContext): SaslExchange;
}

type Fields = Record<string, unknown>;
/** The reason every protocol gives for `not-authorized`. */
export const AUTHZID_REFUSED_TEXT = 'Authorization identity rejected: only a master user may act as another user';
const INVALID: AuthResult = { ok: false, reason: 'invalid' };
const DISABLED: AuthResult = { ok: false, reason: 'disabled' };
const NOT_AUTHORIZED: AuthResult = { ok: false, reason: 'not-authorized' };

export function createAuthenticator(deps: AuthenticatorDeps): Authenticator {
  const { store, hasher, throttle, clock } = deps;
  const log = deps.log ?? (() => {});
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let dummyHash: Promise<string> | undefined;
  const cacheTtl = deps.cacheTtlMs ?? AUTH_CACHE_TTL_MS;
  const cacheKey = randomBytes(32);
  /** HMAC of (account, stored hash, password) → expiry; Map order is insertion order, oldest first. */
  const verified = new Map<string, number>();
  const cacheId = (account: LoginAccount, password: string) =>
    createHmac('sha256', cacheKey).update(`${account.id}\0${account.passwordHash}\0${password}`).digest('base64');
  const remember = (id: string) => {
    if (cacheTtl <= 0) return;
    verified.delete(id);
    verified.set(id, clock.now() + cacheTtl);
    for (const oldest of verified.keys()) {
      if (verified.size <= AUTH_CACHE_MAX_ENTRIES) break;
      verified.delete(oldest);
    }
  };

  /** Applies a throttle decision: the blocked result, or undefined after waiting out the delay. */
  async function admit(decision: ThrottleDecision, fields: Fields): Promise<AuthResult | undefined> {
    if (decision.blocked) {
      log('auth.blocked', { ...fields, key: decision.key, until: decision.until });
      return { ok: false, reason: 'blocked', retryAfterMs: Math.max(0, decision.until - clock.now()) };
    }
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    return undefined;
  }

  function failed(ctx: AuthContext, username: string, fields: Fields): AuthResult {
    const imposed = throttle.fail(ctx.remoteIp, username);
    log('auth.fail', fields);
    for (const block of imposed) log('auth.block', { key: block.key, until: block.until, failures: block.failures });
    return INVALID;
  }

  async function succeeded(account: LoginAccount, ctx: AuthContext, username: string, fields: Fields, authzid?: string): Promise<AuthResult> {
    throttle.succeed(ctx.remoteIp, username);
    await store.recordLogin(account.id, clock.now());
    // An empty authzid or the authcid itself (as SMTP's AUTH parser may pass it) is no request to act as another.
    if (authzid && authzid.toLowerCase() !== username.toLowerCase()) return actAs(account, authzid, fields);
    log('auth.ok', { ...fields, accountId: account.id });
    return { ok: true, accountId: account.id, address: account.address };
  }

  /** The authcid's password checked out; it acts as `authzid` only as a master user, and only as an active account. */
  async function actAs(master: LoginAccount, authzid: string, fields: Fields): Promise<AuthResult> {
    const refuse = (reason: string): AuthResult => {
      log('auth.fail', { ...fields, accountId: master.id, authzid, reason });
      return NOT_AUTHORIZED;
    };
    if (!(await store.isMasterUser(master.id))) return refuse('authzid-not-allowed');
    const target = await store.findLoginAccount(authzid);
    if (!target?.active) return refuse('authzid-unknown');
    log('auth.ok', { ...fields, accountId: target.id, masterUser: master.address });
    return { ok: true, accountId: target.id, address: target.address, masterUser: master.address };
  }

  async function upgrade(account: LoginAccount, password: string, verdict: VerifyResult): Promise<void> {
    if (!verdict.needsRehash && account.scramSecret !== null) return;
    try {
      const passwordHash = verdict.needsRehash ? await hasher.hash(preparedOrAsIs(password)) : account.passwordHash;
      const scramSecret = serializeScramSecret(await deriveScramSecret(password));
      await store.updatePasswordHash(account.id, passwordHash, scramSecret);
      log('auth.rehash', { accountId: account.id, from: hashSchemeOf(account.passwordHash), to: hashSchemeOf(passwordHash) });
    } catch (error) {
      log('auth.rehash-failed', { accountId: account.id, error: error instanceof Error ? error.message : String(error) });
    }
  }

  async function verifyPassword(credentials: Credentials, ctx: AuthContext, mechanism?: SaslMechanismName): Promise<AuthResult> {
    const { username, password, authzid } = credentials;
    const fields: Fields = { protocol: ctx.protocol, remoteIp: ctx.remoteIp, username, ...(mechanism && { mechanism }) };
    const refused = await admit(await throttle.checkLogin(ctx.remoteIp, username), fields);
    if (refused) return refused;

    const account = await store.findLoginAccount(username);
    if (!account) {
      dummyHash ??= hasher.hash(randomBytes(18).toString('base64'));
      await hasher.verify(await dummyHash, password);
      return failed(ctx, username, { ...fields, reason: 'unknown-user' });
    }
    const id = cacheId(account, password);
    const until = verified.get(id);
    let verdict: VerifyResult;
    if (until !== undefined && until > clock.now()) {
      verdict = { ok: true, needsRehash: false };
    } else {
      verified.delete(id);
      try {
        // RFC 4616 §2: compare prepared strings. A hash made before passwords were prepared (or
        // imported from a server that does not prepare them) is of the password as typed: tried
        // second, and replaced by the prepared one when it matches.
        const prepared = preparedOrAsIs(password);
        verdict = await hasher.verify(account.passwordHash, prepared);
        if (!verdict.ok && prepared !== password) {
          verdict = await hasher.verify(account.passwordHash, password);
          if (verdict.ok) verdict = { ...verdict, needsRehash: true };
        }
      } catch (error) {
        if (!(error instanceof HashFormatError)) throw error;
        return failed(ctx, username, { ...fields, accountId: account.id, reason: 'unusable-hash', scheme: error.scheme, detail: error.message });
      }
      if (!verdict.ok) return failed(ctx, username, { ...fields, accountId: account.id, reason: 'bad-password' });
      // A hash about to be replaced by the rehash below would never match again: not worth keeping.
      if (!verdict.needsRehash) remember(id);
    }
    if (!account.active) {
      log('auth.fail', { ...fields, accountId: account.id, reason: 'disabled' });
      return DISABLED;
    }
    await upgrade(account, password, verdict);
    return succeeded(account, ctx, username, fields, authzid);
  }

  function readScramSecret(account: LoginAccount): ScramSecret | undefined {
    if (!account.scramSecret) return undefined;
    try {
      return parseScramSecret(account.scramSecret);
    } catch (error) {
      if (!(error instanceof HashFormatError)) throw error;
      log('auth.fail', { accountId: account.id, reason: 'unusable-hash', scheme: 'SCRAM-SHA-256', detail: error.message });
      return undefined;
    }
  }

  function startSasl(name: string, ctx: AuthContext): SaslExchange {
    let lookup: { decision: ThrottleDecision; account?: LoginAccount; secret?: ScramSecret } | undefined;
    let pendingSuccess: AuthResult | undefined;

    const mechanism = startMechanism(name, {
      unknownUserKey: deps.unknownUserKey,
      async lookupScram(username) {
        const decision = await throttle.checkLogin(ctx.remoteIp, username);
        const account = decision.blocked ? undefined : await store.findLoginAccount(username);
        const secret = account && readScramSecret(account);
        lookup = { decision, account, secret };
        return secret;
      },
    });

    async function concludeScram(step: Extract<SaslStep, { type: 'outcome' }>): Promise<AuthResult> {
      const fields: Fields = { protocol: ctx.protocol, remoteIp: ctx.remoteIp, username: step.username, mechanism: mechanism.name };
      if (!lookup) throw new Error('SCRAM outcome without a secret lookup');
      const { decision, account, secret } = lookup;
      const refused = await admit(decision, fields);
      if (refused) return refused;
      if (!account) return failed(ctx, step.username, { ...fields, reason: 'unknown-user' });
      if (!secret) {
        // Not a guess: the account has no secret to guess against. Counting it would only lock out
        // an owner whose client insists on SCRAM before their first password login.
        log('auth.fail', { ...fields, accountId: account.id, reason: 'no-scram-secret' });
        return INVALID;
      }
      if (!step.ok) return failed(ctx, step.username, { ...fields, accountId: account.id, reason: 'bad-password' });
      if (!account.active) {
        log('auth.fail', { ...fields, accountId: account.id, reason: 'disabled' });
        return DISABLED;
      }
      return succeeded(account, ctx, step.username, fields, step.authzid);
    }

    async function conclude(step: SaslStep): Promise<SaslExchangeStep> {
      switch (step.type) {
        case 'challenge':
          return step;
        case 'credentials':
          return { type: 'done', result: await verifyPassword(step.credentials, ctx, mechanism.name) };
        case 'outcome': {
          const result = await concludeScram(step);
          if (!result.ok || !step.ok) return { type: 'done', result };
          pendingSuccess = result;
          return { type: 'challenge', challenge: step.additionalData };
        }
      }
    }

    return {
      mechanism: mechanism.name,
      start: async (initialResponse) => conclude(await mechanism.start(initialResponse)),
      async step(response) {
        if (!pendingSuccess) return conclude(await mechanism.step(response));
        const result = pendingSuccess;
        pendingSuccess = undefined;
        if (response.length > 0) throw new SaslError('malformed', 'expected an empty response to the server signature');
        return { type: 'done', result };
      },
      cancel() {
        pendingSuccess = undefined;
        return mechanism.cancel();
      },
    };
  }

  return { verify: (credentials, ctx) => verifyPassword(credentials, ctx), startSasl };
}
