// The admin login of the headless admin: one admin password (set in the first-run wizard) and the
// one-time setup token that lets the first visitor in before any password exists.
//
// Invariants:
// - The password is kept only as a hash from the server's password hasher, in the settings row
//   ADMIN_PASSWORD_KEY of the store (so it is backed up with everything else). That key is not a
//   Settings field, so getSettings/updateSettings can neither show nor change it.
// - A setup token exists only while no admin password is set. It is random per start, valid once:
//   redeeming it (or setting the password) forgets it, and a server restart makes a new one.
// - Password and setup-token checks go through the server's one auth throttle under the account name
//   ADMIN_THROTTLE_ACCOUNT, like mail logins: the guessing source is delayed, then banned; failures
//   against the admin from many sources only slow those sources down, so the owner can always log
//   in from a clean address (issue 11 §2).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { PasswordHasher } from '../auth/password-hash.js';

export const ADMIN_PASSWORD_KEY = 'admin.passwordHash';
/** The throttle's account name for the admin login; no mail account can be named like this. */
export const ADMIN_THROTTLE_ACCOUNT = '@admin';
export const ADMIN_PASSWORD_MIN = 10;
export const ADMIN_PASSWORD_MAX = 1024;

/** Reads are synchronous (settings-cache.ts holds the rows); writes resolve after commit. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

export interface AdminLogin {
  hasPassword(): boolean;
  /** The one-time setup token while no password is set; undefined once one is. */
  setupToken(): string | undefined;
  /** True once for the right token while no password is set; then the token is gone. */
  redeemSetupToken(given: string): boolean;
  verify(password: string): Promise<boolean>;
  /** Sets (or replaces) the password; throws PasswordRuleError when it breaks the rules. */
  setPassword(password: string): Promise<void>;
}

export class PasswordRuleError extends Error {
  override name = 'PasswordRuleError';
}

export function checkAdminPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length < ADMIN_PASSWORD_MIN) {
    throw new PasswordRuleError(`The admin password must have at least ${ADMIN_PASSWORD_MIN} characters.`);
  }
  if (password.length > ADMIN_PASSWORD_MAX) throw new PasswordRuleError(`The admin password may have at most ${ADMIN_PASSWORD_MAX} characters.`);
  return password;
}

export function createAdminLogin(deps: { settings: KeyValueStore; hasher: PasswordHasher }): AdminLogin {
  const stored = () => {
    const value = deps.settings.get(ADMIN_PASSWORD_KEY);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  let setupToken: string | undefined = stored() === undefined ? randomBytes(24).toString('base64url') : undefined;

  return {
    hasPassword: () => stored() !== undefined,
    setupToken: () => (stored() === undefined ? setupToken : undefined),
    redeemSetupToken(given) {
      if (setupToken === undefined || stored() !== undefined) return false;
      const a = Buffer.from(given);
      const b = Buffer.from(setupToken);
      if (a.length !== b.length || !timingSafeEqual(a, b)) return false;
      setupToken = undefined;
      return true;
    },
    async verify(password) {
      const hash = stored();
      if (hash === undefined) return false;
      try {
        const result = await deps.hasher.verify(hash, password);
        if (result.ok && result.needsRehash) await deps.settings.set(ADMIN_PASSWORD_KEY, await deps.hasher.hash(password));
        return result.ok;
      } catch {
        return false; // a damaged row: nobody can log in until the password is reset
      }
    },
    async setPassword(password) {
      const hash = await deps.hasher.hash(checkAdminPassword(password));
      await deps.settings.set(ADMIN_PASSWORD_KEY, hash);
      setupToken = undefined;
    },
  };
}
