// The POP3 command table: for each command, its handler in each state where it is valid. A command
// with no handler for the current state is answered `-ERR` by the dispatcher; CAPA is valid in both
// states and answers the same in both (RFC 2449 §5 asks that AUTHORIZATION capabilities be announced
// in TRANSACTION too).
import { SASL_MECHANISMS } from '../../auth/sasl.js';
import type { CommandTable, Outcome, SessionEnv } from '../state.js';
import { auth, loginAllowed, pass, quitBeforeLogin, stls, user } from './authorization.js';
import { dele, list, noop, quitAndCommit, retr, rset, stat, top, uidl } from './transaction.js';

/** RFC 2449 §6 capabilities, in the order we announce them. */
export function capabilities(env: SessionEnv): string[] {
  return [
    'CAPA',
    'TOP',
    'UIDL',
    'RESP-CODES',
    'AUTH-RESP-CODE',
    'PIPELINING',
    // The server never deletes mail on its own.
    'EXPIRE NEVER',
    ...(env.secure ? [] : ['STLS']),
    ...(loginAllowed(env) ? ['USER', `SASL ${SASL_MECHANISMS.join(' ')}`] : []),
    'IMPLEMENTATION Mailroom',
  ];
}

const capa = (env: SessionEnv): Outcome => ({
  reply: { kind: 'lines', text: 'Capability list follows', lines: capabilities(env) },
});

export const COMMANDS: CommandTable = {
  CAPA: { authorization: capa, transaction: capa },
  USER: { authorization: user },
  PASS: { authorization: pass },
  AUTH: { authorization: auth },
  STLS: { authorization: stls },
  QUIT: { authorization: quitBeforeLogin, transaction: quitAndCommit },
  STAT: { transaction: stat },
  LIST: { transaction: list },
  UIDL: { transaction: uidl },
  RETR: { transaction: retr },
  TOP: { transaction: top },
  DELE: { transaction: dele },
  RSET: { transaction: rset },
  NOOP: { transaction: noop },
};
