// The SEARCH ... RETURN (UPDATE) contexts of one selected mailbox view (CONTEXT=SEARCH, RFC 5267 §4):
// each keeps its search key and the UIDs it matched when last told to the client. They end with the
// view (a new SELECT, UNSELECT, CLOSE) or CANCELUPDATE.
//
// Rules: messages leaving the view are taken out of every context as they leave, with REMOVEFROM in
// the numbers they had (sent before their EXPUNGE, as Dovecot does); everything else (new mail, flag
// changes that make a message match or stop matching) is found by evaluating the key again after the
// command (commands/search.ts refreshContexts), when `dirty` says the mailbox changed meanwhile.
// Positions are 0: a SEARCH result is in ascending order, so the client knows where a message goes.
import type { ImapResponse, SearchKey } from './wire/index.js';

/** At most this many contexts per view: each makes every later change cost a search. */
export const MAX_SEARCH_CONTEXTS = 10;

export interface SearchContext {
  readonly tag: string;
  readonly uid: boolean;
  readonly key: SearchKey;
  /** The UIDs the client has been told match. */
  uids: Set<number>;
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
      const left = gone.filter((uid) => context.uids.delete(uid));
      if (left.length > 0) out.push({ kind: 'esearch', tag: context.tag, uid: context.uid, removeFrom: context.uid ? left : left.map(seqOf) });
    }
    return out;
  }
}
