// The connection-level commands (RFC 5804 §2.1-2.4, §2.11, §2.13-2.14): CAPABILITY, STARTTLS,
// AUTHENTICATE over the shared SASL layer (as IMAP's AUTHENTICATE), UNAUTHENTICATE, LOGOUT, NOOP.
//
// Rules: no credentials before TLS unless allowed (NO (ENCRYPT-NEEDED)); a SASL exchange runs
// quoted-or-literal base64 strings both ways, "*" cancels; SASL payloads are never logged.

import { SaslError } from '../../auth/sasl.js';
import { decodeBase64 } from '../../auth/strict-base64.js';
import { AUTHZID_REFUSED_TEXT, type AuthResult } from '../../auth/authenticator.js';
import { encodeString, ManageSieveNo, response } from './responses.js';
import { capabilities, loginAllowed, strings, type Command, type Session } from './context.js';

function refusal(result: Exclude<AuthResult, { ok: true }>): ManageSieveNo {
  if (result.reason === 'blocked') return new ManageSieveNo('Too many failed logins; try again later', 'TRYLATER');
  if (result.reason === 'not-authorized') return new ManageSieveNo(AUTHZID_REFUSED_TEXT);
  return new ManageSieveNo(result.reason === 'disabled' ? 'This account is disabled' : 'Authentication failed');
}

function decode(text: string): Buffer {
  const bytes = text === '' ? Buffer.alloc(0) : decodeBase64(text);
  if (bytes === undefined) throw new ManageSieveNo('The SASL response is not valid base64');
  return bytes;
}

/** Runs the exchange; `serverFinal` is SCRAM's last server message, which RFC 5804 §2.1 sends in the
 * OK's SASL response code rather than as a challenge needing an empty answer. */
async function authenticate(session: Session, mechanism: string, initial: string | undefined): Promise<{ result: AuthResult; serverFinal: Buffer | null }> {
  const { connection } = session;
  // ManageSieve has no AuthContext protocol of its own yet; it shares IMAP's (see docs/decisions.md).
  const exchange = session.deps.auth.startSasl(mechanism, { protocol: 'imap', remoteIp: connection.remoteIp, secure: connection.secure });
  let step = await exchange.start(initial === undefined ? undefined : decode(initial));
  let serverFinal: Buffer | null = null;
  while (step.type === 'challenge') {
    if (exchange.mechanism === 'SCRAM-SHA-256' && step.challenge.toString('latin1', 0, 2) === 'v=') {
      serverFinal = step.challenge;
      step = await exchange.step(Buffer.alloc(0));
      continue;
    }
    await connection.write(Buffer.from(encodeString(step.challenge.toString('base64')) + '\r\n'));
    const framed = await connection.next(true);
    if (framed === null) {
      exchange.cancel();
      throw new ManageSieveNo('Connection closed during authentication');
    }
    if (framed.kind !== 'command' || framed.args.length !== 1 || framed.args[0].type !== 'string') {
      exchange.cancel();
      throw new ManageSieveNo('Expected one SASL response string');
    }
    const text = framed.args[0].value;
    if (text === '*') {
      exchange.cancel();
      throw new ManageSieveNo('Authentication cancelled');
    }
    step = await exchange.step(decode(text));
  }
  return { result: step.result, serverFinal };
}

export const authCommands: Record<string, Command> = {
  CAPABILITY: {
    states: ['anonymous', 'authenticated'],
    async run(session) {
      await session.connection.write(capabilities(session));
    },
  },
  STARTTLS: {
    states: ['anonymous'],
    async run(session) {
      if (session.connection.secure) throw new ManageSieveNo('TLS is already active');
      const secure = await session.connection.startTls(response('OK', 'Begin TLS negotiation now'), session.secureContext);
      if (!secure) return 'logout';
      session.log.info('managesieve.starttls', {});
      await session.connection.write(capabilities(session)); // RFC 5804 §2.2: capabilities again
    },
  },
  AUTHENTICATE: {
    states: ['anonymous'],
    async run(session, args) {
      if (args.length < 1 || args.length > 2 || args.some((a) => a.type !== 'string')) throw new ManageSieveNo('Usage: AUTHENTICATE "mechanism" ["initial response"]');
      if (!loginAllowed(session)) throw new ManageSieveNo('Use STARTTLS before authenticating', 'ENCRYPT-NEEDED');
      const [mechanism, initial] = args.map((a) => String(a.value));
      let outcome: Awaited<ReturnType<typeof authenticate>>;
      try {
        outcome = await authenticate(session, mechanism, initial);
      } catch (error) {
        if (error instanceof SaslError) throw new ManageSieveNo(`Authentication failed: ${error.message}`);
        throw error;
      }
      const { result, serverFinal } = outcome;
      if (!result.ok) {
        session.log.info('managesieve.auth.fail', { mechanism, reason: result.reason });
        throw refusal(result);
      }
      session.state = { kind: 'authenticated', accountId: result.accountId, address: result.address };
      session.log = session.log.child({ fields: { user: result.address } });
      session.log.info('managesieve.auth.ok', { mechanism });
      await session.connection.write(serverFinal === null ? response('OK', 'Logged in') : response('OK', 'Logged in', 'SASL', serverFinal.toString('base64')));
    },
  },
  UNAUTHENTICATE: {
    states: ['authenticated'],
    async run(session) {
      session.state = { kind: 'anonymous' };
      await session.connection.write(response('OK'));
    },
  },
  LOGOUT: {
    states: ['anonymous', 'authenticated'],
    async run(session) {
      await session.connection.write(response('OK', 'Logout completed'));
      return 'logout';
    },
  },
  NOOP: {
    states: ['anonymous', 'authenticated'],
    async run(session, args) {
      const [tag] = args.length === 0 ? [] : strings(args, 1, 'NOOP ["tag"]');
      await session.connection.write(tag === undefined ? response('OK', 'Done') : response('OK', 'Done', 'TAG', tag));
    },
  },
};
