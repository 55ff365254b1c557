// SORT and UID SORT (RFC 5256 §3, SORT=DISPLAY RFC 5957, ESORT RFC 5267 §3.2): the matches of a search
// program in the order of the criteria (sort.ts), as `* SORT n...` or, with RETURN options, `* ESEARCH`.
import { SELECTED, selected, type CommandSpec } from '../command.js';
import { search as evaluate } from '../search.js';
import { hasModSeq } from './search.js';
import { atom } from '../wire/index.js';
import { sendResults } from './search-results.js';

export const sort: CommandSpec<'SORT'> = {
  name: 'SORT',
  states: SELECTED,
  flags: { usesSeqs: true, breaksSeqs: false },
  async run(session, { tag, args, uid }) {
    const { view } = selected(session);
    const modseq = hasModSeq(args.key);
    if (modseq) session.enable('CONDSTORE');
    const matches = await evaluate(session.ctx.store, view, args.key, session.ctx.clock.now(), args.criteria);
    sendResults(session, view, { tag, uid, returns: args.returns, modseq }, matches, (numbers, highestModSeq) => ({
      kind: 'data',
      values: [atom('SORT'), ...numbers, ...(highestModSeq === undefined ? [] : [[atom('MODSEQ'), highestModSeq]])],
    }));
    return { text: `${uid ? 'UID SORT' : 'SORT'} completed` };
  },
};
