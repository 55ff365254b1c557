// Results of bulk writes as they cross from the writer thread (writer.ts). Structured clone copies an
// array of small objects one property at a time: a STORE 1:* on 5,000 messages came back as 5,000
// flag states (and a COPY as 5,000 message-added changes), which cost more to clone than the SQL
// took (issue 21's STORE regression). Numbers travel here in typed arrays, copied as one block, and
// are turned back into the same objects on arrival.
import type { StoreChange, WithChanges } from './changes.js';
import type { FlagUpdate } from './message-types.js';

type Added = Extract<StoreChange, { kind: 'message-added' }>;

/** Consecutive message-added changes of one mailbox, as parallel columns. */
interface AddedRun {
  kind: 'added-run';
  accountId: number;
  mailboxId: number;
  uids: Float64Array;
  modseqs: Float64Array;
}

export type PackedChange = Exclude<StoreChange, Added> | AddedRun;

/** Flag states as columns; keywords only for the entries that have some. */
export interface PackedFlagUpdate {
  uids: Float64Array;
  modseqs: Float64Array;
  flags: Float64Array;
  changed: Uint8Array;
  keywords: Array<[index: number, keywords: string[]]>;
  modified: number[];
}

export function packChanges(changes: readonly StoreChange[]): PackedChange[] {
  const out: Array<PackedChange | { kind: 'added'; accountId: number; mailboxId: number; uids: number[]; modseqs: number[] }> = [];
  for (const change of changes) {
    const last = out.at(-1);
    if (change.kind !== 'message-added') {
      out.push(change);
    } else if (last?.kind === 'added' && last.accountId === change.accountId && last.mailboxId === change.mailboxId) {
      last.uids.push(change.uid);
      last.modseqs.push(change.modseq);
    } else {
      out.push({ kind: 'added', accountId: change.accountId, mailboxId: change.mailboxId, uids: [change.uid], modseqs: [change.modseq] });
    }
  }
  return out.map((c) =>
    c.kind === 'added' ? { kind: 'added-run', accountId: c.accountId, mailboxId: c.mailboxId, uids: Float64Array.from(c.uids), modseqs: Float64Array.from(c.modseqs) } : c,
  );
}

export function unpackChanges(packed: readonly PackedChange[]): StoreChange[] {
  const out: StoreChange[] = [];
  for (const change of packed) {
    if (change.kind !== 'added-run') {
      out.push(change);
      continue;
    }
    for (let i = 0; i < change.uids.length; i++) {
      out.push({ kind: 'message-added', accountId: change.accountId, mailboxId: change.mailboxId, uid: change.uids[i], modseq: change.modseqs[i] });
    }
  }
  return out;
}

export function packFlagUpdate({ messages, modified }: FlagUpdate): PackedFlagUpdate {
  const n = messages.length;
  const packed: PackedFlagUpdate = { uids: new Float64Array(n), modseqs: new Float64Array(n), flags: new Float64Array(n), changed: new Uint8Array(n), keywords: [], modified };
  messages.forEach((m, i) => {
    packed.uids[i] = m.uid;
    packed.modseqs[i] = m.modseq;
    packed.flags[i] = m.flags;
    packed.changed[i] = m.changed ? 1 : 0;
    if (m.keywords.length > 0) packed.keywords.push([i, m.keywords]);
  });
  return packed;
}

export function unpackFlagUpdate(packed: PackedFlagUpdate): FlagUpdate {
  const messages: FlagUpdate['messages'] = new Array(packed.uids.length);
  for (let i = 0; i < messages.length; i++) {
    messages[i] = { uid: packed.uids[i], modseq: packed.modseqs[i], flags: packed.flags[i], keywords: [], changed: packed.changed[i] === 1 };
  }
  for (const [i, keywords] of packed.keywords) messages[i].keywords = keywords;
  return { messages, modified: packed.modified };
}

/** A bulk write's outcome, packed on the writer thread. */
export interface PackedWrite<R> {
  result: R;
  changes: PackedChange[];
}

export const packWrite = <R, P>({ result, changes }: WithChanges<R>, packResult: (result: R) => P): PackedWrite<P> => ({
  result: packResult(result),
  changes: packChanges(changes),
});

export const unpackWrite = <P, R>({ result, changes }: PackedWrite<P>, unpackResult: (packed: P) => R): WithChanges<R> => ({
  result: unpackResult(result),
  changes: unpackChanges(changes),
});
