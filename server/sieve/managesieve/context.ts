// What every ManageSieve command sees: the session (connection, state, dependencies), the command
// shape, and the helpers several commands share (capability list, login policy, argument checks).

import type { SecureContext } from 'node:tls';
import type { Authenticator } from '../../auth/authenticator.js';
import { SASL_MECHANISMS } from '../../auth/sasl.js';
import type { Logger } from '../../log.js';
import { SIEVE_EXTENSIONS } from '../index.js';
import { MAX_REDIRECTS } from '../limits.js';
import type { ManageSieveConnection } from './connection.js';
import type { SieveScriptRepository } from './repository.js';
import { encodeString, ManageSieveNo, response } from './responses.js';
import type { Argument } from './wire.js';

export interface ManageSieveDeps {
  /** The shared SASL layer and its throttling (ctx.auth). */
  auth: Authenticator;
  scripts: SieveScriptRepository;
  log: Logger;
  /** Whether credentials may be sent without TLS from this client (trusted LAN ranges). */
  plaintextAuthAllowed(remoteIp: string): boolean;
}

export type SessionState = { kind: 'anonymous' } | { kind: 'authenticated'; accountId: number; address: string };

export interface Session {
  readonly connection: ManageSieveConnection;
  readonly deps: ManageSieveDeps;
  readonly secureContext: SecureContext;
  state: SessionState;
  log: Logger;
}

export interface Command {
  states: SessionState['kind'][];
  /** 'logout' ends the session after the response. */
  run(session: Session, args: Argument[]): Promise<void | 'logout'>;
}

export function loginAllowed(session: Session): boolean {
  return session.connection.secure || session.deps.plaintextAuthAllowed(session.connection.remoteIp);
}

/** The capability lines and OK (RFC 5804 §1.7), as the greeting and CAPABILITY send them. */
export function capabilities(session: Session, okText?: string): Buffer {
  const lines = [
    `"IMPLEMENTATION" "Mailroom"`,
    `"SASL" ${encodeString(loginAllowed(session) ? SASL_MECHANISMS.join(' ') : '')}`,
    `"SIEVE" ${encodeString(SIEVE_EXTENSIONS.join(' '))}`,
    ...(session.connection.secure ? [] : ['"STARTTLS"']),
    `"MAXREDIRECTS" "${MAX_REDIRECTS}"`,
    ...(session.state.kind === 'authenticated' ? [`"OWNER" ${encodeString(session.state.address)}`] : []),
    '"UNAUTHENTICATE"',
    '"VERSION" "1.0"',
  ];
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n', 'utf8'), response('OK', okText)]);
}

/** The string arguments of a command, exactly `count` of them. */
export function strings(args: Argument[], count: number, usage: string): string[] {
  if (args.length !== count || args.some((a) => a.type !== 'string')) throw new ManageSieveNo(`Usage: ${usage}`);
  return args.map((a) => String(a.value));
}
