// THREAD and UID THREAD (RFC 5256 §3): ORDEREDSUBJECT and REFERENCES (thread.ts) over the matches
// of a search program, answered as `* THREAD` thread lists.
import { SELECTED, selected, type CommandSpec } from '../command.js';
import { resolveStoreKeys } from '../search-keys.js';
import { threadSearch } from '../search.js';
import { formatThreads } from '../thread.js';
import { atom } from '../wire/index.js';

export const thread: CommandSpec<'THREAD'> = {
  name: 'THREAD',
  states: SELECTED,
  flags: { usesSeqs: true, breaksSeqs: false },
  async run(session, { args, uid }) {
    const { view } = selected(session);
    const threads = await threadSearch(session.ctx.store, view, await resolveStoreKeys(session.ctx.store, view, args.key), session.ctx.clock.now(), args.algorithm);
    session.send({ kind: 'data', values: threads.length === 0 ? [atom('THREAD')] : [atom('THREAD'), atom(formatThreads(threads, uid))] });
    return { text: `${uid ? 'UID THREAD' : 'THREAD'} completed` };
  },
};
