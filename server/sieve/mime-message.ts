// The SieveMessage view of stored message bytes, built from server/mime: what delivery hands to
// the engine. The top-level header is read and indexed by lower-case field name on the first
// lookup, and each name's values are unfolded once and kept (runs of several recipients share
// them); body parts are decoded on demand and cached, since several body tests may ask. Callers
// must not change the arrays they get.

import { decodeBytes } from '../mime/charset.js';
import { fieldValue, headerFields, unfold, type HeaderField } from '../mime/header.js';
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

const NO_VALUES: string[] = Object.freeze([]) as unknown as string[];

/** A field name's fields, and their values once asked for. */
interface Named {
  fields: HeaderField[];
  values: string[] | null;
}

/** The fields of a header block by lower-case name, in order. */
function indexFields(raw: Buffer, part: MimePart): Map<string, Named> {
  const index = new Map<string, Named>();
  for (const field of headerFields(raw, part.headerStart, part.headerEnd)) {
    const key = field.name.toLowerCase();
    const named = index.get(key);
    if (named === undefined) index.set(key, { fields: [field], values: null });
    else named.fields.push(field);
  }
  return index;
}

/** A SieveMessage over CRLF-normalised message bytes (as stored). */
export function mimeSieveMessage(raw: Buffer, parsed: ParsedMessage = parseMessage(raw)): SieveMessage {
  // A script of many rules asks for the same few fields again and again, and so do the runs of
  // several recipients.
  let index: Map<string, Named> | null = null;
  let parts: SieveBodyPart[] | null = null;
  return {
    size: raw.length,
    headerValues(name) {
      index ??= indexFields(raw, parsed.root);
      const named = index.get(name) ?? index.get(name.toLowerCase());
      if (named === undefined) return NO_VALUES;
      return (named.values ??= named.fields.map((f) => unfold(fieldValue(raw, f))));
    },
    bodyParts: () => (parts ??= leafParts(raw, parsed)),
    rawBody: () => raw.toString('latin1', parsed.root.bodyStart, parsed.root.bodyEnd),
  };
}
