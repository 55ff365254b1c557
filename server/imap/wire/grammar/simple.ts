// Commands without arguments, and EXPUNGE (whose UID form takes a set).
import type { Reader } from '../tokens.js';
import type { SequenceSet } from '../sequence-set.js';

export type NoArgs = Record<string, never>;

// capability = "CAPABILITY"; "NOOP"; "LOGOUT" (RFC 3501 §6.1); "STARTTLS" (§6.2.1); "CHECK", "CLOSE"
// (§6.4.1-2); idle = "IDLE" CRLF "DONE" (RFC 2177 §4); namespace = "NAMESPACE" (RFC 2342 §5);
// unselect = "UNSELECT" (RFC 3691 §5); unauthenticate = "UNAUTHENTICATE" (RFC 8437 §4)
export function parseNoArgs(): NoArgs {
  return {};
}

export interface ExpungeArgs {
  /** UID EXPUNGE's UIDs; null for plain EXPUNGE. */
  readonly uids: SequenceSet | null;
}

// expunge = "EXPUNGE" (RFC 3501 §6.4.3); uid-expunge = "UID" SP "EXPUNGE" SP sequence-set (RFC 4315 §3)
export function parseExpunge(r: Reader, uid: boolean): ExpungeArgs {
  if (!uid) return { uids: null };
  r.sp('sequence set');
  return { uids: r.sequenceSet() };
}
