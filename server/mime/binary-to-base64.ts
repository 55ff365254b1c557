// Content-Transfer-Encoding: binary → base64 for a message APPENDed as literal8 (RFC 3516 §4.4),
// as Dovecot's binary converter does: the stored message stays line-oriented (it may be normalised
// to CRLF, searched and served with BODY[] to clients that know nothing of BINARY), and BINARY[part]
// gives the client its exact bytes back by decoding the base64.
//
// Invariants: only leaf parts (not multipart, not message/rfc822) whose own header says `binary` are
// rewritten: their header field value becomes `base64` and their body base64 in 76-character CRLF
// lines (RFC 2045 §6.8); every other byte of the message is kept as it was. A message without such a
// part is returned as the very same Buffer.
import { fieldValue, headerFields, sameName } from './header.js';
import { parseMessage, type MimePart } from './part-tree.js';

/** RFC 2045 §6.8: encoded lines are at most 76 characters. */
const BASE64_LINE = 76;

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly bytes: Buffer;
}

export function binaryPartsToBase64(raw: Buffer): Buffer {
  const edits: Edit[] = [];
  const visit = (part: MimePart): void => {
    if (part.kind === 'multipart' || part.kind === 'message') {
      for (const child of part.parts ?? []) visit(child);
      return;
    }
    const field = headerFields(raw, part.headerStart, part.headerEnd).find((f) => sameName(f.name, 'Content-Transfer-Encoding'));
    if (field === undefined || fieldValue(raw, field).trim().toLowerCase() !== 'binary') return;
    edits.push({ start: field.valueStart, end: field.valueEnd, bytes: Buffer.from('base64') });
    edits.push({ start: part.bodyStart, end: part.bodyEnd, bytes: base64Lines(raw.subarray(part.bodyStart, part.bodyEnd)) });
  };
  visit(parseMessage(raw).root);
  if (edits.length === 0) return raw;
  const pieces: Buffer[] = [];
  let at = 0;
  for (const edit of edits) {
    pieces.push(raw.subarray(at, edit.start), edit.bytes);
    at = edit.end;
  }
  pieces.push(raw.subarray(at));
  return Buffer.concat(pieces);
}

function base64Lines(body: Buffer): Buffer {
  const text = body.toString('base64');
  let out = '';
  for (let i = 0; i < text.length; i += BASE64_LINE) out += `${text.slice(i, i + BASE64_LINE)}\r\n`;
  return Buffer.from(out, 'latin1');
}
