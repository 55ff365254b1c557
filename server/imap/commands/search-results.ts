// How a SEARCH (or SORT) result goes back: `* SEARCH n...` (RFC 3501 §7.2.5), or with RETURN options
// `* ESEARCH` (RFC 4731 §3.1; ESORT, RFC 5267 §3.2, uses the same), and what SAVE keeps for `$`
// (RFC 5182 §2.4).
//
// Rules: the matches arrive in the order to report them (ascending for SEARCH, sorted for SORT), so MIN
// is the first and MAX the last, and PARTIAL's positions (RFC 9394 §3.1) count in that order; MIN, MAX
// and COUNT still describe the whole result. SAVE with MIN, MAX and/or PARTIAL but neither ALL nor COUNT
// keeps only the messages those return; otherwise every match. With SAVE as the only option no ESEARCH is sent. A search with a
// MODSEQ key adds MODSEQ: the highest mod-sequence among the messages reported (all of them with ALL
// or COUNT, else the MIN/MAX ones), when there are any (RFC 7162 §3.1.5).
import type { ImapSession } from '../command.js';
import type { MailboxView } from '../selected-mailbox.js';
import type { SearchMatch } from '../search.js';
import type { ImapResponse, PartialRange, SearchReturnOption } from '../wire/index.js';

export interface ResultRequest {
  readonly tag: string;
  readonly uid: boolean;
  /** RETURN's options, or null for the plain answer. */
  readonly returns: ReadonlySet<SearchReturnOption> | null;
  /** PARTIAL's range, when RETURN has PARTIAL. */
  readonly partial: PartialRange | null;
  /** The search had a MODSEQ key. */
  readonly modseq: boolean;
}

/** The matches at a PARTIAL range's positions, in reporting order. */
export function partialSlice<T>(matches: readonly T[], range: PartialRange): T[] {
  if (!range.fromEnd) return matches.slice(range.low - 1, range.high);
  return matches.slice(Math.max(0, matches.length - range.high), Math.max(0, matches.length - range.low + 1));
}

/** Sends the answer for `matches` (in reporting order) and saves `$` when asked to. */
export function sendResults(session: ImapSession, view: MailboxView, request: ResultRequest, matches: readonly SearchMatch[], plain: (numbers: number[], highest?: number) => ImapResponse): void {
  const number = (m: SearchMatch) => (request.uid ? m.uid : m.seq);
  const returns = request.returns;
  if (returns === null) {
    const highest = request.modseq && matches.length > 0 ? highestModSeq(matches) : undefined;
    session.send(plain(matches.map(number), highest));
    return;
  }
  const whole = returns.has('ALL') || returns.has('COUNT');
  const ends = [returns.has('MIN') ? matches[0] : undefined, returns.has('MAX') ? matches[matches.length - 1] : undefined].filter((m) => m !== undefined);
  const part = request.partial === null ? null : partialSlice(matches, request.partial);
  const picked = part === null ? ends : [...ends, ...part];
  const reported = whole ? matches : picked;
  if (returns.has('SAVE')) view.saveResult((whole || (ends.length === 0 && part === null) ? matches : picked).map((m) => m.uid));
  if (returns.size === 1 && returns.has('SAVE')) return;
  session.send({
    kind: 'esearch',
    tag: request.tag,
    uid: request.uid,
    ...(returns.has('MIN') && matches.length > 0 && { min: number(matches[0]) }),
    ...(returns.has('MAX') && matches.length > 0 && { max: number(matches[matches.length - 1]) }),
    ...(returns.has('COUNT') && { count: matches.length }),
    ...(part !== null && request.partial !== null && { partial: { range: request.partial, numbers: part.map(number) } }),
    ...(returns.has('ALL') && { all: matches.map(number) }),
    ...(request.modseq && reported.length > 0 && { modseq: highestModSeq(reported) }),
  });
}

function highestModSeq(matches: readonly SearchMatch[]): number {
  return matches.reduce((max, m) => Math.max(max, m.modseq), 0);
}
