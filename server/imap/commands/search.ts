// SEARCH and UID SEARCH (RFC 3501 §6.4.4, §6.4.8) with the MODSEQ key (RFC 7162 §3.1.5), RETURN
// options (ESEARCH, RFC 4731) and SAVE (SEARCHRES, RFC 5182).
//
// Rules: CHARSET US-ASCII and UTF-8 (the grammar refuses others with NO [BADCHARSET]); the answer
// lists sequence numbers, or UIDs for UID SEARCH, ascending (search-results.ts). A search with a
// MODSEQ key enables CONDSTORE. A SEARCH ... SAVE that fails leaves `$` empty (RFC 5182 §2.4).
import { SELECTED, selected, type CommandSpec } from '../command.js';
import { search as evaluate } from '../search.js';
import type { SearchKey } from '../wire/index.js';
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

export const search: CommandSpec<'SEARCH'> = {
  name: 'SEARCH',
  states: SELECTED,
  flags: { usesSeqs: true, breaksSeqs: false },
  async run(session, { tag, args, uid }) {
    const { view } = selected(session);
    const modseq = hasModSeq(args.key);
    if (modseq) session.enable('CONDSTORE');
    let matches;
    try {
      matches = await evaluate(session.ctx.store, view, args.key, session.ctx.clock.now());
    } catch (error) {
      if (args.returns?.has('SAVE')) view.saveResult([]);
      throw error;
    }
    sendResults(session, view, { tag, uid, returns: args.returns, modseq }, matches, (numbers, highestModSeq) => ({
      kind: 'search',
      numbers,
      ...(highestModSeq !== undefined && { highestModSeq }),
    }));
    return { text: `${uid ? 'UID SEARCH' : 'SEARCH'} completed` };
  },
};
