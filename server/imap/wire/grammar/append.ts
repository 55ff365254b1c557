// APPEND with MULTIAPPEND (RFC 3502: several messages, stored all or none), literal8 (RFC 3516 §4.4)
// and CATENATE (RFC 4469: a message made of TEXT literals and URLs of messages or parts). At most
// MAX_CAT_PARTS parts per message; the framer bounds the bytes.
import { parseImapDateTime } from '../date-time.js';
import { ImapParseError } from '../errors.js';
import type { Reader } from '../tokens.js';
import { readFlagList } from './flags.js';
import { parseImapUrl, type ImapUrl } from './imap-url.js';

/** Parts of one CATENATE message (Dovecot allows no more either; 50 URLs are plenty for a composer). */
export const MAX_CAT_PARTS = 50;

/** One part of a CATENATE message: a literal sent now, or a URL to copy from (kept as sent for BADURL). */
export type CatenatePart =
  | { readonly kind: 'text'; readonly bytes: Buffer; readonly binary: boolean }
  | { readonly kind: 'url'; readonly url: string; readonly parsed: ImapUrl | null };

export interface AppendMessage {
  readonly flags: string[];
  /** The client's internal date, or null for "now". */
  readonly internalDate: Date | null;
  /** The message exactly as sent, or the parts CATENATE builds it from. */
  readonly content: { readonly kind: 'literal'; readonly message: Buffer; readonly binary: boolean } | { readonly kind: 'catenate'; readonly parts: CatenatePart[] };
}

export interface AppendArgs {
  readonly mailbox: string;
  /** One or more messages, in the order sent. */
  readonly messages: AppendMessage[];
}

// append = "APPEND" SP mailbox 1*append-message (RFC 3502 §6);
// append-message = append-opts SP append-data; append-opts = [SP flag-list] [SP date-time];
// append-data = literal / literal8 / "CATENATE" SP "(" cat-part *(SP cat-part) ")" (RFC 3501
// §6.3.11, RFC 3516 §7, RFC 4469 §5)
export function parseAppend(r: Reader): AppendArgs {
  r.sp('mailbox name');
  const mailbox = r.mailbox();
  const messages: AppendMessage[] = [];
  do {
    r.sp('message');
    messages.push(readAppendMessage(r));
  } while (!r.atEnd());
  return { mailbox, messages };
}

function readAppendMessage(r: Reader): AppendMessage {
  let flags: string[] = [];
  if (r.peek() === 0x28) {
    flags = readFlagList(r);
    r.sp('message');
  }
  let internalDate: Date | null = null;
  if (r.peek() === 0x22) {
    internalDate = parseImapDateTime(r.string('date-time'));
    if (internalDate === null) r.fail('Invalid date-time');
    r.sp('message');
  }
  if ((r.peek() | 0x20) !== 0x63) {
    // Not "C"/"c" of CATENATE: a literal or literal8, or the literal's error.
    const { bytes, binary } = r.literalOrLiteral8('message');
    return { flags, internalDate, content: { kind: 'literal', message: bytes, binary } };
  }
  if (r.keyword('message') !== 'CATENATE') r.fail('Expected a literal or CATENATE');
  r.sp('catenate parts');
  const parts = r.list('catenate parts', () => readCatPart(r));
  if (parts.length > MAX_CAT_PARTS) r.fail(`More than ${MAX_CAT_PARTS} CATENATE parts`);
  return { flags, internalDate, content: { kind: 'catenate', parts } };
}

// cat-part = text-literal / url; text-literal = "TEXT" SP literal (literal8 with BINARY, RFC 4469
// §5); url = "URL" SP astring. A URL that does not parse is kept for the command's NO [BADURL].
function readCatPart(r: Reader): CatenatePart {
  const kind = r.keyword('catenate part');
  r.sp('catenate part');
  if (kind === 'TEXT') {
    const { bytes, binary } = r.literalOrLiteral8('TEXT');
    return { kind: 'text', bytes, binary };
  }
  if (kind !== 'URL') r.fail(`Expected TEXT or URL, not ${kind.slice(0, 20)}`);
  const url = r.astring('URL');
  try {
    return { kind: 'url', url, parsed: parseImapUrl(url) };
  } catch (error) {
    if (error instanceof ImapParseError) return { kind: 'url', url, parsed: null };
    throw error;
  }
}
