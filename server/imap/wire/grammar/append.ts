// APPEND (one message; MULTIAPPEND, RFC 3502, is not supported).
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
}

// append = "APPEND" SP mailbox [SP flag-list] [SP date-time] SP literal (RFC 3501 §6.3.11)
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
  return { mailbox, flags, internalDate, message: r.literalBytes('message') };
}
