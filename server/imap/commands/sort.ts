// SORT and UID SORT (RFC 5256 §3, SORT=DISPLAY RFC 5957, ESORT RFC 5267 §3.2): the matches of a search
// program in the order of the criteria (sort.ts), as `* SORT n...` or, with RETURN options, `* ESEARCH`.
import { SELECTED, type CommandSpec } from '../command.js';
import { answerSearch } from './search.js';
import { atom } from '../wire/index.js';

export const sort: CommandSpec<'SORT'> = {
  name: 'SORT',
  states: SELECTED,
  flags: { usesSeqs: true, breaksSeqs: false },
  async run(session, { tag, args, uid }) {
    await answerSearch(session, { tag, uid, key: args.key, returns: args.returns, partial: args.partial, criteria: args.criteria }, (numbers, highestModSeq) => ({
      kind: 'data',
      values: [atom('SORT'), ...numbers, ...(highestModSeq === undefined ? [] : [[atom('MODSEQ'), highestModSeq]])],
    }));
    return { text: `${uid ? 'UID SORT' : 'SORT'} completed` };
  },
};
