// What the store caches per message row for IMAP (ENVELOPE, BODYSTRUCTURE, the MIME part tree with
// byte offsets, the sent date), computed by server/mime. This is the one place delivery asks for it.
//
// The shared bytes are parsed once per message; each local copy is `prefix || shared`, where the
// prefix is header lines (Return-Path, Delivered-To) in front of the root header. Such lines change
// neither ENVELOPE nor BODYSTRUCTURE (neither looks at those fields, and body sizes do not move), only
// the offsets: every offset after 0 shifts by the prefix length, and the root header starts at 0.
// The ENVELOPE is also kept in IMAP wire form (migrations/0003), made by the IMAP encoder itself so
// FETCH can send it as is.
import { encodeImapValue } from '../imap/wire/encoder.js';
import { bodyStructure, envelope, fieldValues, headerFields, parseMessage, sentDate, unfold, type MimePart, type ParsedMessage } from '../mime/index.js';
import type { LocalCopy } from '../store/index.js';

export interface MessageDescription {
  envelope: string;
  /** The ENVELOPE as FETCH writes it: encodeImapValue of the value `envelope` holds as JSON. */
  envelopeWire: string;
  bodystructure: string;
  parts: string;
  sentDate: number | null;
}

export interface DescribedMessage {
  /** The Message-ID field (unfolded, as written), for the log and the queue. */
  messageId: string | null;
  /** The part tree of the shared bytes (Sieve reads the message through it). */
  parsed: ParsedMessage;
  /** The description of `prefix || shared` for a prefix of this many bytes. */
  forCopy(prefixLength: number): MessageDescription;
  /** The store row for one local recipient: Return-Path and Delivered-To in front of the shared bytes. */
  copyFor(target: { mailboxId: number; address: string }, sender: string, internalDate: number): LocalCopy;
}

export function describeMessage(shared: Buffer): DescribedMessage {
  const parsed = parseMessage(shared);
  const envelopeValue = envelope(shared, parsed.root);
  const fixed = {
    envelope: JSON.stringify(envelopeValue),
    envelopeWire: encodeImapValue(envelopeValue),
    bodystructure: JSON.stringify(bodyStructure(shared, parsed)),
    sentDate: sentDate(shared, parsed),
  };
  const ids = fieldValues(shared, headerFields(shared, parsed.root.headerStart, parsed.root.headerEnd), 'message-id');
  const forCopy = (prefixLength: number): MessageDescription => ({ ...fixed, parts: JSON.stringify(shiftTree(parsed, prefixLength)) });
  return {
    messageId: ids.length > 0 ? unfold(ids[0]).trim() || null : null,
    parsed,
    forCopy,
    copyFor(target, sender, internalDate) {
      const prefix = Buffer.from(`Return-Path: <${sender}>\r\nDelivered-To: ${target.address}\r\n`, 'utf8');
      return { mailboxId: target.mailboxId, prefix, flags: 0, keywords: [], internalDate, ...forCopy(prefix.length) };
    },
  };
}

function shiftTree(parsed: ParsedMessage, by: number): ParsedMessage {
  if (by === 0) return parsed;
  const shift = (p: MimePart, isRoot: boolean): MimePart => ({
    ...p,
    headerStart: isRoot ? 0 : p.headerStart + by,
    headerEnd: p.headerEnd + by,
    bodyStart: p.bodyStart + by,
    bodyEnd: p.bodyEnd + by,
    ...(p.parts ? { parts: p.parts.map((c) => shift(c, false)) } : {}),
  });
  return { ...parsed, size: parsed.size + by, root: shift(parsed.root, true) };
}
