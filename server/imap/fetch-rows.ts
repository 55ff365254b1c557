// The rows a FETCH answers from, read on a read worker (issue 20): each batch of a big FETCH is one
// job, and FETCH asks for the next batch while it answers the current one, so the rows of a FETCH
// 1:* are read beside the loop (and on the other core) and the first responses go out before the
// last rows are read. At most READ_AHEAD + 1 (three) batches are held per FETCH.
//
// A batch crosses threads packed: numbers in typed arrays, each text column as one string with the
// lengths of its values (-1: NULL), keywords as one string. Copying a few large values costs the loop
// far less than structured-cloning hundreds of small objects; unpacking cuts substrings.
//
// Invariants: the rows are those of `uids` that exist when the worker reads them, ascending; a
// message expunged after its row was read is found gone when its bytes are read (MessageGone).
import type { ReadJob } from '../store/read-pool.js';
import type { ReadStore } from '../store/read-store.js';
import type { CachedColumn, MessageMeta, MessageRow } from '../store/messages.js';

export interface FetchRowsInput {
  mailboxId: number;
  uids: Uint32Array;
  /** The cached columns to read; null: metadata only. */
  columns: readonly CachedColumn[] | null;
}

export interface PackedRows {
  ids: Float64Array;
  uids: Uint32Array;
  modseqs: Float64Array;
  flags: Int32Array;
  dates: Float64Array;
  sizes: Float64Array;
  /** Each row's keywords space-separated, rows separated by a newline; null when no row has any. */
  keywords: string | null;
  columns: Array<{ name: CachedColumn; text: string; lengths: Int32Array }>;
}

function pack(rows: ReadonlyArray<MessageMeta | MessageRow>, columns: readonly CachedColumn[]): PackedRows {
  const n = rows.length;
  const packed: PackedRows = {
    ids: new Float64Array(n),
    uids: new Uint32Array(n),
    modseqs: new Float64Array(n),
    flags: new Int32Array(n),
    dates: new Float64Array(n),
    sizes: new Float64Array(n),
    keywords: null,
    columns: [],
  };
  let anyKeywords = false;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    packed.ids[i] = r.id;
    packed.uids[i] = r.uid;
    packed.modseqs[i] = r.modseq;
    packed.flags[i] = r.flags;
    packed.dates[i] = r.internalDate;
    packed.sizes[i] = r.size;
    if (r.keywords.length > 0) anyKeywords = true;
  }
  if (anyKeywords) packed.keywords = rows.map((r) => r.keywords.join(' ')).join('\n');
  for (const name of columns) {
    const lengths = new Int32Array(n);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const value = (rows[i] as MessageRow)[name];
      lengths[i] = value === null ? -1 : value.length;
      if (value !== null) parts.push(value);
    }
    packed.columns.push({ name, text: parts.join(''), lengths });
  }
  return packed;
}

/** The rows `packed` holds, as the store returns them (cached columns not read are null). */
export function unpackRows(packed: PackedRows): MessageRow[] {
  const n = packed.uids.length;
  const keywords = packed.keywords === null ? null : packed.keywords.split('\n');
  const rows: MessageRow[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = keywords === null ? '' : keywords[i];
    rows[i] = {
      id: packed.ids[i],
      uid: packed.uids[i],
      modseq: packed.modseqs[i],
      flags: packed.flags[i],
      keywords: k === '' ? [] : k.split(' '),
      internalDate: packed.dates[i],
      size: packed.sizes[i],
      envelope: null,
      envelopeWire: null,
      bodystructure: null,
      parts: null,
    };
  }
  for (const { name, text, lengths } of packed.columns) {
    let at = 0;
    for (let i = 0; i < n; i++) {
      const length = lengths[i];
      if (length < 0) continue;
      rows[i][name] = text.slice(at, at + length);
      at += length;
    }
  }
  return rows;
}

/** The read job: one batch of a FETCH's rows, packed. */
export async function runFetchRows(store: ReadStore, input: FetchRowsInput): Promise<PackedRows> {
  const uids = Array.from(input.uids);
  const rows = input.columns === null ? await store.messages.meta(input.mailboxId, uids) : await store.messages.rows(input.mailboxId, uids, input.columns);
  return pack(rows, input.columns ?? []);
}

export const FETCH_ROWS_JOB: ReadJob<FetchRowsInput, PackedRows> = { module: import.meta.url, name: 'runFetchRows' };
