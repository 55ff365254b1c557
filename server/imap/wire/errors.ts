// The one error type of the wire layer: a request that cannot be framed or parsed. The session maps it
// to `<tag> BAD <reason>` (or `* BAD` when the tag could not be read); a few grammar rules demand a NO
// instead (SEARCH with an unsupported CHARSET → `NO [BADCHARSET ...]`), so status and code are carried.
import type { ResponseCode } from './responses.js';

export class ImapParseError extends Error {
  constructor(
    /** Human-readable reason, sent after the status word. */
    readonly reason: string,
    /** The request's tag, or null when it could not be read. */
    readonly tag: string | null = null,
    readonly status: 'BAD' | 'NO' = 'BAD',
    readonly code: ResponseCode | null = null,
  ) {
    super(reason);
    this.name = 'ImapParseError';
  }

  /** The same error attributed to a request's tag (inner grammar code does not know the tag). */
  withTag(tag: string): ImapParseError {
    return new ImapParseError(this.reason, tag, this.status, this.code);
  }
}

/** A client-supplied word cut short enough to quote in a reason. */
export function shown(word: string): string {
  return word.length > 32 ? `${word.slice(0, 32)}...` : word;
}
