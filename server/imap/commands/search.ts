// SEARCH and UID SEARCH (RFC 3501 §6.4.4, §6.4.8) with the MODSEQ key (RFC 7162 §3.1.5).
//
// Rules: CHARSET US-ASCII and UTF-8 (the grammar refuses others with NO [BADCHARSET]); the answer
// lists sequence numbers, or UIDs for UID SEARCH, ascending. A search with a MODSEQ key enables
// CONDSTORE and appends (MODSEQ n), the highest mod-sequence of the matches, when there are any.
import { SELECTED, selected, type CommandSpec } from '../command.js';
import { search as evaluate } from '../search.js';
import type { SearchKey } from '../wire/index.js';

function hasModSeq(key: SearchKey): boolean {
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
  async run(session, { args, uid }) {
    const { view } = selected(session);
    const modseq = hasModSeq(args.key);
    if (modseq) session.enable('CONDSTORE');
    const matches = await evaluate(session.ctx.store, view, args.key);
    const numbers = matches.map((m) => (uid ? m.uid : m.seq));
    const highest = matches.reduce((max, m) => Math.max(max, m.modseq), 0);
    session.send({ kind: 'search', numbers, ...(modseq && matches.length > 0 && { highestModSeq: highest }) });
    return { text: `${uid ? 'UID SEARCH' : 'SEARCH'} completed` };
  },
};
