// The ACL commands (RFC 4314 §3): SETACL, DELETEACL, GETACL, LISTRIGHTS, MYRIGHTS. Identifiers and
// rights are astrings; their meaning (addresses, anyone, rights letters) is the store's to check.
import type { Reader } from '../tokens.js';

export interface AclArgs {
  readonly mailbox: string;
  /** SETACL, DELETEACL, LISTRIGHTS: the identifier the command is about. */
  readonly identifier: string;
  /** SETACL: the mod-rights (`+`/`-` prefixed or a replacement). */
  readonly rights: string;
}

// setacl = "SETACL" SP mailbox SP identifier SP mod-rights; mod-rights = astring (RFC 4314 §7)
export function parseSetAcl(r: Reader): AclArgs {
  const { mailbox, identifier } = parseMailboxIdentifier(r);
  r.sp('rights');
  return { mailbox, identifier, rights: r.astring('rights') };
}

// deleteacl = "DELETEACL" SP mailbox SP identifier; listrights = "LISTRIGHTS" SP mailbox SP identifier (RFC 4314 §7)
export function parseMailboxIdentifier(r: Reader): AclArgs {
  r.sp('mailbox name');
  const mailbox = r.mailbox();
  r.sp('identifier');
  return { mailbox, identifier: r.astring('identifier'), rights: '' };
}
