// SEARCH and UID SEARCH (RFC 3501 §6.4.4, §6.4.8) with the MODSEQ key (RFC 7162 §3.1.5), RETURN
// options (ESEARCH, RFC 4731; PARTIAL, RFC 9394) and SAVE (SEARCHRES, RFC 5182).
//
// Rules: CHARSET US-ASCII and UTF-8 (the grammar refuses others with NO [BADCHARSET]); the answer
// lists sequence numbers, or UIDs for UID SEARCH, ascending (search-results.ts). A search with a
// MODSEQ key enables CONDSTORE. A SEARCH ... SAVE that fails leaves `$` empty (RFC 5182 §2.4).
import { SELECTED, selected, type CommandSpec, type ImapSession } from '../command.js';
import { search as evaluate } from '../search.js';
import type { ImapResponse, PartialRange, SearchKey, SearchReturnOption, SortCriterion } from '../wire/index.js';
import { sendResults } from './search-results.js';

export function hasModSeq(key: SearchKey): boolean {
  switch (key.type) {
    case 'modseq':
      return true;
    case 'and':
      return key.keys.some(hasModSeq);
    case 'or':
      return hasModSeq(key.left) || hasModSeq(key.right);
    case 'not':
      return hasModSeq(key.key);
    default:
      return false;
  }
}

/**
 * What SEARCH and SORT share: a MODSEQ key enables CONDSTORE, the matches (in the order of `criteria`
 * when given) go back through sendResults, and a failure with SAVE leaves `$` empty (RFC 5182 §2.4).
 */
export async function answerSearch(
  session: ImapSession,
  request: {
    tag: string;
    uid: boolean;
    key: SearchKey;
    returns: ReadonlySet<SearchReturnOption> | null;
    partial: PartialRange | null;
    criteria?: readonly SortCriterion[];
  },
  plain: (numbers: number[], highest?: number) => ImapResponse,
): Promise<void> {
  const { view } = selected(session);
  const modseq = hasModSeq(request.key);
  if (modseq) session.enable('CONDSTORE');
  let matches;
  try {
    matches = await evaluate(session.ctx.store, view, request.key, session.ctx.clock.now(), request.criteria);
  } catch (error) {
    if (request.returns?.has('SAVE')) view.saveResult([]);
    throw error;
  }
  sendResults(session, view, { tag: request.tag, uid: request.uid, returns: request.returns, partial: request.partial, modseq }, matches, plain);
}

export const search: CommandSpec<'SEARCH'> = {
  name: 'SEARCH',
  states: SELECTED,
  flags: { usesSeqs: true, breaksSeqs: false },
  async run(session, { tag, args, uid }) {
    await answerSearch(session, { tag, uid, key: args.key, returns: args.returns, partial: args.partial }, (numbers, highestModSeq) => ({
      kind: 'search',
      numbers,
      ...(highestModSeq !== undefined && { highestModSeq }),
    }));
    return { text: `${uid ? 'UID SEARCH' : 'SEARCH'} completed` };
  },
};
