// Message flags between the wire and the store: the store keeps system flags as FLAG_BITS and
// keywords as strings; the wire names them (`\Seen`, `$Forwarded`). \Recent is not stored with the
// message: it belongs to the session that first saw it (RFC 3501 §2.3.2), so the view adds it.
import { FLAG_BITS, type SystemFlag } from '../store/messages.js';
import { ImapBad } from './errors.js';

/** The system flags a client may set, in the order FLAGS responses list them. */
export const SETTABLE_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'] as const;
const RECENT = '\\Recent';
/** Keywords per message beyond which STORE/APPEND are refused (a runaway client, not a real user). */
export const MAX_KEYWORDS = 128;

export interface FlagSet {
  flags: number;
  keywords: string[];
}

/**
 * Wire flags (system flags already canonical, as the wire grammar gives them) → bits and keywords.
 * \Recent cannot be set by a client and is ignored (RFC 3501 §6.4.6); other `\`-flags are unknown.
 */
export function toFlagSet(names: readonly string[]): FlagSet {
  let flags = 0;
  const keywords: string[] = [];
  for (const name of names) {
    if (name === RECENT) continue;
    if (name.startsWith('\\')) {
      const bit = FLAG_BITS[name as SystemFlag];
      if (bit === undefined) throw new ImapBad(`Unknown system flag ${name.slice(0, 40)}`);
      flags |= bit;
    } else keywords.push(name);
  }
  if (keywords.length > MAX_KEYWORDS) throw new ImapBad('Too many keywords');
  return { flags, keywords };
}

/** Bits, keywords (and \Recent for the session that holds it) → the wire's flag list. */
export function flagNames(flags: number, keywords: readonly string[], recent: boolean): string[] {
  const out: string[] = [];
  for (const name of SETTABLE_FLAGS) if ((flags & FLAG_BITS[name]) !== 0) out.push(name);
  if (recent) out.push(RECENT);
  for (const keyword of keywords) out.push(keyword);
  return out;
}

/** Whether `keywords` holds `keyword`, case-insensitively. */
export function hasKeyword(keywords: readonly string[], keyword: string): boolean {
  const wanted = keyword.toLowerCase();
  return keywords.some((k) => k.toLowerCase() === wanted);
}
