// The TRANSACTION-state commands (RFC 1939 §5, §7; UIDL and TOP are the optional ones) and QUIT's
// UPDATE state (§6).
//
// Invariants:
// - Nothing but QUIT writes: DELE and RSET only change the session's marks; a session that ends any
//   other way (dropped connection, idle timeout, shutdown) deletes nothing.
// - QUIT expunges every marked message in one store transaction, broadcasts the returned changes after
//   it committed (IMAP sessions then report the EXPUNGEs), and releases the maildrop lock whether the
//   commit worked or not.
// - Sizes are the stored octet counts: what RETR sends before byte-stuffing (RFC 1939 §11).
import { Pop3Error } from '../errors.js';
import type { Maildrop, MaildropMessage } from '../maildrop.js';
import { ok, topOfMessage } from '../responses.js';
import type { Handler, SessionEnv } from '../state.js';
import type { CommandOf as Command } from '../wire.js';

const describe = (maildrop: Maildrop) => {
  const { count, octets } = maildrop.stat();
  return `${count} message(s) (${octets} octets)`;
};

/** The message's bytes, read by its UID (a row id may be reused once the message is gone). */
const read = async (env: SessionEnv, maildrop: Maildrop, message: MaildropMessage): Promise<Buffer> => {
  const found = await env.ctx.store.messages.rowWithBytes(maildrop.mailboxId, message.uid, []);
  if (found === null) throw new Pop3Error(`Message ${message.number} was deleted by another session`);
  return found.bytes;
};

export const stat: Handler<'transaction', Command<'STAT'>> = (_env, state) => {
  const { count, octets } = state.maildrop.stat();
  // RFC 1939 §5: exactly "+OK nn mm", which clients parse.
  return { reply: ok(`${count} ${octets}`) };
};

export const list: Handler<'transaction', Command<'LIST'>> = (_env, state, command) => {
  if (command.message !== null) {
    const m = state.maildrop.get(command.message);
    return { reply: ok(`${m.number} ${m.size}`) };
  }
  return { reply: { kind: 'lines', text: describe(state.maildrop), lines: state.maildrop.listing().map((m) => `${m.number} ${m.size}`) } };
};

export const uidl: Handler<'transaction', Command<'UIDL'>> = (_env, state, command) => {
  if (command.message !== null) {
    const m = state.maildrop.get(command.message);
    return { reply: ok(`${m.number} ${m.uniqueId}`) };
  }
  return { reply: { kind: 'lines', text: 'Unique-ID listing follows', lines: state.maildrop.listing().map((m) => `${m.number} ${m.uniqueId}`) } };
};

export const retr: Handler<'transaction', Command<'RETR'>> = async (env, state, command) => {
  const m = state.maildrop.get(command.message);
  const body = await read(env, state.maildrop, m);
  env.log.info('pop3.retr', { uid: m.uid, octets: body.length });
  return { reply: { kind: 'message', text: `${body.length} octets`, body } };
};

export const top: Handler<'transaction', Command<'TOP'>> = async (env, state, command) => {
  const m = state.maildrop.get(command.message);
  return { reply: { kind: 'message', text: 'Top of message follows', body: topOfMessage(await read(env, state.maildrop, m), command.lines) } };
};

export const dele: Handler<'transaction', Command<'DELE'>> = (_env, state, command) => {
  const m = state.maildrop.markDeleted(command.message);
  return { reply: ok(`Message ${m.number} deleted`) };
};

export const rset: Handler<'transaction', Command<'RSET'>> = (_env, state) => {
  state.maildrop.reset();
  return { reply: ok(`Maildrop has ${describe(state.maildrop)}`) };
};

export const noop: Handler<'transaction', Command<'NOOP'>> = () => ({ reply: ok('') });

/** QUIT after login: the UPDATE state. */
export const quitAndCommit: Handler<'transaction', Command<'QUIT'>> = async (env, state) => {
  const uids = state.maildrop.markedUids();
  let removed: number[] = [];
  try {
    if (uids.length > 0) {
      const { result, changes } = await env.ctx.store.messages.expunge(state.maildrop.mailboxId, uids);
      for (const change of changes) env.ctx.bus.emit('change', change);
      removed = result;
      env.log.info('pop3.dele.commit', { marked: uids.length, removed: removed.length, uids: removed });
    }
  } catch (error) {
    env.log.error('pop3.dele.commit-failed', { marked: uids.length, error });
    // RFC 1939 §6: "-ERR some deleted messages not removed"; nothing was, the transaction rolled back.
    throw new Pop3Error('Deleted messages were not removed; try again later', 'SYS/TEMP', true);
  } finally {
    state.hold.release();
  }
  return { reply: ok(`Bye, ${removed.length} message(s) deleted`), next: { kind: 'update' }, after: 'close' };
};
