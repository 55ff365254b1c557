// The AUTHORIZATION-state commands: USER/PASS (RFC 1939 §7), AUTH (RFC 5034), STLS (RFC 2595 §4), and
// the login that both ways of authenticating end in.
//
// Invariants:
// - No credentials are taken before TLS unless access.plaintextLogin allows it (see access.ts): USER
//   and AUTH are refused up front, so a well-behaved client never sends the password in clear.
// - A login holds the account's maildrop lock from the +OK until the session ends; a second POP3
//   session for the same account gets [IN-USE] after its password checked out (RFC 2449 §8).
// - Passwords and SASL payloads never reach a log row (the authenticator logs the attempted username;
//   the session's rows carry the address once logged in).
import { AUTHZID_REFUSED_TEXT } from '../../auth/authenticator.js';
import { SASL_MECHANISMS } from '../../auth/sasl.js';
import { decodeBase64 } from '../../auth/strict-base64.js';
import type { AuthContext, AuthResult } from '../auth.js';
import { Pop3Error } from '../errors.js';
import { openMaildrop } from '../maildrop.js';
import { ok } from '../responses.js';
import type { Handler, Outcome, SessionEnv } from '../state.js';
import type { CommandOf as Command } from '../wire.js';

const authContext = (env: SessionEnv): AuthContext => ({ protocol: 'pop3', remoteIp: env.remoteIp, secure: env.secure });

/** Whether credentials may be taken on this connection now (and USER and SASL offered in CAPA). */
export const loginAllowed = (env: SessionEnv): boolean => env.secure || env.access.plaintextLogin;

function requireLoginAllowed(env: SessionEnv): void {
  if (!loginAllowed(env)) throw new Pop3Error('Login is not allowed without TLS: use STLS first', 'AUTH');
}

function refusal(result: Exclude<AuthResult, { ok: true }>): Pop3Error {
  switch (result.reason) {
    case 'invalid':
      return new Pop3Error('Authentication failed', 'AUTH');
    case 'disabled':
      return new Pop3Error('This account is disabled', 'AUTH');
    case 'not-authorized':
      return new Pop3Error(AUTHZID_REFUSED_TEXT, 'AUTH');
    case 'blocked': {
      const minutes = Math.max(1, Math.ceil((result.retryAfterMs ?? 0) / 60_000));
      return new Pop3Error(`Too many failed logins: try again in ${minutes} minute(s)`, 'SYS/TEMP');
    }
  }
}

/** Turns an auth result into the transaction state, or the -ERR that says why not. */
async function login(env: SessionEnv, result: AuthResult, method: string): Promise<Outcome> {
  if (!result.ok) {
    env.log.info('pop3.auth.fail', { method, reason: result.reason });
    throw refusal(result);
  }
  const opened = await openMaildrop({ store: env.ctx.store, bus: env.ctx.bus, locks: env.locks }, result.accountId);
  if (!opened) {
    env.log.info('pop3.auth.in-use', { method, user: result.address });
    throw new Pop3Error('Another POP3 session is using this mailbox', 'IN-USE');
  }
  const { maildrop, hold } = opened;
  env.log = env.log.child({ fields: { user: result.address } });
  const { count, octets } = maildrop.stat();
  env.log.info('pop3.auth.ok', { method, messages: count, octets, ...(result.masterUser && { masterUser: result.masterUser }) });
  return {
    reply: ok(`Logged in, ${count} message(s) (${octets} octets)`),
    next: { kind: 'transaction', principal: { accountId: result.accountId, address: result.address }, maildrop, hold },
  };
}

/** RFC 5034 §4: the initial response `=` stands for an empty one. */
function decodeResponse(text: string, initial: boolean): Buffer {
  if (initial && text === '=') return Buffer.alloc(0);
  const bytes = decodeBase64(text);
  if (!bytes) throw new Pop3Error('The SASL response is not valid base64');
  return bytes;
}

export const user: Handler<'authorization', Command<'USER'>> = (env, _state, command) => {
  requireLoginAllowed(env);
  return { reply: ok('Send your password'), next: { kind: 'authorization', user: command.username } };
};

export const pass: Handler<'authorization', Command<'PASS'>> = async (env, state, command) => {
  if (state.user === null) throw new Pop3Error('Send USER first');
  const result = await env.auth.verify({ username: state.user, password: command.password }, authContext(env));
  return login(env, result, 'USER');
};

export const auth: Handler<'authorization', Command<'AUTH'>> = async (env, _state, command) => {
  requireLoginAllowed(env);
  // A bare AUTH lists the mechanisms, as RFC 1734 clients expect (Outlook still asks).
  if (command.mechanism === null) return { reply: { kind: 'lines', text: 'Mechanisms follow', lines: SASL_MECHANISMS } };
  const exchange = env.auth.startSasl(command.mechanism, authContext(env));
  let step = await exchange.start(command.initialResponse === null ? undefined : decodeResponse(command.initialResponse, true));
  while (step.type === 'challenge') {
    const answer = await env.continuation(step.challenge);
    if (answer === '*') throw exchange.cancel();
    step = await exchange.step(decodeResponse(answer, false));
  }
  return login(env, step.result, `AUTH ${exchange.mechanism}`);
};

export const stls: Handler<'authorization', Command<'STLS'>> = (env) => {
  if (env.secure) throw new Pop3Error('TLS is already active');
  // A USER given before the upgrade does not carry over (RFC 2595 §4: start again from scratch).
  return { reply: ok('Begin TLS negotiation'), next: { kind: 'authorization', user: null }, after: 'starttls' };
};

export const quitBeforeLogin: Handler<'authorization', Command<'QUIT'>> = () => ({ reply: ok('Bye'), after: 'close' });
