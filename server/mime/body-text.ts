// Decoded text for SEARCH (RFC 3501 §6.4.4): BODY and TEXT match case-insensitively against
// decoded text, SUBJECT/FROM/HEADER... against decoded header values.
//
// Invariants:
// - Body text comes from text/* parts (and parts that default to text/plain) and from leaf
//   message/* parts such as message/delivery-status (as Dovecot searches them), at any depth
//   including inside message/rfc822; application/*, image/* ... are never searched.
// - Each part is transfer-decoded (base64, quoted-printable) and converted from its charset
//   (unknown or missing charset: UTF-8 if valid, else windows-1252); parts are joined by "\n".
// - Header values are unfolded and their RFC 2047 encoded words decoded.

import { decodeBytes, decodeLatin1Bytes } from './charset.js';
import { decodeHeaderValue } from './encoded-word.js';
import { headerFields, fieldValue, fieldValues } from './header.js';
import { readMimeFields } from './mime-fields.js';
import { paramValue } from './params.js';
import type { MimePart, ParsedMessage } from './part-tree.js';
import { decodeTransfer } from './transfer-encoding.js';

/**
 * The decoded text of every searchable part of the message, in order; with `embeddedHeaders`, also
 * the headers of attached messages (message/rfc822), which SEARCH TEXT covers.
 */
export function decodedBodyText(raw: Buffer, parsed: ParsedMessage, embeddedHeaders = false): string {
  const texts: string[] = [];
  const pending: { part: MimePart; insideMultipart: boolean }[] = [{ part: parsed.root, insideMultipart: false }];
  while (pending.length > 0) {
    const { part, insideMultipart } = pending.pop() as { part: MimePart; insideMultipart: boolean };
    if (part.kind === 'text' || (part.kind === 'basic' && part.type.startsWith('message/'))) {
      const f = readMimeFields(raw, part, insideMultipart);
      const body = decodeTransfer(raw.subarray(part.bodyStart, part.bodyEnd), f.encoding);
      texts.push(decodeBytes(body, f.contentType === null ? null : paramValue(f.contentType.params, 'charset')));
    }
    if (embeddedHeaders && part.kind === 'message' && part.parts !== undefined) texts.push(decodedHeaderText(raw, parsed, part.parts[0]));
    const children = part.parts ?? [];
    for (let i = children.length - 1; i >= 0; i--) pending.push({ part: children[i], insideMultipart: part.kind === 'multipart' });
  }
  return texts.join('\n');
}

/** Decoded values of every field called `name` in the header of `part` (default: the message). */
export function decodedHeaderValues(raw: Buffer, parsed: ParsedMessage, name: string, part: MimePart = parsed.root): string[] {
  return fieldValues(raw, headerFields(raw, part.headerStart, part.headerEnd), name).map(decodeHeaderValue);
}

/** The whole header of `part` (default: the message) as decoded "Name: value" lines. */
export function decodedHeaderText(raw: Buffer, parsed: ParsedMessage, part: MimePart = parsed.root): string {
  return headerFields(raw, part.headerStart, part.headerEnd)
    .map((f) => `${decodeLatin1Bytes(f.name)}: ${decodeHeaderValue(fieldValue(raw, f))}`)
    .join('\n');
}
