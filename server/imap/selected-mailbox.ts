// The selected mailbox as one session sees it (RFC 3501 §2.3.1.2, §5.2, §7.4.1): the session's own
// list of UIDs, whose positions are the message sequence numbers, and the changes other sessions made
// that the client has not been told about yet.
//
// Invariants:
// - Sequence numbers change only when this session reports an expunge (EXPUNGE or, with QRESYNC,
//   VANISHED) or new mail (EXISTS); between reports they are stable, however the store changes.
//   A message another session expunged keeps its number until reported; FETCH/STORE/SEARCH simply
//   find no row for it.
// - `uids` is ascending (a compact UidList); new messages are always above `highestUid`, so they are
//   appended.
// - Other sessions' changes arrive on the bus (after their commit) and are only recorded here;
//   flush() turns them into responses when the session may send them: new mail and flag changes at
//   the end of any command, expunges only where the command allows it (not during FETCH, STORE or
//   SEARCH by sequence number; RFC 3501 §7.4.1). The session's own changes are published with
//   muteOwn(), so they are not reported twice: the command reports them itself.
// - Keywords: the client has been told of every keyword in a FLAGS response it receives: the first
//   FETCH carrying a keyword it does not know is preceded by FLAGS and PERMANENTFLAGS naming it
//   (RFC 3501 §7.2.6), whichever session set it.
// - \Recent: a read-write view claims the messages no session has seen (store.mailboxes.claimRecent)
//   when it opens and whenever new mail is reported; a read-only view claims nothing but shows, when it
//   opens, the messages SELECT would have claimed (EXAMINE's RECENT count, as Dovecot reports it).
// - The view watches the bus from before its snapshot is read (MailboxView.open), so a change
//   committed while the snapshot is read is not missed; applying a change the snapshot already shows
//   is harmless (new mail is read above the highest UID, expunges and flags only of UIDs in the view).
import type { EventBus } from '../events.js';
import type { MailboxSnapshot, Store, StoreChange } from '../store/index.js';
import type { Grant } from '../store/mailbox-access.js';
import { ImapBad, SelectedMailboxGone } from './errors.js';
import { SETTABLE_FLAGS, flagNames } from './flags.js';
import { SearchContexts } from './search-contexts.js';
import { UidList } from './uid-list.js';
import {
  resolveSequenceSet,
  resolveUidSet,
  SAVED_RESULT,
  sequenceSetMax,
  type FetchResponseItem,
  type ImapResponse,
  type SequenceSet,
} from './wire/index.js';

export interface FlushOptions {
  /** Expunges may be reported now. */
  readonly expunges: boolean;
  readonly condstore: boolean;
  readonly qresync: boolean;
}

export interface Targets {
  readonly seqs: number[];
  readonly uids: number[];
}

export class MailboxView {
  readonly mailboxId: number;
  readonly uidValidity: number;
  name: string;
  private readonly uids: UidList;
  private highestUid: number;
  private readonly recent = new Set<number>();
  /** Keywords the client was told of, by lower-cased name. */
  private readonly keywords = new Map<string, string>();
  private reportedCount: number;
  private readonly pendingExpunges = new Set<number>();
  private readonly pendingFlags = new Set<number>();
  /** What SEARCH RETURN (SAVE) kept, as UIDs (RFC 5182 `$`); a new SELECT starts with none. */
  private saved: ReadonlySet<number> = new Set();
  /** SEARCH ... RETURN (UPDATE) contexts (RFC 5267 §4), which end with the view. */
  readonly contexts = new SearchContexts();
  private newMail = false;
  private deleted = false;
  private muted = false;
  private waiter: (() => void) | null = null;

  /**
   * Opens `name` as the principal sees it (its own, or another's it may read: store.access.open
   * checks the rights) for a session, claiming \Recent unless read-only, with what SELECT answers
   * from; null when the mailbox does not exist or is hidden from the principal.
   */
  static async open(
    store: Store,
    bus: EventBus,
    principalId: number,
    name: string,
    options: { readOnly: boolean; changedSince: number | null },
  ): Promise<{ view: MailboxView; snapshot: MailboxSnapshot } | null> {
    const early: StoreChange[] = [];
    let view: MailboxView | null = null;
    const unsubscribe = bus.on('change', (change) => (view ? view.onChange(change) : early.push(change)));
    let opened: Awaited<ReturnType<Store['access']['open']>>;
    try {
      opened = await store.access.open(principalId, name, options);
    } catch (error) {
      unsubscribe();
      throw error;
    }
    if (opened === null) {
      unsubscribe();
      return null;
    }
    const { snapshot, grant, readOnly } = opened;
    view = new MailboxView(store, snapshot, grant, readOnly, unsubscribe);
    for (const change of early) view.onChange(change);
    return { view, snapshot };
  }

  private constructor(
    private readonly store: Store,
    snapshot: MailboxSnapshot,
    /** The principal's access as SELECT found it: what STORE, EXPUNGE, COPY and MOVE may do. */
    readonly grant: Grant,
    readonly readOnly: boolean,
    private readonly unsubscribe: () => void,
  ) {
    this.mailboxId = snapshot.mailbox.id;
    this.uidValidity = snapshot.mailbox.uidValidity;
    this.name = grant.name;
    this.uids = new UidList(snapshot.uids);
    this.highestUid = this.uids.last;
    this.reportedCount = this.uids.length;
    // EXAMINE shows what SELECT would call recent, without claiming it from other sessions.
    this.addRecent(snapshot.uids, snapshot.recent ?? { first: snapshot.mailbox.firstRecentUid, next: snapshot.mailbox.uidNext });
  }

  get count(): number {
    return this.uids.length;
  }

  get recentCount(): number {
    return this.recent.size;
  }

  /** The highest UID in the view (`*` of a UID set), or 0. */
  get lastUid(): number {
    return this.uids.last;
  }

  /** The view's UIDs in sequence order (a view of the list: copy it to keep it past the next change). */
  get allUids(): Uint32Array {
    return this.uids.values();
  }

  uidAt(seq: number): number {
    return this.uids.at(seq);
  }

  /** The sequence number of `uid`, or 0 when it is not in the view. */
  seqOf(uid: number): number {
    return this.uids.seqOf(uid);
  }

  isRecent(uid: number): boolean {
    return this.recent.has(uid);
  }

  /** The \Recent UIDs of the view. */
  recentUids(): number[] {
    return [...this.recent];
  }

  /**
   * The messages a set names, ascending. Sequence numbers above the message count are a client error
   * (RFC 3501 §9 seq-number), except `*` in an empty mailbox, which names nothing. UIDs that are not
   * in the view are ignored (RFC 3501 §6.4.8).
   */
  resolve(set: SequenceSet, byUid: boolean): Targets {
    let seqs: number[];
    if (set === SAVED_RESULT) seqs = [...this.saved].map((uid) => this.seqOf(uid)).filter((seq) => seq !== 0).sort((a, b) => a - b);
    else if (byUid) seqs = resolveUidSet(set, this.uids.values());
    else {
      const empty = this.uids.length === 0 && set.some((r) => r.from === '*' || r.to === '*');
      if (!empty && sequenceSetMax(set, this.uids.length) > this.uids.length) throw new ImapBad('Invalid message sequence number');
      seqs = empty ? [] : resolveSequenceSet(set, this.uids.length);
    }
    return { seqs, uids: seqs.map((seq) => this.uids.at(seq)) };
  }

  /** Keeps a search result for `$` (RFC 5182 §2.4; an empty list after a failed SEARCH ... SAVE). */
  saveResult(uids: readonly number[]): void {
    this.saved = new Set(uids);
  }

  /** Is `uid` in the saved result? */
  isSaved(uid: number): boolean {
    return this.saved.has(uid);
  }

  /** The saved result's UIDs (a copy, for a search on a read worker). */
  savedUids(): number[] {
    return [...this.saved];
  }

  /** The flags this session may store (RFC 4314 §4: \\Seen needs `s`, \\Deleted `t`, the others `w`). */
  private permanentFlags(known: readonly string[]): string[] {
    const all = [...SETTABLE_FLAGS, ...known, '\\*'];
    if (this.grant.owned) return all;
    const rights = this.grant.rights;
    return all.filter((f) => (f === '\\Seen' ? rights.includes('s') : f === '\\Deleted' ? rights.includes('t') : rights.includes('w')));
  }

  /** FLAGS and PERMANENTFLAGS announcing `keywords` (added to those already told) and the system flags. */
  announceFlags(keywords: readonly string[]): ImapResponse[] {
    for (const k of keywords) if (!this.keywords.has(k.toLowerCase())) this.keywords.set(k.toLowerCase(), k);
    const known = [...this.keywords.values()];
    return [
      { kind: 'flags', flags: [...SETTABLE_FLAGS, ...known] },
      {
        kind: 'untagged',
        status: 'OK',
        code: { code: 'PERMANENTFLAGS', flags: this.readOnly ? [] : this.permanentFlags(known) },
        text: this.readOnly ? 'No permanent flags permitted' : 'Flags permitted',
      },
    ];
  }

  /** The announcement to send before `response` when it is a FETCH naming a keyword not yet told. */
  keywordAnnouncement(response: ImapResponse): ImapResponse[] {
    if (response.kind !== 'fetch') return [];
    const flags = response.items.find((i) => i.item === 'FLAGS');
    if (flags === undefined || flags.item !== 'FLAGS') return [];
    const unknown = flags.flags.filter((f) => !f.startsWith('\\') && !this.keywords.has(f.toLowerCase()));
    return unknown.length === 0 ? [] : this.announceFlags(unknown);
  }

  /** Publishes this session's own changes: the view ignores flag changes and expunges among them. */
  muteOwn(publish: () => void): void {
    this.muted = true;
    try {
      publish();
    } finally {
      this.muted = false;
    }
  }

  /** The session reported these messages' flags itself: drop pending reports of them. */
  flagsReported(uids: readonly number[]): void {
    for (const uid of uids) this.pendingFlags.delete(uid);
  }

  /** Removes UIDs this session expunged; returns the EXPUNGE (or VANISHED) responses for them. */
  expunged(uids: readonly number[], qresync: boolean): ImapResponse[] {
    return this.remove(uids.filter((uid) => this.seqOf(uid) !== 0), qresync);
  }

  /** Expunges by other sessions not reported yet: the view still holds UIDs the store has not. */
  get expungesPending(): boolean {
    return this.pendingExpunges.size > 0;
  }

  /** Responses for what changed since the last flush, as far as `options` allow them now. */
  async flush(options: FlushOptions): Promise<ImapResponse[]> {
    if (this.deleted) throw new SelectedMailboxGone();
    const out: ImapResponse[] = [];
    if (options.expunges && this.pendingExpunges.size > 0) {
      const gone = [...this.pendingExpunges].filter((uid) => this.seqOf(uid) !== 0).sort((a, b) => a - b);
      this.pendingExpunges.clear();
      out.push(...this.remove(gone, options.qresync));
    }
    if (this.newMail) {
      this.newMail = false;
      const claimed = this.readOnly ? null : await this.store.mailboxes.claimRecent(this.mailboxId);
      const fresh = await this.store.messages.uids(this.mailboxId, this.highestUid);
      // Above the highest UID as it is now: an expunge reported meanwhile only removes UIDs below it.
      const above = fresh.filter((uid) => uid > this.highestUid);
      if (above.length > 0) {
        this.uids.append(above);
        this.highestUid = above[above.length - 1];
        if (claimed !== null) this.addRecent(above, claimed);
      }
    }
    if (this.uids.length !== this.reportedCount) {
      this.reportedCount = this.uids.length;
      out.push({ kind: 'exists', number: this.uids.length }, { kind: 'recent', number: this.recent.size });
    }
    if (this.pendingFlags.size > 0) {
      const uids = [...this.pendingFlags].filter((uid) => this.seqOf(uid) !== 0 && !this.pendingExpunges.has(uid)).sort((a, b) => a - b);
      this.pendingFlags.clear();
      for (const m of await this.store.messages.meta(this.mailboxId, uids)) {
        // Expunged from the view while the flags were read.
        if (this.seqOf(m.uid) === 0) continue;
        const items: FetchResponseItem[] = [
          { item: 'UID', value: m.uid },
          { item: 'FLAGS', flags: flagNames(m.flags, m.keywords, this.recent.has(m.uid)) },
        ];
        if (options.condstore) items.push({ item: 'MODSEQ', value: m.modseq });
        out.push({ kind: 'fetch', seq: this.seqOf(m.uid), items });
      }
    }
    return out;
  }

  /** Resolves at the next change to this mailbox (IDLE), at once if one is pending. */
  changed(): Promise<void> {
    if (this.hasPending()) return Promise.resolve();
    return new Promise((resolve) => (this.waiter = resolve));
  }

  close(): void {
    this.unsubscribe();
    this.waiter?.();
    this.waiter = null;
  }

  private hasPending(): boolean {
    return this.deleted || this.newMail || this.pendingExpunges.size > 0 || this.pendingFlags.size > 0;
  }

  /** Marks the UIDs (ascending) in [first, next) as \Recent in this view. */
  private addRecent(uids: ArrayLike<number>, { first, next }: { first: number; next: number }): void {
    for (let i = uids.length - 1; i >= 0 && uids[i] >= first; i--) if (uids[i] < next) this.recent.add(uids[i]);
  }

  /** Takes `gone` (ascending, all in the view) out of the view. */
  private remove(gone: readonly number[], qresync: boolean): ImapResponse[] {
    if (gone.length === 0) return [];
    const out: ImapResponse[] = this.contexts.removed(gone, (uid) => this.seqOf(uid));
    if (qresync) out.push({ kind: 'vanished', earlier: false, uids: gone });
    else for (let i = gone.length - 1; i >= 0; i--) out.push({ kind: 'expunge', number: this.seqOf(gone[i]) });
    this.uids.remove(new Set(gone));
    for (const uid of gone) {
      this.recent.delete(uid);
      this.pendingFlags.delete(uid);
    }
    this.reportedCount -= gone.length;
    return out;
  }

  private onChange(change: StoreChange): void {
    if (change.mailboxId !== this.mailboxId) return;
    // Own changes too: a STORE of this session can make messages join or leave a search context.
    if (change.kind === 'message-added' || change.kind === 'flags-changed' || change.kind === 'messages-expunged') this.contexts.dirty = true;
    switch (change.kind) {
      case 'message-added':
        this.newMail = true;
        break;
      case 'flags-changed':
        if (!this.muted) for (const uid of change.uids) this.pendingFlags.add(uid);
        break;
      case 'messages-expunged':
        if (!this.muted) for (const uid of change.uids) this.pendingExpunges.add(uid);
        break;
      case 'mailbox-deleted':
        this.deleted = true;
        break;
      case 'mailbox-renamed':
        if (this.grant.owned) this.name = change.name;
        break;
      case 'mailbox-created':
        return;
    }
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }
}
