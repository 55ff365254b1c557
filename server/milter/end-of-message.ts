// The replies a milter may send before its final end-of-message decision (modification requests and
// quarantine), checked against what it negotiated and collected in order.
//
// Invariants:
// - A request for an action the milter did not negotiate in SMFIC_OPTNEG is a protocol error (Sendmail
//   refuses these too); so is an empty header name.
// - Header values are stored as they will follow the colon: without SMFIP_HDR_LEADSPC the milter
//   sends them without the space Sendmail eats, and we put one back (Postfix's MILTER8_HDR_SPACE).
// - All SMFIR_REPLBODY chunks of one end of message form one replace-body modification, at the
//   position of the first chunk, bounded by maxBodyBytes.
import type { MilterReply } from './codec.js';
import { MilterProtocolError } from './errors.js';
import type { Modification } from './modifications.js';
import { Action } from './protocol.js';

export interface EndOfMessage {
  readonly modifications: Modification[];
  /** The reason of the last SMFIR_QUARANTINE, or null. */
  quarantine: string | null;
}

/** Collects one end-of-message conversation; finish() hands over the result. */
export class EndOfMessageCollector {
  private readonly result: EndOfMessage = { modifications: [], quarantine: null };
  /** Body chunks so far, and where their modification sits in the list. */
  private body: { readonly at: number; readonly chunks: Buffer[]; bytes: number } | null = null;

  constructor(
    private readonly actions: number,
    private readonly leadingSpace: boolean,
    private readonly maxBodyBytes: number,
  ) {}

  add(reply: MilterReply): void {
    collectModification(reply, this.actions, this.leadingSpace, this.result, (chunk) => this.addBody(chunk));
  }

  finish(): EndOfMessage {
    if (this.body) this.result.modifications[this.body.at] = { kind: 'replace-body', body: Buffer.concat(this.body.chunks) };
    return this.result;
  }

  private addBody(chunk: Buffer): void {
    if (!this.body) {
      this.body = { at: this.result.modifications.length, chunks: [], bytes: 0 };
      this.result.modifications.push({ kind: 'replace-body', body: Buffer.alloc(0) });
    }
    this.body.bytes += chunk.length;
    if (this.body.bytes > this.maxBodyBytes) throw new MilterProtocolError(`replacement body exceeds ${this.maxBodyBytes} bytes`);
    this.body.chunks.push(chunk);
  }
}

function collectModification(reply: MilterReply, actions: number, leadingSpace: boolean, into: EndOfMessage, addBody: (chunk: Buffer) => void): void {
  const require = (action: number, what: string) => {
    if ((actions & action) === 0) throw new MilterProtocolError(`milter asked to ${what} without negotiating it`);
  };
  const headerName = (name: string) => {
    if (name === '') throw new MilterProtocolError('milter sent a header change with an empty name');
    return name;
  };
  const value = (v: string) => (leadingSpace ? v : ` ${v}`);
  switch (reply.kind) {
    case 'add-header':
      require(Action.addHeaders, 'add a header');
      into.modifications.push({ kind: 'add-header', name: headerName(reply.name), value: value(reply.value) });
      return;
    case 'insert-header':
      require(Action.addHeaders, 'insert a header');
      into.modifications.push({ kind: 'insert-header', index: reply.index, name: headerName(reply.name), value: value(reply.value) });
      return;
    case 'change-header':
      require(Action.changeHeaders, 'change a header');
      into.modifications.push(
        reply.value === ''
          ? { kind: 'delete-header', index: reply.index, name: headerName(reply.name) }
          : { kind: 'change-header', index: reply.index, name: headerName(reply.name), value: value(reply.value) },
      );
      return;
    case 'change-from':
      require(Action.changeFrom, 'change the sender');
      into.modifications.push({ kind: 'change-from', sender: reply.sender, args: reply.args });
      return;
    case 'add-recipient':
      require(reply.args === null ? Action.addRecipients | Action.addRecipientsWithArgs : Action.addRecipientsWithArgs, 'add a recipient');
      into.modifications.push({ kind: 'add-recipient', recipient: reply.recipient, args: reply.args });
      return;
    case 'delete-recipient':
      require(Action.deleteRecipients, 'delete a recipient');
      into.modifications.push({ kind: 'delete-recipient', recipient: reply.recipient });
      return;
    case 'replace-body':
      require(Action.changeBody, 'replace the body');
      addBody(reply.chunk);
      return;
    case 'quarantine':
      require(Action.quarantine, 'quarantine the message');
      into.quarantine = reply.reason;
      return;
    default:
      throw new MilterProtocolError(`unexpected reply '${reply.kind}' to end of message`);
  }
}
