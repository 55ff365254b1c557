// Mailbox names and LIST patterns (RFC 3501 §5.1, §6.3.8). Names arrive decoded from modified UTF-7
// with INBOX normalised (wire/grammar/mailbox.ts); the hierarchy delimiter is `/`.
//
// Invariants: a name accepted by checkNewName has no empty level (so no leading, trailing or doubled
// `/`), no wildcard (`*`, `%`: they would make LIST patterns ambiguous) and no control character,
// and is at most MAX_NAME_BYTES long with at most MAX_DEPTH levels. A pattern matches case-sensitively
// except that the INBOX prefix is matched case-insensitively (`in*` lists INBOX, `inbox*` INBOX and its
// children; RFC 3501 §5.1), and a pattern's leading `inbox/` is read as `INBOX/`.
import { ImapNo } from './errors.js';
import { normalizeMailboxName, UNDECODABLE_NAME } from './wire/index.js';

export const DELIMITER = '/';
/** Dovecot's mailbox_list_name_max_length-ish bound, in UTF-8 bytes. */
const MAX_NAME_BYTES = 255;
const MAX_DEPTH = 16;

/** Checks a name for CREATE or a RENAME target; CREATE's trailing delimiter is dropped (RFC 3501 §6.3.3). */
export function checkNewName(name: string): string {
  const trimmed = name.endsWith(DELIMITER) ? name.slice(0, -1) : name;
  const levels = trimmed.split(DELIMITER);
  if (trimmed.startsWith(UNDECODABLE_NAME)) throw new ImapNo('Invalid mailbox name: not modified UTF-7', 'CANNOT');
  if (trimmed === '' || levels.some((level) => level === '')) throw new ImapNo('Invalid mailbox name: empty hierarchy level', 'CANNOT');
  if (/[*%]/.test(trimmed)) throw new ImapNo('Invalid mailbox name: wildcards are not allowed', 'CANNOT');
  if ([...trimmed].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) throw new ImapNo('Invalid mailbox name: control characters are not allowed', 'CANNOT');
  if (Buffer.byteLength(trimmed) > MAX_NAME_BYTES) throw new ImapNo('Mailbox name too long', 'LIMIT');
  if (levels.length > MAX_DEPTH) throw new ImapNo('Mailbox hierarchy too deep', 'LIMIT');
  return normalizeMailboxName(trimmed);
}

/** A matcher for `reference` + `pattern` (`*` any characters, `%` any but the delimiter). */
export function listMatcher(reference: string, pattern: string): (name: string) => boolean {
  const canonical = normalizeMailboxName(reference + pattern);
  const exact = patternRegExp(canonical);
  const inbox = patternRegExp(upperInboxPrefix(canonical));
  return (name) => exact.test(name) || ((name === 'INBOX' || name.startsWith(`INBOX${DELIMITER}`)) && inbox.test(name));
}

function patternRegExp(pattern: string): RegExp {
  const source = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '%' ? '[^/]*' : c.replace(/[\\^$.+?()[\]{}|]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'u');
}

/** `inbox*` → `INBOX*`, `in%` → `IN%`: the part of a pattern that spells a prefix of INBOX, in capitals. */
function upperInboxPrefix(pattern: string): string {
  let i = 0;
  while (i < 5 && i < pattern.length && pattern[i].toUpperCase() === 'INBOX'[i]) i++;
  return pattern.slice(0, i).toUpperCase() + pattern.slice(i);
}

/** `a/b/c` → [`a`, `a/b`]. */
export function superiorNames(name: string): string[] {
  const levels = name.split(DELIMITER);
  return levels.slice(1).map((_, i) => levels.slice(0, i + 1).join(DELIMITER));
}
