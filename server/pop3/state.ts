// The POP3 session state (RFC 1939 §3) as a discriminated union that carries its data, and the shape
// of the command table: per command, one handler per state in which the command is valid. The
// dispatcher checks the state once; a handler receives its state already narrowed and returns the
// reply and the next state instead of mutating anything.
import type { Logger } from '../log.js';
import type { Pop3Context } from '../context.js';
import type { Pop3Auth } from './auth.js';
import type { MailboxAccess as Pop3Access } from '../policy/networks.js';
import type { Maildrop, MaildropLock, MaildropLocks } from './maildrop.js';
import type { Pop3Reply } from './responses.js';
import type { CommandOf, Pop3CommandName } from './wire.js';

export interface Principal {
  accountId: number;
  address: string;
}

export type SessionState =
  /** Before login; `user` is the name a USER command gave, waiting for PASS. */
  | { readonly kind: 'authorization'; readonly user: string | null }
  /** Logged in, holding the account's maildrop lock (released by `hold`). */
  | { readonly kind: 'transaction'; readonly principal: Principal; readonly maildrop: Maildrop; readonly hold: MaildropLock }
  /** After QUIT in the transaction state: deletions committed, lock released, connection closing. */
  | { readonly kind: 'update' };

export type StateKind = SessionState['kind'];
type StateOf<K extends StateKind> = Extract<SessionState, { kind: K }>;

/** What a command produced: the reply, the state after it, and what the connection does next. */
export interface Outcome {
  reply: Pop3Reply;
  next?: SessionState;
  /** 'close' after QUIT; 'starttls' after STLS's +OK. */
  after?: 'close' | 'starttls';
}

/** What handlers may use of the session: the server's services and the connection's facts. */
export interface SessionEnv {
  readonly ctx: Pop3Context;
  readonly auth: Pop3Auth;
  readonly locks: MaildropLocks;
  readonly remoteIp: string;
  readonly secure: boolean;
  readonly access: Pop3Access;
  /** The session's logger; becomes the user's after login. */
  log: Logger;
  /** Sends an AUTH continuation and returns the client's answer line (RFC 5034 §4). */
  continuation(challenge: Buffer): Promise<string>;
}

export type Handler<K extends StateKind, C> = (env: SessionEnv, state: StateOf<K>, command: C) => Outcome | Promise<Outcome>;

/** Only the authorization and transaction states take commands; the update state ends the session. */
export type CommandEntry<C> = { readonly [K in Exclude<StateKind, 'update'>]?: Handler<K, C> };

export type CommandTable = { readonly [N in Pop3CommandName]: CommandEntry<CommandOf<N>> };
