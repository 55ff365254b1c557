// What a command module is and what it may ask of the session (STYLE "Commands", "Session").
//
// A command is `{ name, states, flags, run }` in the table of commands/index.ts; its grammar is the
// wire layer's (wire/grammar, reached through parseCommand), so `run` receives typed arguments. The
// dispatcher checks `states` once; `run` returns the tagged OK's text (and code) or throws ImapNo /
// ImapBad. The flags are Dovecot's:
// - usesSeqs: the command's non-UID form addresses messages by sequence number (FETCH, STORE,
//   SEARCH, COPY, MOVE), so no EXPUNGE may be reported while it runs or right after it (RFC 3501
//   §7.4.1) — the numbers the client pipelined must keep meaning what it meant;
// - breaksSeqs: the command renumbers the view itself (EXPUNGE, CLOSE, MOVE), so — unless it
//   addresses messages by sequence number — other sessions' expunges are reported before it runs.
import type { ImapContext } from '../context.js';
import type { Logger } from '../log.js';
import type { Store, StoreChange } from '../store/index.js';
import type { BulkWork } from './bulk-work.js';
import type { MailboxView } from './selected-mailbox.js';
import type { CommandName, ImapCommand, ImapResponse, ResponseCode } from './wire/index.js';

export type StateName = 'not-authenticated' | 'authenticated' | 'selected';

export interface Principal {
  readonly accountId: number;
  readonly address: string;
}

export type SessionState =
  | { readonly kind: 'not-authenticated' }
  | { readonly kind: 'authenticated'; readonly user: Principal }
  | { readonly kind: 'selected'; readonly user: Principal; readonly view: MailboxView };

export interface CommandFlags {
  readonly usesSeqs: boolean;
  readonly breaksSeqs: boolean;
}

export interface Completion {
  readonly text: string;
  readonly code?: ResponseCode;
  /** After the tagged OK: switch to TLS (STARTTLS), compress (COMPRESS) or close the connection (LOGOUT). */
  readonly then?: 'starttls' | 'compress' | 'logout';
}

/** What ENABLE can turn on (RFC 5161): CONDSTORE, QRESYNC (RFC 7162), IMAP4rev2 (RFC 9051 Appendix A). */
export type Extension = 'CONDSTORE' | 'QRESYNC' | 'IMAP4rev2';

/** The session as a command sees it. */
/** What the session uses of NOTIFY's notifier (notify.ts). */
export interface SessionNotifier {
  /** Resolves when there is something to send. */
  changed(): Promise<void>;
  /** The pending notifications for mailboxes other than `selectedId`, taken. */
  take(store: Store, selectedId: number | null): Promise<ImapResponse[]>;
  close(): void;
}

export interface ImapSession {
  readonly ctx: ImapContext;
  readonly log: Logger;
  readonly state: SessionState;
  readonly remoteIp: string;
  readonly secure: boolean;
  /** The server's bulk reads (bulk-work.ts): whether a big FETCH reads on a worker. */
  readonly bulk: BulkWork;
  /** COMPRESS=DEFLATE is on (RFC 4978). */
  readonly compressed: boolean;
  /** LOGIN/AUTHENTICATE are allowed now (TLS, or plaintext from a trusted network). */
  readonly loginAllowed: boolean;
  /** CONDSTORE / QRESYNC are enabled (RFC 7162 §3.1, §3.2.3). */
  enabled(extension: Extension): boolean;
  /** Enables an extension (QRESYNC implies CONDSTORE); true when it was not enabled before. */
  enable(extension: Extension): boolean;
  capabilities(): string[];
  /** Queues a response; it goes out at the end of the command, or with flush() once outputFull. */
  send(response: ImapResponse): void;
  /** Queued output is large: a long FETCH should flush() it now (honouring the socket's backpressure). */
  readonly outputFull: boolean;
  /** Writes queued responses now (before waiting for the client). */
  flush(): Promise<void>;
  /** The client's next raw line (SASL response); throws ConnectionLost or ImapBad (too long). */
  readLine(): Promise<Buffer>;
  /** IDLE: the client's next raw line, or null as soon as the selected mailbox changes first. */
  readLineOrChange(): Promise<Buffer | null>;
  /** Sends the selected mailbox's pending updates now (IDLE, where expunges are allowed). */
  sendUpdates(): Promise<void>;
  /** Starts (or with null stops) NOTIFY's notifications (notify.ts); a previous notifier is closed. */
  setNotifier(notifier: SessionNotifier | null): void;
  login(user: Principal): void;
  select(view: MailboxView): void;
  /** Leaves the selected state (CLOSE, UNSELECT, a failed SELECT); the view is closed. */
  deselect(): void;
  /** Back to not-authenticated (UNAUTHENTICATE): the view closed, the user and ENABLEd extensions forgotten. */
  unauthenticate(): void;
  /**
   * Broadcasts committed store changes on the bus. The session's own view ignores the flag changes
   * and expunges among them (the command reported them), unless `unreported` says it did not.
   */
  publish(changes: readonly StoreChange[], options?: { unreported?: boolean }): void;
}

export interface CommandSpec<K extends CommandName> {
  readonly name: K;
  readonly states: readonly StateName[];
  readonly flags: CommandFlags;
  run(session: ImapSession, command: Extract<ImapCommand, { name: K }>): Completion | Promise<Completion>;
}

export const NO_FLAGS: CommandFlags = { usesSeqs: false, breaksSeqs: false };
export const ANY_STATE: readonly StateName[] = ['not-authenticated', 'authenticated', 'selected'];
export const AUTHENTICATED: readonly StateName[] = ['authenticated', 'selected'];
export const SELECTED: readonly StateName[] = ['selected'];
export const NOT_AUTHENTICATED: readonly StateName[] = ['not-authenticated'];

/** The selected state's user and view; the dispatcher has checked the state already. */
export function selected(session: ImapSession): { user: Principal; view: MailboxView } {
  const state = session.state;
  if (state.kind !== 'selected') throw new Error(`expected the selected state, not ${state.kind}`);
  return state;
}

/** The authenticated user in either authenticated state. */
export function principal(session: ImapSession): Principal {
  const state = session.state;
  if (state.kind === 'not-authenticated') throw new Error('expected an authenticated state');
  return state.user;
}
