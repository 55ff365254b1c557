// The full-text index of SEARCH BODY / TEXT (issue 17): SQLite FTS5 with the trigram tokenizer over
// the text a scan compares against (mime decodedBodyText with attached messages' headers, lower-cased:
// exactly the scan's `text()`), one row per blob (rowid = blobs.id), so the copies of a message to
// twenty users, COPY and MOVE share one row. Migrations/0022 made the tables.
//
// Invariants:
// - Every blob a message row holds is indexed (a row in message_text) or pending (a row in
//   message_text_pending, for the background fill: text-backfill.ts). append() keeps this in the
//   message's transaction; the blob's deletion takes both rows with it (a trigger on blobs), in the
//   expunge's transaction. A store copied in at the SQL level (migrate-store) is reconciled by
//   markUnindexed() at the next start.
// - The index only narrows: candidates() is a superset of the messages whose text contains the needle
//   (all trigrams of the needle are in the text), and the caller confirms each candidate on its text,
//   so answers equal the scan's. detail=none keeps the index at about a fifth of the text (positions
//   would make it 1.7 times the text, docs/decisions.md); a needle whose trigrams are all common gets
//   many candidates, never too few.
// - Needles the index cannot answer: fewer than 3 characters (no trigram), or holding a line break or
//   NUL (the indexed text joins parts with LF and has its NULs as LF): textQuery() is null, the scan runs.
import type { Db } from './db.js';
import type { BlobRepo } from './blobs.js';
import { decodedBodyText, parseMessage } from '../mime/index.js';

/** At most this many of a needle's trigrams go into the query (any subset still only narrows). */
const MAX_TRIGRAMS = 24;

export interface TextIndexProgress {
  /** Blobs waiting for the background fill. */
  pending: number;
}

export interface PendingText {
  blobId: number;
  size: number;
}

export interface IndexedText {
  blobId: number;
  text: string;
}

/** The part of the index the background fill and the dashboard use (also on a read worker: read-store.ts). */
export interface TextIndexRepo {
  progress(): TextIndexProgress;
  /** Up to `limit` pending blobs, ascending ids above `afterId`. */
  pending(afterId: number, limit: number): PendingText[];
  /** A blob's bytes, or null when it is gone. */
  bytes(blobId: number): Buffer | null;
  /** Stores the texts of blobs that are still pending (a blob deleted meanwhile is skipped); returns how many. */
  fill(entries: readonly IndexedText[]): number;
  /** Marks blobs held by messages but neither indexed nor pending (a store copied in at the SQL level); returns how many. */
  markUnindexed(): number;
}

export interface TextIndex extends TextIndexRepo {
  /** Indexes a message's blob unless it is known already; inside the caller's transaction. */
  ensure(blobId: number): void;
}

/** The indexed text of a message's bytes: what a scan's `text()` is (server/imap/search.ts), NULs as LF. */
export function indexedText(raw: Buffer): string {
  return decodedBodyText(raw, parseMessage(raw), true).toLowerCase().replaceAll('\0', '\n');
}

/**
 * The FTS5 query that finds candidates for a lower-cased needle (every trigram of it, quoted), or null
 * when the index cannot answer for it.
 */
export function textQuery(needle: string): string | null {
  if (/[\n\0]/.test(needle)) return null;
  const chars = [...needle];
  if (chars.length < 3) return null;
  const trigrams = [...new Set(chars.slice(2).map((c, i) => chars[i] + chars[i + 1] + c))];
  // Spread over the needle when it has more than MAX_TRIGRAMS of them.
  const step = Math.max(1, trigrams.length / MAX_TRIGRAMS);
  const chosen: string[] = [];
  for (let i = 0; i < trigrams.length && chosen.length < MAX_TRIGRAMS; i += step) chosen.push(trigrams[Math.floor(i)]);
  return chosen.map((t) => `"${t.replaceAll('"', '""')}"`).join(' AND ');
}

/** SQL of a condition on `blob_id`: the message may contain the text of query parameter `?` (textQuery()). */
export const TEXT_CANDIDATE_SQL =
  '(blob_id IN (SELECT rowid FROM message_text WHERE message_text MATCH ?) OR blob_id IN (SELECT blob_id FROM message_text_pending))';

export function createTextIndex(db: Db, blobs: BlobRepo): TextIndex {
  const isPending = db.prepare<[number], { one: number }>('SELECT 1 AS one FROM message_text_pending WHERE blob_id = ?');
  const isIndexed = db.prepare<[number], { one: number }>('SELECT 1 AS one FROM message_text WHERE rowid = ?');
  const insert = db.prepare<[number, string]>('INSERT INTO message_text (rowid, text) VALUES (?, ?)');
  const unpend = db.prepare<[number]>('DELETE FROM message_text_pending WHERE blob_id = ?');
  const countPending = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM message_text_pending');
  const pendingRows = db.prepare<[number, number], PendingText>(
    'SELECT p.blob_id AS blobId, b.size AS size FROM message_text_pending p JOIN blobs b ON b.id = p.blob_id WHERE p.blob_id > ? ORDER BY p.blob_id LIMIT ?',
  );
  const blobBytes = db.prepare<[number], { data: Buffer }>('SELECT data FROM blobs WHERE id = ?');
  const addPending = db.prepare<[number]>('INSERT OR IGNORE INTO message_text_pending (blob_id) VALUES (?)');
  const markUnindexed = db.prepare(`
    INSERT OR IGNORE INTO message_text_pending (blob_id)
    SELECT DISTINCT blob_id FROM messages
    WHERE blob_id NOT IN (SELECT rowid FROM message_text) AND blob_id NOT IN (SELECT blob_id FROM message_text_pending)`);

  const fill = db.transaction((entries: readonly IndexedText[]) => {
    let filled = 0;
    for (const { blobId, text } of entries) {
      if (unpend.run(blobId).changes === 0) continue;
      insert.run(blobId, text);
      filled++;
    }
    return filled;
  });

  return {
    ensure(blobId) {
      if (isIndexed.get(blobId) !== undefined || isPending.get(blobId) !== undefined) return;
      let text: string;
      try {
        text = indexedText(blobs.read(blobId));
      } catch {
        // Never a reason to refuse mail: the message stays pending, a candidate of every search.
        addPending.run(blobId);
        return;
      }
      insert.run(blobId, text);
    },
    progress: () => ({ pending: countPending.get()!.n }),
    pending: (afterId, limit) => pendingRows.all(afterId, limit),
    bytes: (blobId) => blobBytes.get(blobId)?.data ?? null,
    fill,
    markUnindexed: () => markUnindexed.run().changes,
  };
}
