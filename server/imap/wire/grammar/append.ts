// APPEND (one message; MULTIAPPEND, RFC 3502, is not supported), with literal8 (RFC 3516 §4.4).
import { parseImapDateTime } from '../date-time.js';
import type { Reader } from '../tokens.js';
import { readFlagList } from './flags.js';

export interface AppendArgs {
  readonly mailbox: string;
  readonly flags: string[];
  /** The client's internal date, or null for "now". */
  readonly internalDate: Date | null;
  /** The message, exactly as sent. */
  readonly message: Buffer;
  /** Sent as literal8 (BINARY): may hold NUL and parts with Content-Transfer-Encoding binary. */
  readonly binary: boolean;
}

// append = "APPEND" SP mailbox [SP flag-list] [SP date-time] SP literal (RFC 3501 §6.3.11);
// append-data =/ literal8 (RFC 3516 §7)
export function parseAppend(r: Reader): AppendArgs {
  r.sp('mailbox name');
  const mailbox = r.mailbox();
  r.sp('message');
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
  return { mailbox, flags, internalDate, message: bytes, binary };
}
