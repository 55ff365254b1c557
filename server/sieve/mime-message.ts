// The SieveMessage view of stored message bytes, built from server/mime: what delivery hands to
// the engine. Header lookups read the top-level header once and each field's values are kept;
// body parts are decoded on demand and cached, since several body tests may ask. Callers must not
// change the arrays they get.

import { decodeBytes } from '../mime/charset.js';
import { fieldValues, headerFields, unfold } from '../mime/header.js';
import { readMimeFields } from '../mime/mime-fields.js';
import { paramValue } from '../mime/params.js';
import { parseMessage, type MimePart, type ParsedMessage } from '../mime/part-tree.js';
import { decodeTransfer } from '../mime/transfer-encoding.js';
import type { SieveBodyPart, SieveMessage } from './message.js';

function leafParts(raw: Buffer, parsed: ParsedMessage): SieveBodyPart[] {
  const out: SieveBodyPart[] = [];
  const walk = (part: MimePart, insideMultipart: boolean): void => {
    if (part.parts !== undefined && part.parts.length > 0) {
      for (const child of part.parts) walk(child, part.kind === 'multipart');
      return;
    }
    const isText = part.kind === 'text' || (part.kind === 'basic' && part.type.startsWith('message/'));
    const f = readMimeFields(raw, part, insideMultipart);
    const bytes = decodeTransfer(raw.subarray(part.bodyStart, part.bodyEnd), f.encoding);
    // RFC 5173 §5.2: non-text parts are matched transfer-decoded, byte for character
    const text = isText ? decodeBytes(bytes, f.contentType === null ? null : paramValue(f.contentType.params, 'charset')) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
    out.push({ contentType: part.type === '' ? 'text/plain' : part.type, text });
  };
  walk(parsed.root, false);
  return out;
}

/** A SieveMessage over CRLF-normalised message bytes (as stored). */
export function mimeSieveMessage(raw: Buffer, parsed: ParsedMessage = parseMessage(raw)): SieveMessage {
  const fields = headerFields(raw, parsed.root.headerStart, parsed.root.headerEnd);
  let parts: SieveBodyPart[] | null = null;
  // A script of many rules asks for the same few fields again and again.
  const values = new Map<string, string[]>();
  return {
    size: raw.length,
    headerValues(name) {
      const key = name.toLowerCase();
      let found = values.get(key);
      if (found === undefined) values.set(key, (found = fieldValues(raw, fields, name).map(unfold)));
      return found;
    },
    bodyParts: () => (parts ??= leafParts(raw, parsed)),
    rawBody: () => raw.toString('latin1', parsed.root.bodyStart, parsed.root.bodyEnd),
  };
}
