// The SEARCH ... RETURN (UPDATE) contexts of one selected mailbox view (CONTEXT=SEARCH, RFC 5267 §4):
// each keeps its search key and the UIDs it matched when last told to the client. They end with the
// view (a new SELECT, UNSELECT, CLOSE) or CANCELUPDATE.
//
// Rules: messages leaving the view are taken out of every context as they leave, with REMOVEFROM in
// the numbers they had (sent before their EXPUNGE, as Dovecot does); everything else (new mail, flag
// changes that make a message match or stop matching) is found by evaluating the key again after the
// command (commands/search.ts refreshContexts), when `dirty` says the mailbox changed meanwhile.
// Positions are 0 for a SEARCH context: its result is in ascending order, so the client knows where a
// message goes. A SORT context (CONTEXT=SORT) keeps its order and names positions (RFC 5267 §4.3), one
// pair per message: REMOVEFROM in ascending old order, each position counted after the ones before it
// left; ADDTO in ascending new order, each at its final position, so that applying them in turn gives
// the new order. Sort keys never change for a stored message, so the messages that stay keep their
// relative order and only joins and leaves need telling.
import type { ContextUpdate, ImapResponse, SearchKey, SortCriterion } from './wire/index.js';

/** At most this many contexts per view: each makes every later change cost a search. */
export const MAX_SEARCH_CONTEXTS = 10;

export interface SearchContext {
  readonly tag: string;
  readonly uid: boolean;
  readonly key: SearchKey;
  /** The sort criteria of a SORT context, null for SEARCH. */
  readonly criteria: readonly SortCriterion[] | null;
  /** The UIDs the client has been told match. */
  uids: Set<number>;
  /** Those UIDs in reporting order (SORT contexts only; empty for SEARCH). */
  order: number[];
}

/** The REMOVEFROM pairs for `gone` leaving a SORT context's `order` (a SEARCH context: one pair at 0). */
export function removals(context: SearchContext, gone: ReadonlySet<number>, number: (uid: number) => number): ContextUpdate[] {
  if (context.criteria === null) return [{ position: 0, numbers: [...gone].sort((a, b) => a - b).map(number) }];
  const out: ContextUpdate[] = [];
  context.order.forEach((uid, index) => {
    if (gone.has(uid)) out.push({ position: index + 1 - out.length, numbers: [number(uid)] });
  });
  return out;
}

/** The ADDTO pairs for the messages of `order` (the new reporting order) that `context` lacks. */
export function additions(context: SearchContext, order: readonly number[], number: (uid: number) => number): ContextUpdate[] {
  const added = order.map((uid, index) => ({ uid, index })).filter(({ uid }) => !context.uids.has(uid));
  if (added.length === 0) return [];
  if (context.criteria === null) return [{ position: 0, numbers: added.map(({ uid }) => number(uid)) }];
  return added.map(({ uid, index }) => ({ position: index + 1, numbers: [number(uid)] }));
}

export class SearchContexts {
  private readonly contexts = new Map<string, SearchContext>();
  /** The mailbox changed since the contexts were last evaluated. */
  dirty = false;

  get size(): number {
    return this.contexts.size;
  }

  all(): IterableIterator<SearchContext> {
    return this.contexts.values();
  }

  /** Starts (or, for a tag already in use, replaces) a context. */
  add(context: SearchContext): void {
    this.contexts.set(context.tag, context);
  }

  /** Ends the context of `tag`; false when there was none. */
  cancel(tag: string): boolean {
    return this.contexts.delete(tag);
  }

  /** REMOVEFROM for UIDs about to leave the view (ascending); `seqOf` still knows them. */
  removed(gone: readonly number[], seqOf: (uid: number) => number): ImapResponse[] {
    const out: ImapResponse[] = [];
    for (const context of this.contexts.values()) {
      const left = new Set(gone.filter((uid) => context.uids.delete(uid)));
      if (left.size === 0) continue;
      out.push({ kind: 'esearch', tag: context.tag, uid: context.uid, removeFrom: removals(context, left, context.uid ? (uid) => uid : seqOf) });
      if (context.criteria !== null) context.order = context.order.filter((uid) => !left.has(uid));
    }
    return out;
  }
}
