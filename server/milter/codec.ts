// Milter packets ↔ typed messages: encodeCommand (MTA → milter) and decodeReply (milter → MTA).
// Pure; framing of the byte stream is packet-reader.ts.
//
// Invariants:
// - Strings go on the wire as UTF-8 with a terminating NUL; a string that itself contains NUL is
//   refused when encoding (it would shift every later field).
// - decodeReply accepts exactly the layout libmilter writes for each reply: every string terminated,
//   no bytes left over, numbers in range. Anything else is a MilterProtocolError.
import { MilterProtocolError } from './errors.js';
import type { Packet } from './packet-reader.js';
import { Command, Family, MACRO_STAGES, Reply, type ClientFamily, type CommandCode, type MacroStage } from './protocol.js';
import { parseReplyCode, type MilterSmtpReply } from './reply-code.js';

export type MilterCommand =
  | { readonly kind: 'optneg'; readonly version: number; readonly actions: number; readonly protocol: number }
  /** Macros for the event `stage` that follows (SMFIC_MACRO); pairs of name and value. */
  | { readonly kind: 'macro'; readonly stage: CommandCode; readonly macros: readonly (readonly [string, string])[] }
  | { readonly kind: 'connect'; readonly hostname: string; readonly family: ClientFamily; readonly port: number; readonly address: string }
  | { readonly kind: 'helo'; readonly name: string }
  /** The sender (`<a@b>`) followed by its ESMTP parameters (`SIZE=100`). */
  | { readonly kind: 'mail'; readonly args: readonly string[] }
  | { readonly kind: 'rcpt'; readonly args: readonly string[] }
  | { readonly kind: 'data' }
  | { readonly kind: 'header'; readonly name: string; readonly value: string }
  | { readonly kind: 'eoh' }
  | { readonly kind: 'body'; readonly chunk: Buffer }
  | { readonly kind: 'eom' }
  | { readonly kind: 'abort' }
  | { readonly kind: 'quit' }
  | { readonly kind: 'unknown'; readonly command: string };

export type MilterReply =
  | {
      readonly kind: 'optneg';
      readonly version: number;
      readonly actions: number;
      readonly protocol: number;
      /** SMFIR_SETSYMLIST data appended to the negotiation: the macros the milter wants per stage. */
      readonly macroLists: ReadonlyMap<MacroStage, readonly string[]>;
    }
  | { readonly kind: 'accept' | 'continue' | 'discard' | 'reject' | 'tempfail' | 'skip' | 'progress' | 'shutdown' | 'connection-failure' }
  | { readonly kind: 'reply-code'; readonly reply: MilterSmtpReply }
  | { readonly kind: 'quarantine'; readonly reason: string }
  | { readonly kind: 'add-header'; readonly name: string; readonly value: string }
  | { readonly kind: 'change-header' | 'insert-header'; readonly index: number; readonly name: string; readonly value: string }
  | { readonly kind: 'change-from'; readonly sender: string; readonly args: string | null }
  | { readonly kind: 'add-recipient'; readonly recipient: string; readonly args: string | null }
  | { readonly kind: 'delete-recipient'; readonly recipient: string }
  | { readonly kind: 'replace-body'; readonly chunk: Buffer };

export function encodeCommand(command: MilterCommand): Buffer {
  switch (command.kind) {
    case 'optneg':
      return packet(Command.optionNegotiation, [uint32(command.version), uint32(command.actions), uint32(command.protocol)]);
    case 'macro':
      return packet(Command.macro, [Buffer.from(command.stage, 'latin1'), ...command.macros.flatMap(([name, value]) => [cstring(name), cstring(value)])]);
    case 'connect': {
      const fields = [cstring(command.hostname), Buffer.from(Family[command.family], 'latin1')];
      if (command.family !== 'unknown') fields.push(uint16(command.port), cstring(command.address));
      return packet(Command.connect, fields);
    }
    case 'helo':
      return packet(Command.helo, [cstring(command.name)]);
    case 'mail':
      return packet(Command.mail, command.args.map(cstring));
    case 'rcpt':
      return packet(Command.rcpt, command.args.map(cstring));
    case 'data':
      return packet(Command.data, []);
    case 'header':
      return packet(Command.header, [cstring(command.name), cstring(command.value)]);
    case 'eoh':
      return packet(Command.endOfHeaders, []);
    case 'body':
      return packet(Command.body, [command.chunk]);
    case 'eom':
      return packet(Command.endOfMessage, []);
    case 'abort':
      return packet(Command.abort, []);
    case 'quit':
      return packet(Command.quit, []);
    case 'unknown':
      return packet(Command.unknown, [cstring(command.command)]);
  }
}

const BARE_REPLIES: Readonly<Record<string, MilterReply['kind']>> = {
  [Reply.accept]: 'accept',
  [Reply.continue]: 'continue',
  [Reply.discard]: 'discard',
  [Reply.reject]: 'reject',
  [Reply.tempfail]: 'tempfail',
  [Reply.skip]: 'skip',
  [Reply.progress]: 'progress',
  [Reply.shutdown]: 'shutdown',
  [Reply.connectionFailure]: 'connection-failure',
};

export function decodeReply({ code, data }: Packet): MilterReply {
  const bare = BARE_REPLIES[code];
  if (bare !== undefined) {
    if (data.length !== 0) throw new MilterProtocolError(`reply '${code}' carries ${data.length} unexpected bytes`);
    return { kind: bare } as MilterReply;
  }
  const fields = new Fields(data, code);
  switch (code) {
    case Reply.optionNegotiation:
      return decodeNegotiation(fields);
    case Reply.replyCode: {
      // Like Postfix, take the whole buffer and drop one terminating NUL (a NUL inside is refused below).
      const text = data.toString('utf8', 0, data.at(-1) === 0 ? data.length - 1 : data.length);
      const reply = parseReplyCode(text);
      if (!reply) throw new MilterProtocolError(`malformed SMTP reply from milter: ${JSON.stringify(text.slice(0, 200))}`);
      return { kind: 'reply-code', reply };
    }
    case Reply.quarantine:
      return fields.done({ kind: 'quarantine', reason: fields.string() });
    case Reply.addHeader:
      return fields.done({ kind: 'add-header', name: fields.string(), value: fields.string() });
    case Reply.changeHeader:
    case Reply.insertHeader:
      return fields.done({
        kind: code === Reply.changeHeader ? 'change-header' : 'insert-header',
        index: fields.uint32(),
        name: fields.string(),
        value: fields.string(),
      });
    case Reply.changeFrom:
      return fields.done({ kind: 'change-from', sender: fields.string(), args: fields.optionalString() });
    case Reply.addRecipient:
      return fields.done({ kind: 'add-recipient', recipient: fields.string(), args: null });
    case Reply.addRecipientWithArgs:
      return fields.done({ kind: 'add-recipient', recipient: fields.string(), args: fields.optionalString() });
    case Reply.deleteRecipient:
      return fields.done({ kind: 'delete-recipient', recipient: fields.string() });
    case Reply.replaceBody:
      return { kind: 'replace-body', chunk: data };
    default:
      throw new MilterProtocolError(`unknown reply code 0x${code.charCodeAt(0).toString(16)}`);
  }
}

function decodeNegotiation(fields: Fields): MilterReply {
  const version = fields.uint32();
  const actions = fields.uint32();
  const protocol = fields.uint32();
  const macroLists = new Map<MacroStage, readonly string[]>();
  while (!fields.atEnd()) {
    const stageNumber = fields.uint32();
    const names = fields.string().split(/[\s,]+/).filter((n) => n !== '');
    const stage = MACRO_STAGES[stageNumber];
    // Unknown stages are skipped, as Postfix does: a newer libmilter may define more.
    if (stage !== undefined) macroLists.set(stage, names);
  }
  return { kind: 'optneg', version, actions, protocol, macroLists };
}

/** A cursor over a reply's data that refuses to read past the end. */
class Fields {
  private offset = 0;
  constructor(
    private readonly data: Buffer,
    private readonly code: string,
  ) {}

  uint32(): number {
    if (this.offset + 4 > this.data.length) throw this.short();
    const value = this.data.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  string(): string {
    const nul = this.data.indexOf(0, this.offset);
    if (nul < 0) throw this.short();
    const value = this.data.toString('utf8', this.offset, nul);
    this.offset = nul + 1;
    return value;
  }

  /** A trailing string libmilter may leave out (ESMTP arguments of CHGFROM/ADDRCPT_PAR). */
  optionalString(): string | null {
    return this.atEnd() ? null : this.string();
  }

  atEnd(): boolean {
    return this.offset >= this.data.length;
  }

  end(): void {
    if (!this.atEnd()) throw new MilterProtocolError(`reply '${this.code}' has ${this.data.length - this.offset} bytes too many`);
  }

  /** Returns `reply` once its fields (read while building it) have used up the data exactly. */
  done<T extends MilterReply>(reply: T): T {
    this.end();
    return reply;
  }

  private short(): MilterProtocolError {
    return new MilterProtocolError(`reply '${this.code}' is truncated`);
  }
}

function packet(code: string, fields: readonly Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from(code, 'latin1'), ...fields]);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

function cstring(value: string): Buffer {
  if (value.includes('\0')) throw new MilterProtocolError('a milter string cannot contain NUL');
  return Buffer.from(`${value}\0`, 'utf8');
}

function uint32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0, 0);
  return b;
}

function uint16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value, 0);
  return b;
}
