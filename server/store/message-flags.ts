// Flags and keywords (RFC 3501 §2.3.2, §6.4.6; RFC 7162 UNCHANGEDSINCE): one update gives every
// message it changes the same new mod-sequence, and none when it changes nothing. Keywords compare
// case-insensitively and keep the spelling they were first stored with.
import type { Db } from './db.js';
import type { StoreChange, WithChanges } from './changes.js';
import type { FlagChange, FlagUpdate, MessageRepo } from './messages.js';
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

export function createFlagUpdates(db: Db, access: RowAccess): Pick<MessageRepo, 'updateFlags'> {
  const { bumpModseq, metaLookup, rawUid } = access;
  const setFlags = db.prepare<[number, string, number, number]>('UPDATE messages SET flags = ?, keywords = ?, modseq = ? WHERE id = ?');
  return {
    updateFlags(mailboxId, uids, change, unchangedSince) {
      return db.transaction((): WithChanges<FlagUpdate> => {
        const result: FlagUpdate = { messages: [], modified: [] };
        let slot: { modseq: number; account_id: number } | undefined;
        const changedUids: number[] = [];
        for (const row of pick(metaLookup, mailboxId, uids, rawUid)) {
          const current = metaOf(row);
          if (unchangedSince !== null && current.modseq > unchangedSince) {
            result.modified.push(current.uid);
            continue;
          }
          const flags = applyFlags(current.flags, change);
          const keywords = applyKeywords(current.keywords, change);
          if (flags === current.flags && sameKeywords(keywords, current.keywords)) {
            result.messages.push({ uid: current.uid, modseq: current.modseq, flags, keywords: current.keywords, changed: false });
            continue;
          }
          slot ??= bumpModseq.get(mailboxId)!;
          setFlags.run(flags, keywords.join(' '), slot.modseq, current.id);
          changedUids.push(current.uid);
          result.messages.push({ uid: current.uid, modseq: slot.modseq, flags, keywords, changed: true });
        }
        const changes: StoreChange[] =
          slot === undefined ? [] : [{ kind: 'flags-changed', accountId: slot.account_id, mailboxId, uids: changedUids, modseq: slot.modseq }];
        return { result, changes };
      })();
    },
  };
}
