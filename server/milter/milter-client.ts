// One milter for one SMTP connection: the MTA side of the milter protocol as a state machine driven
// by SMTP stages (Postfix's milter8.c is the model).
//
// Invariants:
// - States: `idle` (connect() not called) → `open` (negotiated) → `done` (the milter accepted or
//   refused the whole connection, failed, or was closed). In `done` every event returns the verdict
//   that ended it, without I/O: a connection rejected at CONNECT stays rejected; a failed milter
//   keeps answering with its default action.
// - Timeouts and the default action are decided here and nowhere else: `exchange` picks the
//   connect/command/content deadline for the event, and `fail` turns any error (unreachable, timeout,
//   closed, protocol violation) into the default action: tempfail (451 4.7.1), reject (550 5.5.0) or
//   accept (the milter is skipped for the rest of the connection). The link is closed on failure.
// - Negotiated flags are honoured per event: macros for the event are sent even when the milter does
//   not want the event itself (as Postfix does); a `no-*` event is not sent; a `no-reply` event is
//   sent without waiting. Events the milter's protocol version lacks (UNKNOWN < 3, DATA < 4) are not
//   sent at all.
// - Within a message: `accept` silences the milter until the transaction ends (abort or end of
//   message); `skip` drops further events of the same type (body chunks). A new MAIL while a
//   transaction is open sends ABORT first, so the milter never sees two envelopes merged.
// - Modifications and quarantine are only accepted in reply to end-of-message and only when the
//   milter negotiated the matching action; they are returned only with a final accept/continue.
import type { Logger } from '../log.js';
import type { MilterCommand, MilterReply } from './codec.js';
import type { MilterEndpoint } from './endpoint.js';
import { MilterProtocolError } from './errors.js';
import { DEFAULT_MACROS, selectMacros, type MacroListStage, type MacroLists, type MacroValues } from './macros.js';
import { headerValueForMilter, splitMessage } from './message-parts.js';
import { MilterLink, type MilterDialer } from './milter-link.js';
import { EndOfMessageCollector, type EndOfMessage } from './end-of-message.js';
import { ALL_ACTIONS, Command, MAX_BODY_CHUNK, MILTER_VERSION, MIN_MILTER_VERSION, OFFERED_PROTOCOL, Protocol, type ClientFamily, type CommandCode, type MacroStage } from './protocol.js';
import { CONTINUE, fromReplyCode, MilterReplies, refusal, type MilterVerdict } from './verdict.js';

export type DefaultAction = 'tempfail' | 'accept' | 'reject';

export interface MilterSettings {
  readonly name: string;
  readonly endpoint: MilterEndpoint;
  readonly defaultAction: DefaultAction;
  /** Connecting and option negotiation. */
  readonly connectTimeoutMs: number;
  /** Each envelope event (CONNECT, HELO, MAIL, RCPT, DATA, unknown command). */
  readonly commandTimeoutMs: number;
  /** Each content event (header, end of headers, body chunk, end of message); SMFIR_PROGRESS restarts it. */
  readonly contentTimeoutMs: number;
  readonly macros: MacroLists;
  /** Upper bound of a replaced body, so a runaway milter cannot grow memory without end. */
  readonly maxBodyBytes: number;
}

export interface ClientInfo {
  /** The client's verified host name, or null when it has none (sent as `[address]`). */
  readonly hostname: string | null;
  readonly address: string;
  readonly port: number;
  readonly family: ClientFamily;
}

export interface MessageOutcome {
  readonly verdict: MilterVerdict;
  /** Only with a `continue` verdict: what the milter asked to change, in its order. */
  readonly endOfMessage: EndOfMessage | null;
}

interface Negotiated {
  readonly version: number;
  readonly actions: number;
  readonly protocol: number;
  readonly macroLists: ReadonlyMap<MacroStage, readonly string[]>;
}

interface EventSpec {
  readonly command: MilterCommand;
  readonly code: CommandCode;
  /** SMFIP_NO* flag that suppresses the event (0: always sent). */
  readonly unwanted: number;
  /** SMFIP_NR_* flag that suppresses the reply (0: always answered). */
  readonly noReply: number;
  readonly macros: MacroListStage | null;
  readonly timeout: 'command' | 'content';
  /** Part of a message transaction: skipped once the milter accepted the message. */
  readonly inMessage: boolean;
  readonly minVersion: number;
}

type State =
  | { readonly kind: 'idle' }
  | { readonly kind: 'open'; readonly link: MilterLink; readonly negotiated: Negotiated }
  | { readonly kind: 'done'; readonly verdict: MilterVerdict };

export class MilterClient {
  private state: State = { kind: 'idle' };
  private inTransaction = false;
  private messageAccepted = false;
  private skipping: CommandCode | null = null;

  constructor(
    private readonly settings: MilterSettings,
    private readonly dial: MilterDialer,
    private readonly log: Logger,
  ) {}

  get name(): string {
    return this.settings.name;
  }

  async connect(client: ClientInfo, macros: MacroValues): Promise<MilterVerdict> {
    if (this.state.kind !== 'idle') return this.settledVerdict();
    let link: MilterLink | null = null;
    try {
      link = await MilterLink.open(this.settings.endpoint, this.dial, this.settings.connectTimeoutMs);
      link.send({ kind: 'optneg', version: MILTER_VERSION, actions: ALL_ACTIONS, protocol: OFFERED_PROTOCOL });
      this.state = { kind: 'open', link, negotiated: negotiated(await link.receive(this.settings.connectTimeoutMs)) };
    } catch (error) {
      link?.close();
      return this.fail(error as Error);
    }
    const hostname = client.hostname ?? `[${client.address}]`;
    const command: MilterCommand = { kind: 'connect', hostname, family: client.family, port: client.port, address: client.address };
    return this.envelopeEvent(command, Command.connect, Protocol.noConnect, Protocol.noReplyConnect, 'connect', macros);
  }

  helo(name: string, macros: MacroValues): Promise<MilterVerdict> {
    return this.envelopeEvent({ kind: 'helo', name }, Command.helo, Protocol.noHelo, Protocol.noReplyHelo, 'helo', macros);
  }

  async mail(args: readonly string[], macros: MacroValues): Promise<MilterVerdict> {
    this.abort();
    this.inTransaction = true;
    return this.envelopeEvent({ kind: 'mail', args }, Command.mail, Protocol.noMail, Protocol.noReplyMail, 'mail', macros);
  }

  rcpt(args: readonly string[], macros: MacroValues): Promise<MilterVerdict> {
    return this.event({ command: { kind: 'rcpt', args }, code: Command.rcpt, unwanted: Protocol.noRcpt, noReply: Protocol.noReplyRcpt, macros: 'rcpt', timeout: 'command', inMessage: true, minVersion: 2 }, macros);
  }

  data(macros: MacroValues): Promise<MilterVerdict> {
    return this.event({ command: { kind: 'data' }, code: Command.data, unwanted: Protocol.noData, noReply: Protocol.noReplyData, macros: 'data', timeout: 'command', inMessage: true, minVersion: 4 }, macros);
  }

  unknown(command: string, macros: MacroValues): Promise<MilterVerdict> {
    return this.event({ command: { kind: 'unknown', command }, code: Command.unknown, unwanted: Protocol.noUnknown, noReply: Protocol.noReplyUnknown, macros: 'unknown', timeout: 'command', inMessage: true, minVersion: 3 }, macros);
  }

  /** Headers, end of headers, body in chunks of at most 64 KiB, end of message; then the transaction ends. */
  async message(message: Buffer, macros: MacroValues): Promise<MessageOutcome> {
    try {
      return await this.sendMessage(message, macros);
    } finally {
      this.inTransaction = false;
      this.messageAccepted = false;
      this.skipping = null;
    }
  }

  /** The transaction ended without a message (RSET, a refused MAIL/RCPT/DATA, a new MAIL). */
  abort(): void {
    if (this.inTransaction) this.post({ kind: 'abort' });
    this.inTransaction = false;
    this.messageAccepted = false;
    this.skipping = null;
  }

  /** The SMTP connection ended: QUIT and close. */
  quit(): void {
    this.settle(CONTINUE);
  }

  private async sendMessage(message: Buffer, macros: MacroValues): Promise<MessageOutcome> {
    const parts = splitMessage(message);
    const content = (command: MilterCommand, code: CommandCode, unwanted: number, noReply: number, stage: MacroListStage) =>
      this.event({ command, code, unwanted, noReply, macros: stage, timeout: 'content', inMessage: true, minVersion: 2 }, macros);
    const leadingSpace = this.state.kind === 'open' && (this.state.negotiated.protocol & Protocol.headerLeadingSpace) !== 0;
    for (const field of parts.headers) {
      const header: MilterCommand = { kind: 'header', name: field.name, value: headerValueForMilter(field, leadingSpace) };
      const verdict = await content(header, Command.header, Protocol.noHeaders, Protocol.noReplyHeader, 'eoh');
      if (!this.stillListening(verdict)) return { verdict, endOfMessage: null };
    }
    const eoh = await content({ kind: 'eoh' }, Command.endOfHeaders, Protocol.noEndOfHeaders, Protocol.noReplyEndOfHeaders, 'eoh');
    if (!this.stillListening(eoh)) return { verdict: eoh, endOfMessage: null };
    for (let offset = 0; offset < parts.body.length; offset += MAX_BODY_CHUNK) {
      const chunk = parts.body.subarray(offset, offset + MAX_BODY_CHUNK);
      const verdict = await content({ kind: 'body', chunk }, Command.body, Protocol.noBody, Protocol.noReplyBody, 'eom');
      if (!this.stillListening(verdict)) return { verdict, endOfMessage: null };
    }
    const collector = this.state.kind === 'open' ? this.collector(this.state.negotiated) : undefined;
    const verdict = await this.event(
      { command: { kind: 'eom' }, code: Command.endOfMessage, unwanted: 0, noReply: 0, macros: 'eom', timeout: 'content', inMessage: true, minVersion: 2 },
      macros,
      collector,
    );
    const answered = verdict.action === 'continue' && this.state.kind === 'open' && collector;
    return { verdict, endOfMessage: answered ? collector.finish() : null };
  }

  /** After a content event: whether the milter still wants the rest of this message. */
  private stillListening(verdict: MilterVerdict): boolean {
    return verdict.action === 'continue' && this.state.kind === 'open' && !this.messageAccepted;
  }

  private envelopeEvent(command: MilterCommand, code: CommandCode, unwanted: number, noReply: number, stage: MacroListStage, macros: MacroValues): Promise<MilterVerdict> {
    return this.event({ command, code, unwanted, noReply, macros: stage, timeout: 'command', inMessage: false, minVersion: 2 }, macros);
  }

  private collector(negotiated: Negotiated): EndOfMessageCollector {
    const leadingSpace = (negotiated.protocol & Protocol.headerLeadingSpace) !== 0;
    return new EndOfMessageCollector(negotiated.actions, leadingSpace, this.settings.maxBodyBytes);
  }

  private async event(spec: EventSpec, values: MacroValues, endOfMessage?: EndOfMessageCollector): Promise<MilterVerdict> {
    const state = this.state;
    if (state.kind !== 'open') return this.settledVerdict();
    if (spec.inMessage && this.messageAccepted) return CONTINUE;
    const { negotiated, link } = state;
    if (negotiated.version < spec.minVersion) return CONTINUE;
    if (this.skipping === spec.code) return CONTINUE;
    this.skipping = null;
    try {
      if (spec.macros !== null) {
        const names = (spec.macros !== 'unknown' && negotiated.macroLists.get(spec.macros)) || this.settings.macros[spec.macros] || DEFAULT_MACROS[spec.macros];
        const pairs = selectMacros(names, values);
        if (pairs.length > 0) link.send({ kind: 'macro', stage: spec.code, macros: pairs });
      }
      if ((negotiated.protocol & spec.unwanted) !== 0) return CONTINUE;
      link.send(spec.command);
      if ((negotiated.protocol & spec.noReply) !== 0) return CONTINUE;
      return await this.exchange(spec, link, endOfMessage);
    } catch (error) {
      return this.fail(error as Error);
    }
  }

  /** Reads replies to one event until its final one. */
  private async exchange(spec: EventSpec, link: MilterLink, endOfMessage: EndOfMessageCollector | undefined): Promise<MilterVerdict> {
    const timeoutMs = spec.timeout === 'command' ? this.settings.commandTimeoutMs : this.settings.contentTimeoutMs;
    const connectionLevel = spec.code === Command.connect || spec.code === Command.helo;
    for (;;) {
      const reply = await link.receive(timeoutMs);
      switch (reply.kind) {
        case 'progress':
          continue;
        case 'continue':
          return CONTINUE;
        case 'skip':
          this.skipping = spec.code;
          return CONTINUE;
        case 'accept':
          if (connectionLevel) return this.settle(CONTINUE);
          this.messageAccepted = true;
          return CONTINUE;
        case 'discard':
          if (connectionLevel) {
            this.log.warn('milter.discard-ignored', { milter: this.name, reason: 'DISCARD is not allowed at connect or HELO' });
            return CONTINUE;
          }
          this.messageAccepted = true;
          return { action: 'discard', milter: this.name };
        case 'reject':
          return this.refuse(connectionLevel, refusal(this.name, MilterReplies.rejected()));
        case 'tempfail':
          return this.refuse(connectionLevel, refusal(this.name, MilterReplies.tempfailed()));
        case 'reply-code':
          return this.refuse(connectionLevel, fromReplyCode(this.name, reply.reply));
        case 'shutdown':
        case 'connection-failure':
          return this.settle(refusal(this.name, MilterReplies.shutdown()));
        default:
          if (!endOfMessage) throw new MilterProtocolError(`unexpected reply '${reply.kind}' to ${spec.command.kind}`);
          endOfMessage.add(reply);
      }
    }
  }

  private refuse(connectionLevel: boolean, verdict: MilterVerdict): MilterVerdict {
    return connectionLevel ? this.settle(verdict) : verdict;
  }

  /** Ends the conversation with this milter; `verdict` answers every later event. */
  private settle(verdict: MilterVerdict): MilterVerdict {
    if (this.state.kind === 'open') this.state.link.finish({ kind: 'quit' });
    this.state = { kind: 'done', verdict };
    return verdict;
  }

  /** Sends a command that has no reply; a link that already failed takes the failure path. */
  private post(command: MilterCommand): void {
    if (this.state.kind !== 'open') return;
    try {
      this.state.link.send(command);
    } catch (error) {
      this.fail(error as Error);
    }
  }

  private fail(error: Error): MilterVerdict {
    this.log.warn('milter.failed', { milter: this.name, error: error.message, defaultAction: this.settings.defaultAction });
    if (this.state.kind === 'open') this.state.link.close();
    const verdict =
      this.settings.defaultAction === 'accept'
        ? CONTINUE
        : refusal(this.name, this.settings.defaultAction === 'reject' ? MilterReplies.unavailable() : MilterReplies.tempfailed());
    this.state = { kind: 'done', verdict };
    return verdict;
  }

  private settledVerdict(): MilterVerdict {
    return this.state.kind === 'done' ? this.state.verdict : CONTINUE;
  }
}

function negotiated(reply: MilterReply): Negotiated {
  if (reply.kind !== 'optneg') throw new MilterProtocolError(`expected option negotiation, got '${reply.kind}'`);
  if (reply.version < MIN_MILTER_VERSION || reply.version > MILTER_VERSION) {
    throw new MilterProtocolError(`milter protocol version ${reply.version} is not between ${MIN_MILTER_VERSION} and ${MILTER_VERSION}`);
  }
  if ((reply.actions & ~ALL_ACTIONS) !== 0) throw new MilterProtocolError(`milter asks for unknown actions 0x${reply.actions.toString(16)}`);
  // Bits we did not offer are ignored, as Postfix does; the milter gets only what we can do.
  return { version: reply.version, actions: reply.actions, protocol: reply.protocol & OFFERED_PROTOCOL, macroLists: reply.macroLists };
}
