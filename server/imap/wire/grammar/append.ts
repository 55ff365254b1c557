// APPEND with MULTIAPPEND (RFC 3502: several messages, stored all or none) and literal8 (RFC 3516 §4.4).
import { parseImapDateTime } from '../date-time.js';
import type { Reader } from '../tokens.js';
import { readFlagList } from './flags.js';

export interface AppendMessage {
  readonly flags: string[];
  /** The client's internal date, or null for "now". */
  readonly internalDate: Date | null;
  /** The message, exactly as sent. */
  readonly message: Buffer;
  /** Sent as literal8 (BINARY): may hold NUL and parts with Content-Transfer-Encoding binary. */
  readonly binary: boolean;
}

export interface AppendArgs {
  readonly mailbox: string;
  /** One or more messages, in the order sent. */
  readonly messages: AppendMessage[];
}

// append = "APPEND" SP mailbox 1*append-message (RFC 3502 §6);
// append-message = append-opts SP append-data; append-opts = [SP flag-list] [SP date-time];
// append-data = literal / literal8 (RFC 3501 §6.3.11, RFC 3516 §7)
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
  const { bytes, binary } = r.literalOrLiteral8('message');
  return { flags, internalDate, message: bytes, binary };
}
