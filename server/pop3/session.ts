// One POP3 session: the command loop over a connection (RFC 1939 §3). Reads a line, parses it,
// dispatches it through the command table for the current state, writes the reply, repeats.
//
// Invariants:
// - One command at a time and one writer; pipelined commands (RFC 2449 PIPELINING) wait in the framer.
// - Errors reach the wire in exactly one place, the catch below: Pop3Error and SaslError become
//   `-ERR` with their reason; anything else is logged with its stack and answered with a generic
//   `-ERR [SYS/TEMP]`. Every -ERR counts towards the settings' hard error limit; at the limit the
//   reply says so and the connection closes.
// - A failed command in the AUTHORIZATION state forgets a pending USER, so PASS always pairs with the
//   USER right before it.
// - However the session ends, a held maildrop lock is released; only QUIT's UPDATE state deletes.
import type { SecureContext } from 'node:tls';
import { SaslError } from '../auth/sasl.js';
import type { Logger } from '../log.js';
import { unmapIpv4 } from '../policy/cidr.js';
import type { Pop3Context } from '../context.js';
import type { MailboxAccess as Pop3Access } from '../policy/networks.js';
import type { Pop3Auth } from './auth.js';
import { COMMANDS } from './commands/index.js';
import type { Pop3Connection } from './connection.js';
import { Pop3Error } from './errors.js';
import type { MaildropLocks } from './maildrop.js';
import { encodeContinuation, encodeError, encodeReply } from './responses.js';
import type { Outcome, SessionEnv, SessionState } from './state.js';
import { MAX_COMMAND_LINE_BYTES, MAX_SASL_LINE_BYTES, keywordOf, parseCommand, type FramedLine, type Pop3Command } from './wire.js';

export interface SessionDeps {
  ctx: Pop3Context;
  auth: Pop3Auth;
  locks: MaildropLocks;
  access: Pop3Access;
  log: Logger;
  /** For STLS. */
  secureContext: SecureContext;
}

/** The connection went away in the middle of a command (during an AUTH exchange). */
class ConnectionLost extends Error {}

type AnyHandler = (env: SessionEnv, state: SessionState, command: Pop3Command) => Outcome | Promise<Outcome>;

export async function runSession(connection: Pop3Connection, deps: SessionDeps): Promise<void> {
  const { ctx } = deps;
  let state: SessionState = { kind: 'authorization', user: null };
  let errors = 0;
  const env: SessionEnv = {
    ctx,
    auth: deps.auth,
    locks: deps.locks,
    remoteIp: unmapIpv4(connection.remoteIp),
    get secure() {
      return connection.secure;
    },
    access: deps.access,
    log: deps.log,
    async continuation(challenge) {
      await connection.write(encodeContinuation(challenge));
      const event = await connection.readLine(MAX_SASL_LINE_BYTES);
      if (event === null) throw new ConnectionLost();
      if (event.kind === 'too-long') throw new Pop3Error(`The SASL response is longer than ${event.limit} octets`);
      return event.line.toString('latin1');
    },
  };

  try {
    await connection.write(Buffer.from(`+OK ${ctx.settings().hostname} Mailroom POP3 server ready\r\n`));
    while (state.kind !== 'update') {
      const event = await connection.readLine(MAX_COMMAND_LINE_BYTES);
      if (event === null) break;
      let outcome: Outcome;
      try {
        outcome = await execute(env, state, event);
      } catch (error) {
        if (error instanceof ConnectionLost) break;
        errors++;
        const failure = toPop3Error(error, event, env.log);
        if (state.kind === 'authorization') state = { kind: 'authorization', user: null };
        const limit = ctx.settings().limits.hardErrorLimit;
        if (failure.closes || errors >= limit) {
          env.log.info('pop3.error-limit', { errors });
          await connection.write(encodeError(failure.closes ? failure : new Pop3Error(`${failure.text}; too many errors, closing the connection`, failure.code)));
          break;
        }
        await connection.write(encodeError(failure));
        continue;
      }
      state = outcome.next ?? state;
      if (outcome.after === 'starttls') {
        const dropped = await connection.startTls(encodeReply(outcome.reply), deps.secureContext);
        env.log.info('pop3.stls', { ok: connection.secure, droppedPlaintext: dropped });
        continue;
      }
      await connection.write(encodeReply(outcome.reply));
      if (outcome.after === 'close') break;
    }
  } finally {
    if (state.kind === 'transaction') state.hold.release();
    await connection.close();
    env.log.info('pop3.disconnect', { state: state.kind, errors });
  }
}

function execute(env: SessionEnv, state: Exclude<SessionState, { kind: 'update' }>, event: FramedLine): Outcome | Promise<Outcome> {
  if (event.kind === 'too-long') throw new Pop3Error(`Command line longer than ${event.limit} octets`);
  const command = parseCommand(event.line);
  // The table's types pair each state with its handler; the lookup by runtime keys cannot show that.
  const handler = COMMANDS[command.name][state.kind] as AnyHandler | undefined;
  if (!handler) throw new Pop3Error(`${command.name} is not valid ${state.kind === 'authorization' ? 'before' : 'after'} login`);
  return handler(env, state, command);
}

/** The one mapping of failures to `-ERR`. */
function toPop3Error(error: unknown, event: FramedLine, log: Logger): Pop3Error {
  if (error instanceof Pop3Error) {
    log.debug('pop3.command.error', { command: event.kind === 'line' ? keywordOf(event.line) : null, reason: error.text });
    return error;
  }
  if (error instanceof SaslError) {
    log.info('pop3.auth.fail', { reason: error.reason });
    return new Pop3Error(error.reason === 'cancelled' ? 'Authentication cancelled' : `Authentication failed: ${error.message}`);
  }
  log.error('pop3.command.failed', { command: event.kind === 'line' ? keywordOf(event.line) : null, error });
  return new Pop3Error('Internal server error; try again later', 'SYS/TEMP');
}
