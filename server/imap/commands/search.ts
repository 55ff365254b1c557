// SEARCH and UID SEARCH (RFC 3501 §6.4.4, §6.4.8) with the MODSEQ key (RFC 7162 §3.1.5), RETURN
// options (ESEARCH, RFC 4731; PARTIAL, RFC 9394), SAVE (SEARCHRES, RFC 5182) and UPDATE with
// CANCELUPDATE (CONTEXT=SEARCH, RFC 5267 §4; the contexts live in the view: search-contexts.ts).
//
// Rules: CHARSET US-ASCII and UTF-8 (the grammar refuses others with NO [BADCHARSET]); the answer
// lists sequence numbers, or UIDs for UID SEARCH, ascending (search-results.ts). A search with a
// MODSEQ key enables CONDSTORE. A SEARCH ... SAVE that fails leaves `$` empty (RFC 5182 §2.4).
// UPDATE: the answer is sent as without it (no data when UPDATE is the only option), then every change
// to the mailbox that makes messages join or leave the result is sent as `* ESEARCH (TAG t) [UID]
// REMOVEFROM (0 set) ADDTO (0 set)` before the tagged answer of the command it happened in (or in IDLE).
// SORT ... RETURN (UPDATE) (CONTEXT=SORT) does the same with positions in sort order.
// UPDATE with PARTIAL (a moving window) is NO [CANNOT]; more than MAX_SEARCH_CONTEXTS is NO [LIMIT].
import { NO_FLAGS, SELECTED, selected, type CommandSpec, type ImapSession } from '../command.js';
import { ImapNo } from '../errors.js';
import { resolveStoreKeys } from '../search-keys.js';
import { search as evaluate, type SearchMatch } from '../search.js';
import { MAX_SEARCH_CONTEXTS, additions, removals } from '../search-contexts.js';
import type { MailboxView } from '../selected-mailbox.js';
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
 * when given) go back through sendResults, a failure with SAVE leaves `$` empty (RFC 5182 §2.4), and
 * UPDATE starts a context (a SORT context keeps the order).
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
): Promise<SearchMatch[]> {
  const { view } = selected(session);
  const update = request.returns?.has('UPDATE') ?? false;
  if (update && request.partial !== null) throw new ImapNo('UPDATE with PARTIAL is not supported', 'CANNOT');
  if (update && view.contexts.size >= MAX_SEARCH_CONTEXTS) throw new ImapNo(`At most ${MAX_SEARCH_CONTEXTS} search contexts`, 'LIMIT');
  const modseq = hasModSeq(request.key);
  if (modseq) session.enable('CONDSTORE');
  const key = await resolveStoreKeys(session.ctx.store, view, request.key);
  let matches;
  try {
    matches = await evaluate(session.ctx.store, view, key, session.ctx.clock.now(), request.criteria);
  } catch (error) {
    if (request.returns?.has('SAVE')) view.saveResult([]);
    throw error;
  }
  sendResults(session, view, { tag: request.tag, uid: request.uid, returns: request.returns, partial: request.partial, modseq }, matches, plain);
  if (update) {
    const criteria = request.criteria ?? null;
    view.contexts.add({ tag: request.tag, uid: request.uid, key, criteria, uids: new Set(matches.map((m) => m.uid)), order: criteria === null ? [] : matches.map((m) => m.uid) });
  }
  return matches;
}

const REV2_DEFAULT_RETURN: ReadonlySet<SearchReturnOption> = new Set(['ALL']);

export const search: CommandSpec<'SEARCH'> = {
  name: 'SEARCH',
  states: SELECTED,
  flags: { usesSeqs: true, breaksSeqs: false },
  async run(session, { tag, args, uid }) {
    // IMAP4rev2 answers ESEARCH, with ALL when no RETURN option is given (RFC 9051 §6.4.4).
    const returns = args.returns === null && session.enabled('IMAP4rev2') ? REV2_DEFAULT_RETURN : args.returns;
    await answerSearch(session, { tag, uid, key: args.key, returns, partial: args.partial }, (numbers, highestModSeq) => ({
      kind: 'search',
      numbers,
      ...(highestModSeq !== undefined && { highestModSeq }),
    }));
    return { text: `${uid ? 'UID SEARCH' : 'SEARCH'} completed` };
  },
};

export const cancelUpdate: CommandSpec<'CANCELUPDATE'> = {
  name: 'CANCELUPDATE',
  states: SELECTED,
  flags: NO_FLAGS,
  run(session, { args }) {
    const { view } = selected(session);
    const unknown = args.tags.filter((tag) => !view.contexts.cancel(tag));
    if (unknown.length > 0) throw new ImapNo(`No search context ${unknown[0].slice(0, 50)}`);
    return { text: 'CANCELUPDATE completed' };
  },
};

/**
 * The updates of the view's search contexts after a change (RFC 5267 §4.3): each context's key is
 * evaluated again and the difference sent. Waits while other sessions' expunges are unreported (the
 * view still numbers messages the store no longer has).
 */
export async function refreshContexts(session: ImapSession, view: MailboxView): Promise<ImapResponse[]> {
  const contexts = view.contexts;
  if (contexts.size === 0 || !contexts.dirty || view.expungesPending) return [];
  contexts.dirty = false;
  const out: ImapResponse[] = [];
  for (const context of [...contexts.all()]) {
    const matches = await evaluate(session.ctx.store, view, context.key, session.ctx.clock.now(), context.criteria ?? undefined);
    const now = new Set(matches.map((m) => m.uid));
    const number = context.uid ? (uid: number) => uid : (uid: number) => view.seqOf(uid);
    const gone = new Set([...context.uids].filter((uid) => !now.has(uid) && view.seqOf(uid) !== 0));
    const removeFrom = gone.size === 0 ? [] : removals(context, gone, number);
    if (context.criteria !== null) context.order = context.order.filter((uid) => !gone.has(uid));
    const order = matches.map((m) => m.uid);
    const addTo = additions(context, order, number);
    context.uids = now;
    if (context.criteria !== null) context.order = order;
    if (removeFrom.length === 0 && addTo.length === 0) continue;
    out.push({ kind: 'esearch', tag: context.tag, uid: context.uid, removeFrom, addTo });
  }
  return out;
}
