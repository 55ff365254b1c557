// The changes milters ask for at end of message, as values, and the two functions that carry them out:
// applyMessageModifications (headers and body, on the message bytes) and applyEnvelopeModifications
// (sender and recipients).
//
// Invariants (index semantics as Sendmail's libmilter documents them and Postfix's cleanup applies them):
// - Modifications apply in the order the milter sent them; each sees the result of the ones before.
// - change-header: `index` counts fields with that name, case-insensitively, from 1 (0 is read as 1).
//   If there is no such field the header is appended. delete-header removes that field if it exists.
// - insert-header: `index` is the number of fields that stay above the new one (0 = at the top); an
//   index past the end appends.
// - add-header appends after the last field.
// - replace-body: the chunks of one milter's SMFIR_REPLBODY replies, in order, form the new body; bare
//   LFs become CRLF, so the stored message keeps one line-ending convention.
// - Header values are stored exactly as they follow the colon (the client has already put back the
//   space Sendmail eats when the milter did not negotiate SMFIP_HDR_LEADSPC).
// - Recipients and sender compare without angle brackets, case-insensitively.
import { formatHeader, joinMessage, splitMessage, type HeaderField } from './message-parts.js';

export type Modification =
  | { readonly kind: 'add-header'; readonly name: string; readonly value: string }
  | { readonly kind: 'change-header'; readonly index: number; readonly name: string; readonly value: string }
  | { readonly kind: 'delete-header'; readonly index: number; readonly name: string }
  | { readonly kind: 'insert-header'; readonly index: number; readonly name: string; readonly value: string }
  | { readonly kind: 'replace-body'; readonly body: Buffer }
  | { readonly kind: 'change-from'; readonly sender: string; readonly args: string | null }
  | { readonly kind: 'add-recipient'; readonly recipient: string; readonly args: string | null }
  | { readonly kind: 'delete-recipient'; readonly recipient: string };

export interface Envelope {
  readonly sender: string;
  readonly senderArgs: string | null;
  readonly recipients: readonly { readonly address: string; readonly args: string | null }[];
}

export function applyMessageModifications(message: Buffer, modifications: readonly Modification[]): Buffer {
  if (!modifications.some(touchesMessage)) return message;
  const parts = splitMessage(message);
  const headers: HeaderField[] = [...parts.headers];
  let body = parts.body;
  let separator = parts.separator;
  for (const mod of modifications) {
    switch (mod.kind) {
      case 'add-header':
        headers.push(formatHeader(mod.name, mod.value));
        break;
      case 'change-header': {
        const at = nthNamed(headers, mod.name, mod.index);
        if (at < 0) headers.push(formatHeader(mod.name, mod.value));
        else headers[at] = formatHeader(mod.name, mod.value);
        break;
      }
      case 'delete-header': {
        const at = nthNamed(headers, mod.name, mod.index);
        if (at >= 0) headers.splice(at, 1);
        break;
      }
      case 'insert-header':
        headers.splice(Math.min(mod.index, headers.length), 0, formatHeader(mod.name, mod.value));
        break;
      case 'replace-body':
        body = toCrlf(mod.body);
        break;
      default:
        break;
    }
  }
  // A message that had no separator (headers only, or no headers) gets one once it has both parts.
  if (separator.length === 0 && headers.length > 0 && body.length > 0) separator = Buffer.from('\r\n');
  return joinMessage({ headers, separator, body });
}

export function applyEnvelopeModifications(envelope: Envelope, modifications: readonly Modification[]): Envelope {
  let { sender, senderArgs } = envelope;
  let recipients = [...envelope.recipients];
  for (const mod of modifications) {
    switch (mod.kind) {
      case 'change-from':
        sender = bare(mod.sender);
        senderArgs = mod.args;
        break;
      case 'add-recipient':
        if (!recipients.some((r) => sameAddress(r.address, mod.recipient))) {
          recipients.push({ address: bare(mod.recipient), args: mod.args });
        }
        break;
      case 'delete-recipient':
        recipients = recipients.filter((r) => !sameAddress(r.address, mod.recipient));
        break;
      default:
        break;
    }
  }
  return { sender, senderArgs, recipients };
}

function touchesMessage(mod: Modification): boolean {
  return mod.kind.endsWith('-header') || mod.kind === 'replace-body';
}

/** Position of the index-th (from 1; 0 means 1) field named `name`, or -1. */
function nthNamed(headers: readonly HeaderField[], name: string, index: number): number {
  const wanted = Math.max(index, 1);
  const lower = name.toLowerCase();
  let seen = 0;
  for (const [i, h] of headers.entries()) {
    if (h.name.toLowerCase() === lower && ++seen === wanted) return i;
  }
  return -1;
}

function toCrlf(body: Buffer): Buffer {
  return Buffer.from(body.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}

function bare(address: string): string {
  const trimmed = address.trim();
  return trimmed.startsWith('<') && trimmed.endsWith('>') ? trimmed.slice(1, -1) : trimmed;
}

function sameAddress(a: string, b: string): boolean {
  return bare(a).toLowerCase() === bare(b).toLowerCase();
}
