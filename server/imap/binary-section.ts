// BINARY[part] and BINARY.SIZE[part] (RFC 3516 §4.1, §4.2): a MIME part's content with its
// Content-Transfer-Encoding undone, located with the cached part tree like BODY[part].
//
// Rules:
// - A leaf part (text or other single part) is decoded per its own Content-Transfer-Encoding:
//   base64 and quoted-printable are decoded (mime/transfer-encoding), 7bit, 8bit, binary and none
//   are the bytes as stored; any other encoding is NO [UNKNOWN-CTE] (RFC 3516 §4.3).
// - BINARY[] (the whole message), a multipart and a message/rfc822 part have no encoding of their
//   own to undo (RFC 2045 §6.4 allows only identity encodings there), so they are the bytes as
//   BODY[part] gives them.
// - A part that does not exist is empty, as for BODY[part].
// - <partial> applies to the decoded bytes (RFC 3516 §4.1); BINARY.SIZE is the decoded length.
import { decodeTransfer, fieldValue, findPart, headerFields, sameName, type ParsedMessage } from '../mime/index.js';
import { ImapNo } from './errors.js';

/** What BINARY needs of a message (fetch-data's MessageData). */
export interface BinarySource {
  readonly size: number;
  parts(): Promise<ParsedMessage>;
  /** Bytes [start, end) of the stored message. */
  read(start: number, end: number): Promise<Buffer>;
}

const IDENTITY = new Set(['', '7bit', '8bit', 'binary']);
const DECODED = new Set(['base64', 'quoted-printable']);

/** The decoded content of `part` (empty path: the whole message). */
export async function binaryContent(message: BinarySource, part: readonly number[]): Promise<Buffer> {
  if (part.length === 0) return message.read(0, message.size);
  const found = findPart(await message.parts(), part);
  if (found === null) return Buffer.alloc(0);
  const body = await message.read(found.bodyStart, found.bodyEnd);
  if (found.kind === 'multipart' || found.kind === 'message') return body;
  const header = await message.read(found.headerStart, found.headerEnd);
  const field = headerFields(header, 0, header.length).find((f) => sameName(f.name, 'Content-Transfer-Encoding'));
  const encoding = field === undefined ? '' : fieldValue(header, field).trim().toLowerCase();
  if (IDENTITY.has(encoding)) return body;
  if (DECODED.has(encoding)) return Buffer.from(decodeTransfer(body, encoding));
  throw new ImapNo(`Unknown Content-Transfer-Encoding ${JSON.stringify(encoding.slice(0, 40))} in part ${part.join('.')}`, 'UNKNOWN-CTE');
}
