// STARTTLS and LOGIN (RFC 3501 §6.2.1, §6.2.3), UNAUTHENTICATE (RFC 8437), and the mapping of an
// authentication result to the tagged response that AUTHENTICATE shares.
//
// Rules: LOGIN (and AUTHENTICATE) need TLS unless the client's network is trusted for plaintext
// login (access.ts); otherwise the capability list says LOGINDISABLED and LOGIN gets
// NO [PRIVACYREQUIRED]. The password check, throttling and logging are server/auth's.
import { AUTHZID_REFUSED_TEXT, type AuthResult } from '../../auth/authenticator.js';
import { AUTHENTICATED, NOT_AUTHENTICATED, NO_FLAGS, type CommandSpec, type Completion, type ImapSession } from '../command.js';
import { ImapBad, ImapNo } from '../errors.js';

export const starttls: CommandSpec<'STARTTLS'> = {
  name: 'STARTTLS',
  states: NOT_AUTHENTICATED,
  flags: NO_FLAGS,
  run(session) {
    if (session.secure) throw new ImapBad('TLS is already active');
    if (session.compressed) throw new ImapBad('STARTTLS after COMPRESS is not supported');
    return { text: 'Begin TLS negotiation now', then: 'starttls' };
  },
};

/** Refuses a login attempt before TLS where plaintext login is not allowed. */
export function requireLoginAllowed(session: ImapSession): void {
  if (!session.loginAllowed) throw new ImapNo('Log in over TLS: use STARTTLS first', 'PRIVACYREQUIRED');
}

/** Logs the session in, or throws the NO the result calls for. */
export function concludeLogin(session: ImapSession, result: AuthResult): Completion {
  if (result.ok) {
    session.login({ accountId: result.accountId, address: result.address });
    return { text: 'Logged in', code: { code: 'CAPABILITY', capabilities: session.capabilities() } };
  }
  switch (result.reason) {
    case 'invalid':
      throw new ImapNo('Authentication failed', 'AUTHENTICATIONFAILED');
    case 'disabled':
      throw new ImapNo('This account is disabled', 'CONTACTADMIN');
    case 'not-authorized':
      throw new ImapNo(AUTHZID_REFUSED_TEXT, 'AUTHORIZATIONFAILED');
    case 'blocked': {
      const minutes = Math.max(1, Math.ceil((result.retryAfterMs ?? 0) / 60_000));
      throw new ImapNo(`Too many failed logins: try again in ${minutes} minute(s)`, 'UNAVAILABLE');
    }
  }
}

export const login: CommandSpec<'LOGIN'> = {
  name: 'LOGIN',
  states: NOT_AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    requireLoginAllowed(session);
    const result = await session.ctx.auth.verify(
      { username: args.username, password: args.password },
      { protocol: 'imap', remoteIp: session.remoteIp, secure: session.secure },
    );
    return concludeLogin(session, result);
  },
};

/**
 * RFC 8437 §3: back to the not-authenticated state on the same connection (TLS stays). A selected
 * mailbox is left as UNSELECT leaves it (no expunge), and ENABLEd extensions end with the login.
 */
export const unauthenticate: CommandSpec<'UNAUTHENTICATE'> = {
  name: 'UNAUTHENTICATE',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  run(session) {
    session.unauthenticate();
    return { text: 'UNAUTHENTICATE completed' };
  },
};
