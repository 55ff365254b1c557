// Flags and keywords (RFC 3501 §2.3.2, §6.4.6; RFC 7162 UNCHANGEDSINCE): one update gives every
// message it changes the same new mod-sequence, and none when it changes nothing. Keywords compare
// case-insensitively and keep the spelling they were first stored with.
import type { Db } from './db.js';
import type { StoreChange, WithChanges } from './changes.js';
import type { FlagChange, FlagUpdate, MessageMeta, MessageRepo } from './message-types.js';
import { metaOf, pick, type RowAccess } from './message-rows.js';

const lower = (keyword: string) => keyword.toLowerCase();

/** `keywords` without case-insensitive duplicates, first spelling kept. */
export function distinctKeywords(keywords: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const k of keywords) {
    if (seen.has(lower(k))) continue;
    seen.add(lower(k));
    out.push(k);
  }
  return out;
}

function applyKeywords(current: string[], change: FlagChange): string[] {
  switch (change.action) {
    case 'replace':
      return distinctKeywords(change.keywords);
    case 'add':
      return distinctKeywords([...current, ...change.keywords]);
    case 'remove': {
      const drop = new Set(change.keywords.map(lower));
      return current.filter((k) => !drop.has(lower(k)));
    }
  }
}

function applyFlags(current: number, change: FlagChange): number {
  if (change.action === 'replace') return change.flags;
  return change.action === 'add' ? current | change.flags : current & ~change.flags;
}

function sameKeywords(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a.map(lower));
  return b.every((k) => set.has(lower(k)));
}

/**
 * What `change` does to `messages` (ascending), before anything is written: the result, and the rows
 * to write, whose entries in the result get their mod-sequence from the caller once it has taken one
 * (stamp). Shared by both backends.
 */
export function planFlagUpdate(messages: readonly MessageMeta[], change: FlagChange, unchangedSince: number | null) {
  const result: FlagUpdate = { messages: [], modified: [] };
  const writes: Array<{ id: number; entry: FlagUpdate['messages'][number] }> = [];
  for (const current of messages) {
    if (unchangedSince !== null && current.modseq > unchangedSince) {
      result.modified.push(current.uid);
      continue;
    }
    const flags = applyFlags(current.flags, change);
    const keywords = applyKeywords(current.keywords, change);
    const changed = flags !== current.flags || !sameKeywords(keywords, current.keywords);
    const entry = { uid: current.uid, modseq: current.modseq, flags, keywords: changed ? keywords : current.keywords, changed };
    result.messages.push(entry);
    if (changed) writes.push({ id: current.id, entry });
  }
  const stamp = (modseq: number) => {
    for (const w of writes) w.entry.modseq = modseq;
  };
  return { result, writes, stamp };
}

export function createFlagUpdates(db: Db, access: RowAccess): Pick<MessageRepo, 'updateFlags'> {
  const { bumpModseq, metaLookup, rawUid } = access;
  const setFlags = db.prepare<[number, string, number, number]>('UPDATE messages SET flags = ?, keywords = ?, modseq = ? WHERE id = ?');
  return {
    updateFlags(mailboxId, uids, change, unchangedSince) {
      return db.transaction((): WithChanges<FlagUpdate> => {
        const { result, writes, stamp } = planFlagUpdate(pick(metaLookup, mailboxId, uids, rawUid).map(metaOf), change, unchangedSince);
        if (writes.length === 0) return { result, changes: [] };
        const slot = bumpModseq.get(mailboxId)!;
        stamp(slot.modseq);
        for (const { id, entry } of writes) setFlags.run(entry.flags, entry.keywords.join(' '), slot.modseq, id);
        const changes: StoreChange[] = [{ kind: 'flags-changed', accountId: slot.account_id, mailboxId, uids: writes.map((w) => w.entry.uid), modseq: slot.modseq }];
        return { result, changes };
      })();
    },
  };
}
