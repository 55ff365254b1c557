// FETCH and UID FETCH (RFC 3501 §6.4.5, §6.4.8) with CHANGEDSINCE and VANISHED (RFC 7162 §3.1.4,
// §3.2.6).
//
// Rules:
// - Messages are addressed through the session's view; one whose row is gone (expunged by another
//   session, not yet reported) is skipped, and a sequence-number FETCH then ends NO [EXPUNGEISSUED]
//   (Dovecot's answer); UID FETCH simply omits it. A message whose bytes go between reading its row
//   and reading them (MessageGone) is skipped the same way.
// - Fetching BODY[...] (not PEEK), RFC822 or RFC822.TEXT sets \Seen in a read-write mailbox, in one
//   store update per batch of FETCH_BATCH messages before their responses, which carry the new FLAGS
//   (RFC 3501 §6.4.5). Each message's data comes from one read (a single message read whole: its row
//   and bytes in one statement); batches stream, so a change committed between two batches shows in
//   the later one. Between batches the event loop turns, so a FETCH 1:* on a big mailbox does not
//   hold up other sessions. A FETCH of OFFLOAD_MIN or more messages counts as bulk work
//   (../bulk-work.ts): alone it reads inline; while another runs, its batches are read on a read
//   worker (fetch-rows.ts), the next READ_AHEAD batches' while this one is answered.
// - PARTIAL (RFC 9394 §4) keeps the messages at its positions among those of the set (after
//   CHANGEDSINCE), in ascending order; -1 is the last.
// - CHANGEDSINCE limits the answer to messages with a greater mod-sequence and adds MODSEQ; like
//   FETCH MODSEQ it enables CONDSTORE. VANISHED (QRESYNC only) first reports the set's UIDs expunged
//   since then as VANISHED (EARLIER).
import type { MessageMeta, MessageRow } from '../../store/messages.js';
import { FLAG_BITS } from '../../store/messages.js';
import { SELECTED, selected, type CommandSpec, type ImapSession } from '../command.js';
import { ImapBad, ImapNo } from '../errors.js';
import { MessageGone, fetchItems, fillEnvelopeWire, planFetch } from '../fetch-data.js';
import { FETCH_ROWS_JOB, unpackRows } from '../fetch-rows.js';
import { flagNames } from '../flags.js';
import { messageObjectIds } from '../object-ids.js';
import { messageSaveDates } from '../save-date.js';
import { letOthersRun } from '../turns.js';
import type { MailboxView } from '../selected-mailbox.js';
import { SAVED_RESULT, sequenceSetMatcher, type FetchArgs, type PartialRange } from '../wire/index.js';
import { partialSlice } from './search-results.js';

const SEEN = FLAG_BITS['\\Seen'];
/** Messages read from the store at a time: the answer starts going out before the last rows are read. */
const FETCH_BATCH = 500;
/** From this many messages a FETCH is bulk work, and its batches are read on a read worker while other bulk work runs (fetch-rows.ts); below it the hop costs more than it saves. */
const OFFLOAD_MIN = 100;
/** Batches read ahead of the one being answered (at most READ_AHEAD + 1 batches held per FETCH). */
const READ_AHEAD = 2;

export const fetch: CommandSpec<'FETCH'> = {
  name: 'FETCH',
  states: SELECTED,
  flags: { usesSeqs: true, breaksSeqs: false },
  async run(session, { args, uid }) {
    const { view } = selected(session);
    if (args.vanished && !session.enabled('QRESYNC')) throw new ImapBad('VANISHED needs ENABLE QRESYNC first');
    if (args.changedSince !== null || args.items.some((a) => a.item === 'MODSEQ')) session.enable('CONDSTORE');
    const resolved = view.resolve(args.set, uid).uids;
    if (args.vanished) await reportVanished(session, view, args);
    const targetUids = args.partial === null ? resolved : await partialUids(session, view, resolved, args);
    const answer = () => answerFetch(session, view, args, uid, targetUids);
    await (targetUids.length >= OFFLOAD_MIN ? session.bulk.run(answer) : answer());
    return { text: `${uid ? 'UID FETCH' : 'FETCH'} completed` };
  },
};

/** Sends the FETCH responses for `targetUids`; NO [EXPUNGEISSUED] if a sequence-number FETCH missed some. */
async function answerFetch(session: ImapSession, view: MailboxView, args: FetchArgs, uid: boolean, targetUids: number[]): Promise<void> {
  const plan = planFetch(args.items, uid);
  const { store } = session.ctx;
  const withRows = plan.needsRow;
  const withEnvelope = plan.columns.includes('envelopeWire');
  let missing = false;
  const readRows = (uids: number[]): Promise<Array<MessageMeta | MessageRow>> => {
    if (uids.length >= OFFLOAD_MIN && session.bulk.shared) return store.offload(FETCH_ROWS_JOB, { mailboxId: view.mailboxId, uids: Uint32Array.from(uids), columns: withRows ? plan.columns : null }).then(unpackRows);
    return withRows ? store.messages.rows(view.mailboxId, uids, plan.columns) : store.messages.meta(view.mailboxId, uids);
  };
  const batchAt = (from: number) => targetUids.slice(from, from + FETCH_BATCH);
  // Reads of the batches after the current one, in order: two workers read while this one is answered.
  const ahead: Array<Promise<Array<MessageMeta | MessageRow>>> = [];
  for (let from = 0; from < targetUids.length; from += FETCH_BATCH) {
    const uids = batchAt(from);
    // One message read whole (a client opening a message): its row and bytes in one statement.
    const single = plan.needsBytes && uids.length === 1 && ahead.length === 0 ? await store.messages.rowWithBytes(view.mailboxId, uids[0], plan.columns) : undefined;
    let rows: Array<MessageMeta | MessageRow>;
    if (single !== undefined) rows = single === null ? [] : [single.row];
    else rows = await (ahead.shift() ?? readRows(uids));
    for (let next = from + FETCH_BATCH * (ahead.length + 1); ahead.length < READ_AHEAD && next < targetUids.length; next += FETCH_BATCH) {
      const read = readRows(batchAt(next));
      read.catch(() => undefined); // awaited in its round; a failure meanwhile must not go unhandled
      ahead.push(read);
    }
    if (withEnvelope) await fillEnvelopeWire(store, view.mailboxId, rows as MessageRow[]);
    if (rows.length < uids.length) missing = true;
    const wanted = args.changedSince === null ? rows : rows.filter((r) => r.modseq > (args.changedSince as number));
    const seenNow = await markSeen(session, view, plan.setsSeen, wanted);
    const objectIds = plan.objectIds ? await messageObjectIds(store, view.mailboxId, wanted.map((r) => r.uid)) : null;
    const saveDates = plan.saveDates ? await messageSaveDates(store, view.mailboxId, wanted.map((r) => r.uid)) : null;
    const condstore = session.enabled('CONDSTORE');
    for (const row of wanted) {
      const flagsChanged = seenNow.has(row.uid);
      let items;
      try {
        items = fetchItems(store, plan, {
          meta: row,
          row: withRows ? (row as MessageRow) : null,
          flags: flagNames(row.flags, row.keywords, view.isRecent(row.uid)),
          modseq: args.changedSince !== null || (flagsChanged && condstore),
          flagsChanged,
          ...(single && { bytes: single.bytes }),
          ...(objectIds && { objectIds: objectIds.get(row.uid) }),
          ...(saveDates && { saveDate: saveDates.get(row.uid) }),
        });
        if (items instanceof Promise) items = await items;
      } catch (error) {
        if (!(error instanceof MessageGone)) throw error;
        missing = true;
        continue;
      }
      session.send({ kind: 'fetch', seq: view.seqOf(row.uid), items });
      if (session.outputFull) await session.flush();
    }
    view.flagsReported([...seenNow]);
    // Let the client read this batch while the next one is built, and other sessions run meanwhile.
    if (from + FETCH_BATCH < targetUids.length) await letOthersRun(session);
  }
  if (missing && !uid) throw new ImapNo('Some of the requested messages no longer exist', 'EXPUNGEISSUED');
}

/** Sets \Seen where the FETCH implies it; updates `rows` in place and returns the UIDs changed. */
async function markSeen(session: ImapSession, view: MailboxView, setsSeen: boolean, rows: Array<MessageMeta | MessageRow>): Promise<Set<number>> {
  const unseen = setsSeen && !view.readOnly ? rows.filter((r) => (r.flags & SEEN) === 0).map((r) => r.uid) : [];
  if (unseen.length === 0) return new Set();
  const { result, changes } = await session.ctx.store.access.markSeen(view.grant, unseen);
  session.publish(changes);
  const updated = new Map(result.messages.filter((m) => m.changed).map((m) => [m.uid, m]));
  for (const row of rows) {
    const m = updated.get(row.uid);
    if (m === undefined) continue;
    row.flags = m.flags;
    row.modseq = m.modseq;
  }
  return new Set(updated.keys());
}

/** The UIDs at PARTIAL's positions of the set, counted among the messages CHANGEDSINCE lets through. */
async function partialUids(session: ImapSession, view: MailboxView, uids: number[], args: FetchArgs): Promise<number[]> {
  const since = args.changedSince;
  const counted = since === null ? uids : (await session.ctx.store.messages.meta(view.mailboxId, uids)).filter((m) => m.modseq > since).map((m) => m.uid);
  return partialSlice(counted, args.partial as PartialRange);
}

async function reportVanished(session: ImapSession, view: MailboxView, args: FetchArgs): Promise<void> {
  const { store } = session.ctx;
  const highest = ((await store.mailboxes.byId(view.mailboxId))?.uidNext ?? 1) - 1;
  const inSet = args.set === SAVED_RESULT ? (uid: number) => view.isSaved(uid) : sequenceSetMatcher(args.set, highest);
  const uids = (await store.messages.expungedSince(view.mailboxId, args.changedSince ?? 0)).filter(inSet);
  if (uids.length > 0) session.send({ kind: 'vanished', earlier: true, uids });
}
