// One IMAP session (RFC 3501 §3, §5): the command loop over a connection. Pulls framer events,
// parses each request, dispatches it through the command table for the current state, reports the
// selected mailbox's changes where the RFC allows, writes the tagged response, repeats.
//
// Invariants:
// - One command at a time and one writer; pipelined commands wait in the framer. A synchronizing
//   literal's `+` is sent when the framer reaches it, i.e. after every earlier command has finished.
// - State is a discriminated union (command.ts); only login/select/deselect/unauthenticate change it.
// - Errors reach the wire in exactly one place, failure() below: ImapParseError, ImapNo, ImapBad and
//   the store's NotFound/Conflict errors become tagged NO/BAD; anything else is logged with its stack
//   and answered `NO [SERVERBUG]`. MAX_BAD_IN_A_ROW consecutive BADs end the session.
// - Untagged updates for the selected mailbox (selected-mailbox.ts) go out just before each tagged
//   response, without expunges after a command that uses sequence numbers; a command that breaks
//   sequence numbers (and does not address messages by them) gets the pending expunges reported
//   before it runs, so the numbers it reports are computed on the client's current view.
// - However the session ends, the selected view is closed (it stops listening to the bus).
import type { SecureContext } from 'node:tls';
import type { ImapContext } from '../context.js';
import type { Logger } from '../log.js';
import type { StoreChange } from '../store/index.js';
import { AccessDeniedError, ConflictError, ExpungedError, NotFoundError } from '../store/errors.js';
import { InvalidAclError } from '../store/acl-rules.js';
import { OverQuotaError } from '../store/mailbox-access.js';
import type { MailboxAccess as ImapAccess } from '../policy/networks.js';
import { capabilities } from './capabilities.js';
import type { CommandSpec, Completion, Extension, ImapSession, Principal, SessionNotifier, SessionState } from './command.js';
import { COMMANDS } from './commands/index.js';
import { refreshContexts } from './commands/search.js';
import { rev2Response } from './rev2.js';
import type { BulkWork } from './bulk-work.js';
import type { ImapConnection } from './connection.js';
import { ConnectionLost, ImapBad, ImapNo, SelectedMailboxGone } from './errors.js';
import type { MailboxView } from './selected-mailbox.js';
import {
  ImapParseError,
  ResponseEncoder,
  encodeResponse,
  parseCommand,
  type CommandName,
  type FramerEvent,
  type ImapCommand,
  type ImapRequest,
  type ImapResponse,
} from './wire/index.js';

export interface SessionDeps {
  ctx: ImapContext;
  access: ImapAccess;
  log: Logger;
  /** For STARTTLS. */
  secureContext: SecureContext;
  /** The server's count of running bulk reads (shared by its sessions). */
  bulk: BulkWork;
}

/** Queued output is written once it reaches this size, so a long FETCH streams instead of piling up. */
const FLUSH_BYTES = 256 * 1024;
/** Dovecot's limit of invalid commands before it disconnects. */
const MAX_BAD_IN_A_ROW = 10;

export async function runSession(connection: ImapConnection, deps: SessionDeps): Promise<void> {
  await new Session(connection, deps).run();
}

class Session implements ImapSession {
  readonly ctx: ImapContext;
  log: Logger;
  state: SessionState = { kind: 'not-authenticated' };
  private readonly encoder = new ResponseEncoder();
  private readonly extensions = new Set<Extension>();
  /** A framer event asked for but not consumed yet (IDLE races it against mailbox changes). */
  private pendingEvent: Promise<FramerEvent | null> | null = null;
  private lineExpected = false;
  private badInARow = 0;
  private announceModSeq = false;
  /** NOTIFY's notifier, while one is set. */
  private notifier: SessionNotifier | null = null;

  constructor(
    private readonly connection: ImapConnection,
    private readonly deps: SessionDeps,
  ) {
    this.ctx = deps.ctx;
    this.log = deps.log;
  }

  get bulk(): BulkWork {
    return this.deps.bulk;
  }

  get remoteIp(): string {
    return this.connection.remoteIp;
  }

  get secure(): boolean {
    return this.connection.secure;
  }

  get compressed(): boolean {
    return this.connection.compressed;
  }

  get loginAllowed(): boolean {
    return this.connection.secure || this.deps.access.plaintextLogin;
  }

  enabled(extension: Extension): boolean {
    return this.extensions.has(extension);
  }

  enable(extension: Extension): boolean {
    if (this.extensions.has(extension)) return false;
    // A CONDSTORE-enabling command in the selected state reports HIGHESTMODSEQ (RFC 7162 §3.1), at its end.
    if (this.state.kind === 'selected' && extension !== 'IMAP4rev2' && !this.extensions.has('CONDSTORE')) this.announceModSeq = true;
    this.extensions.add(extension);
    if (extension === 'QRESYNC') this.extensions.add('CONDSTORE');
    return true;
  }

  capabilities(): string[] {
    return capabilities({ authenticated: this.state.kind !== 'not-authenticated', secure: this.secure, loginAllowed: this.loginAllowed });
  }

  send(response: ImapResponse): void {
    if (this.extensions.has('IMAP4rev2')) {
      const rev2 = rev2Response(response);
      if (rev2 === null) return;
      response = rev2;
    }
    if (this.state.kind === 'selected') for (const r of this.state.view.keywordAnnouncement(response)) this.encoder.write(r);
    this.encoder.write(response);
  }

  get outputFull(): boolean {
    return this.encoder.pendingBytes >= FLUSH_BYTES;
  }

  async flush(): Promise<void> {
    await this.connection.writeAll(this.encoder.take());
  }

  async readLine(): Promise<Buffer> {
    const line = await this.rawLine(false);
    if (line === null) throw new Error('readLine returned no line');
    return line;
  }

  readLineOrChange(): Promise<Buffer | null> {
    return this.rawLine(true);
  }

  sendUpdates(): Promise<void> {
    return this.pushUpdates(true);
  }

  setNotifier(notifier: SessionNotifier | null): void {
    this.notifier?.close();
    this.notifier = notifier;
  }

  login(user: Principal): void {
    this.state = { kind: 'authenticated', user };
    this.log = this.log.child({ fields: { user: user.address } });
    this.log.info('imap.login', { accountId: user.accountId });
  }

  select(view: MailboxView): void {
    if (this.state.kind === 'not-authenticated') throw new Error('select() before login');
    if (this.state.kind === 'selected') this.state.view.close();
    this.state = { kind: 'selected', user: this.state.user, view };
  }

  deselect(): void {
    if (this.state.kind !== 'selected') return;
    this.state.view.close();
    this.state = { kind: 'authenticated', user: this.state.user };
  }

  unauthenticate(): void {
    this.deselect();
    if (this.state.kind === 'not-authenticated') return;
    this.log.info('imap.unauthenticate', { accountId: this.state.user.accountId });
    this.setNotifier(null);
    this.state = { kind: 'not-authenticated' };
    this.extensions.clear();
    this.announceModSeq = false;
    this.log = this.deps.log;
  }

  publish(changes: readonly StoreChange[], options: { unreported?: boolean } = {}): void {
    const emit = () => {
      for (const change of changes) this.ctx.bus.emit('change', change);
    };
    if (this.state.kind === 'selected' && !options.unreported) this.state.view.muteOwn(emit);
    else emit();
  }

  async run(): Promise<void> {
    try {
      this.send({
        kind: 'untagged',
        status: 'OK',
        code: { code: 'CAPABILITY', capabilities: this.capabilities() },
        text: `${this.ctx.settings().hostname} Mailroom IMAP server ready`,
      });
      for (;;) {
        await this.flush();
        const event = await this.nextEventOrNotification();
        if (event === null) return;
        if ((await this.handle(event)) === 'close') {
          await this.flush();
          await this.connection.close();
          return;
        }
      }
    } catch (error) {
      if (!(error instanceof ConnectionLost)) throw error;
    } finally {
      if (this.state.kind === 'selected') this.state.view.close();
      this.setNotifier(null);
    }
  }

  private async handle(event: FramerEvent): Promise<'close' | void> {
    switch (event.kind) {
      case 'needs-literal':
        this.send({ kind: 'continue', text: 'Ready for literal data' });
        return;
      case 'rejected': {
        const tag = event.tag ?? '*';
        const response: ImapResponse =
          event.reason === 'literal-too-large' && event.command === 'APPEND'
            ? { kind: 'tagged', tag, status: 'NO', code: { code: 'TOOBIG' }, text: `Message larger than ${event.limit} octets` }
            : event.reason === 'literal-too-large'
              ? { kind: 'tagged', tag, status: 'BAD', code: { code: 'TOOBIG' }, text: `Literal larger than ${event.limit} octets` }
              : { kind: 'tagged', tag, status: 'BAD', text: `Command line longer than ${event.limit} octets` };
        return this.answer(event.tag === null ? { kind: 'untagged', status: response.status === 'NO' ? 'NO' : 'BAD', text: response.text } : response);
      }
      case 'fatal':
        this.send({ kind: 'untagged', status: 'BYE', text: event.reason });
        return 'close';
      case 'line':
        // Only asked for inside AUTHENTICATE and IDLE, which read it themselves.
        return this.answer({ kind: 'untagged', status: 'BAD', text: 'Unexpected line' });
      case 'request':
        return this.execute(event.request);
    }
  }

  private async execute(request: ImapRequest): Promise<'close' | void> {
    let command: ImapCommand;
    try {
      command = parseCommand(request);
    } catch (error) {
      if (!(error instanceof ImapParseError)) throw error;
      const text = error.reason;
      if (error.tag === null) return this.answer({ kind: 'untagged', status: 'BAD', text });
      return this.answer({ kind: 'tagged', tag: error.tag, status: error.status, text, ...(error.code && { code: error.code }) });
    }
    const spec = COMMANDS[command.name] as CommandSpec<CommandName>;
    const refusal = this.stateRefusal(spec);
    if (refusal !== null) return this.answer({ kind: 'tagged', tag: command.tag, status: 'BAD', text: refusal });

    const usesSeqs = spec.flags.usesSeqs && !command.uid;
    let completion: Completion | null = null;
    let response: ImapResponse;
    try {
      if (spec.flags.breaksSeqs && !usesSeqs) await this.pushUpdates(true);
      completion = await spec.run(this, command as Extract<ImapCommand, { name: CommandName }>);
      response = { kind: 'tagged', tag: command.tag, status: 'OK', text: completion.text, ...(completion.code && { code: completion.code }) };
    } catch (error) {
      const failed = this.failure(command, error);
      if (failed === 'close') return 'close';
      response = failed;
    }
    try {
      await this.pushUpdates(!usesSeqs);
    } catch (error) {
      if (this.failure(command, error) === 'close') return 'close';
    }
    if (completion?.then === 'starttls') {
      await this.flush();
      const ok = await this.connection.startTls(encodeResponse(response), this.deps.secureContext);
      this.pendingEvent = null;
      this.log.info('imap.starttls', { ok });
      return ok ? undefined : 'close';
    }
    if (completion?.then === 'compress') {
      await this.flush();
      this.connection.compress(encodeResponse(response));
      this.pendingEvent = null;
      this.log.info('imap.compress', {});
      return;
    }
    if (this.answer(response) === 'close' || completion?.then === 'logout') return 'close';
  }

  /** Why the command may not run in the current state, or null. */
  private stateRefusal(spec: CommandSpec<CommandName>): string | null {
    if (spec.states.includes(this.state.kind)) return null;
    if (this.state.kind === 'not-authenticated') return 'Log in first';
    if (spec.states.includes('selected')) return 'No mailbox selected';
    return 'Already logged in';
  }

  /** Queues a final response and counts consecutive BADs. */
  private answer(response: ImapResponse): 'close' | void {
    this.send(response);
    if ((response.kind !== 'tagged' && response.kind !== 'untagged') || response.status !== 'BAD') {
      this.badInARow = 0;
      return;
    }
    if (++this.badInARow < MAX_BAD_IN_A_ROW) return;
    this.send({ kind: 'untagged', status: 'BYE', text: 'Too many invalid commands' });
    return 'close';
  }

  /** The tagged response for a failed command, or 'close' when the session cannot go on. */
  private failure(command: ImapCommand, error: unknown): ImapResponse | 'close' {
    const tag = command.tag;
    if (error instanceof ImapNo) return { kind: 'tagged', tag, status: 'NO', text: error.text, ...(error.code && { code: error.code }) };
    if (error instanceof ImapBad) return { kind: 'tagged', tag, status: 'BAD', text: error.text, ...(error.code && { code: error.code }) };
    if (error instanceof ImapParseError) return { kind: 'tagged', tag, status: error.status, text: error.reason, ...(error.code && { code: error.code }) };
    if (error instanceof NotFoundError) return { kind: 'tagged', tag, status: 'NO', code: { code: 'NONEXISTENT' }, text: error.message };
    if (error instanceof ConflictError) return { kind: 'tagged', tag, status: 'NO', code: { code: 'ALREADYEXISTS' }, text: error.message };
    if (error instanceof ExpungedError) return { kind: 'tagged', tag, status: 'NO', code: { code: 'EXPUNGEISSUED' }, text: error.message };
    if (error instanceof AccessDeniedError) return { kind: 'tagged', tag, status: 'NO', code: { code: 'NOPERM' }, text: error.message };
    if (error instanceof OverQuotaError) return { kind: 'tagged', tag, status: 'NO', code: { code: 'OVERQUOTA' }, text: error.message };
    if (error instanceof InvalidAclError) return { kind: 'tagged', tag, status: 'BAD', text: error.message };
    if (error instanceof ConnectionLost) return 'close';
    if (error instanceof SelectedMailboxGone) {
      this.send({ kind: 'untagged', status: 'BYE', text: 'The selected mailbox was deleted' });
      return 'close';
    }
    this.log.error('imap.command.failed', { command: command.name, error });
    return { kind: 'tagged', tag, status: 'NO', code: { code: 'SERVERBUG' }, text: 'Internal error' };
  }

  private async pushUpdates(expunges: boolean): Promise<void> {
    await this.pushNotifications();
    if (this.state.kind !== 'selected') return;
    if (this.announceModSeq) {
      this.announceModSeq = false;
      const mailbox = await this.ctx.store.mailboxes.byId(this.state.view.mailboxId);
      if (mailbox !== undefined) this.send({ kind: 'untagged', status: 'OK', code: { code: 'HIGHESTMODSEQ', value: mailbox.highestModseq }, text: 'Highest' });
    }
    const options = { expunges, condstore: this.enabled('CONDSTORE'), qresync: this.enabled('QRESYNC') };
    for (const response of await this.state.view.flush(options)) this.send(response);
    for (const response of await refreshContexts(this, this.state.view)) this.send(response);
  }

  /** NOTIFY's pending notifications (other mailboxes than the selected one). */
  private async pushNotifications(): Promise<void> {
    if (this.notifier === null) return;
    const selectedId = this.state.kind === 'selected' ? this.state.view.mailboxId : null;
    for (const response of await this.notifier.take(this.ctx.store, selectedId)) this.send(response);
  }

  /** The next framer event; while NOTIFY is set, notifications arriving first are sent meanwhile (RFC 5465 §1). */
  private async nextEventOrNotification(): Promise<FramerEvent | null> {
    for (;;) {
      const notifier = this.notifier;
      if (notifier === null) return this.nextEvent();
      const next = this.nextEvent();
      const raced = await Promise.race([next.then((e) => ({ e })), notifier.changed().then(() => null)]);
      if (raced !== null) return raced.e;
      this.pendingEvent = next;
      await this.pushNotifications();
      await this.flush();
    }
  }

  private nextEvent(): Promise<FramerEvent | null> {
    const event = this.pendingEvent ?? this.connection.next();
    this.pendingEvent = null;
    return event;
  }

  /** The next raw line; with `orChange`, null as soon as the selected mailbox changes first. */
  private async rawLine(orChange: boolean): Promise<Buffer | null> {
    if (!this.lineExpected) {
      this.connection.expectLine();
      this.lineExpected = true;
    }
    await this.flush();
    const view = orChange && this.state.kind === 'selected' ? this.state.view : null;
    const notifier = orChange ? this.notifier : null;
    const next = this.nextEvent();
    let event: FramerEvent | null;
    if (view === null && notifier === null) event = await next;
    else {
      const changed = [view?.changed(), notifier?.changed()].filter((p) => p !== undefined);
      const raced = await Promise.race([next.then((e) => ({ e })), ...changed.map((p) => p.then(() => null))]);
      if (raced === null) {
        this.pendingEvent = next;
        return null;
      }
      event = raced.e;
    }
    this.lineExpected = false;
    if (event === null) throw new ConnectionLost();
    if (event.kind === 'line') return event.line;
    if (event.kind === 'rejected') throw new ImapBad(`Line longer than ${event.limit} octets`);
    throw new Error(`expected a line, got a ${event.kind} event`);
  }
}
