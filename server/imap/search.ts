// SEARCH evaluation (RFC 3501 §6.4.4, RFC 7162 §3.1.5) over the session's view.
//
// Invariants:
// - Only messages in the view are candidates (new mail not yet reported, and rows another session
//   expunged, are not); `seq` keys use the view's numbering, `*` its last message / highest UID.
// - Strings match as case-insensitive substrings: header keys against the cached, decoded,
//   lower-cased header lines (migrations/0002; computed here for rows that lack them and stored),
//   BODY against the decoded text parts (mime/body-text), TEXT against both.
// - BEFORE/ON/SINCE compare INTERNALDATE's calendar day in UTC; SENT* compare the Date: header's
//   calendar day as written, in its own zone (RFC 3501 "disregarding time and timezone"), or
//   INTERNALDATE's UTC day when there is no readable Date:.
// - AND evaluates its cheap keys (flags, numbers, dates) before header and body keys, so a body is
//   read (in batches: READ_BATCH) and decoded only for messages that passed everything else; a
//   header string the whole search requires is looked for by the database first (instr / strpos
//   over the cached text), and a BODY/TEXT string it requires by the full-text index (store/message-text.ts:
//   candidates only, each confirmed here on its text), so only candidate rows are read.
// - The evaluation is a read job (store.offload): it runs on a read worker over a copy of the view's
//   UIDs and \Recent set, so a search over a big mailbox holds up no other session. The view does not
//   change while its session's command runs, so the sequence numbers it answers with stay right.
//   A small one (INLINE_MAX messages, no body read, no THREAD) runs on the loop instead, where it
//   costs less than the hop, as long as every header it needs is cached; else it goes to a worker.
// - Rows are read in pages of SEARCH_PAGE by UID; a plain SEARCH keeps only its matches' numbers.
// - SORT and THREAD are the same job with an order (sort.ts) or a threading algorithm (thread.ts)
//   applied to the matches on the worker.
import { PARSE_VERSION, decodedBodyText, decodedHeaderText, parseAddressList, parseDateDay, parseMessage, type MimePart, type ParsedMessage } from '../mime/index.js';
import type { Store } from '../store/index.js';
import { FLAG_BITS, type SearchRow, type SystemFlag } from '../store/messages.js';
import type { ReadJob } from '../store/read-pool.js';
import type { ReadStore } from '../store/read-store.js';
import { hasKeyword } from './flags.js';
import { headerValues } from './header-text.js';
import type { MailboxView } from './selected-mailbox.js';
import { sortMessages, sortNeedsHeaders, type Sortable } from './sort.js';
import { threadMessages, type ThreadNode } from './thread.js';
import { positionOf, SAVED_RESULT, sequenceSetMatcher, type SearchKey, type SortCriterion, type ThreadAlgorithm } from './wire/index.js';

export interface SearchMatch {
  seq: number;
  uid: number;
  modseq: number;
}

/** What the evaluation knows of the session's view. */
interface Scope {
  readonly mailboxId: number;
  readonly count: number;
  readonly lastUid: number;
  seqOf(uid: number): number;
  isRecent(uid: number): boolean;
  /** In the result SEARCH RETURN (SAVE) kept (`$`, RFC 5182)? */
  isSaved(uid: number): boolean;
  /** The time OLDER/YOUNGER count back from (ms). */
  readonly now: number;
}

interface SearchInput {
  mailboxId: number;
  /** The view's UIDs in sequence order. */
  uids: Uint32Array;
  recent: number[];
  saved: number[];
  now: number;
  key: SearchKey;
  /** SORT's criteria: the matches come back in that order (sort.ts) instead of ascending. */
  sort?: readonly SortCriterion[];
  /** THREAD's algorithm: the matches come back as threads (thread.ts) too. */
  thread?: ThreadAlgorithm;
  /** Running on the loop: rows without cached headers end it with NEEDS_WORKER rather than being parsed here. */
  inline?: boolean;
}

/** The matches as parallel arrays (cheap to pass between threads). */
interface SearchOutput {
  seqs: Uint32Array;
  uids: Uint32Array;
  modseqs: Float64Array;
  threads?: ThreadNode[];
}

interface Candidate {
  readonly row: SearchRow;
  readonly seq: number;
  headers(): string;
  body(): string;
  /** The body with attached messages' headers (TEXT). */
  text(): string;
}

type Test = (c: Candidate) => boolean;

const COST_CHEAP = 0;
const COST_HEADER = 1;
const COST_BODY = 2;

function cost(key: SearchKey): number {
  switch (key.type) {
    case 'header':
      return COST_HEADER;
    case 'body':
    case 'text':
      return COST_BODY;
    case 'and':
      return Math.max(COST_CHEAP, ...key.keys.map(cost));
    case 'or':
      return Math.max(cost(key.left), cost(key.right));
    case 'not':
      return cost(key.key);
    default:
      return COST_CHEAP;
  }
}

function some(key: SearchKey, test: (k: SearchKey) => boolean): boolean {
  if (test(key)) return true;
  if (key.type === 'and') return key.keys.some((k) => some(k, test));
  if (key.type === 'or') return some(key.left, test) || some(key.right, test);
  if (key.type === 'not') return some(key.key, test);
  return false;
}

const uses = (key: SearchKey, type: SearchKey['type']) => some(key, (k) => k.type === type);

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The Date: header's own calendar day, from the cached header text, or INTERNALDATE's UTC day. */
function sentDay(c: Candidate): string {
  const date = headerValues(c.headers(), 'date')[0];
  return (date === undefined ? null : parseDateDay(date)) ?? utcDay(c.row.internalDate);
}

/** Does a `name: value` line of `text` for `field` contain `needle`? (`needle` '' = the field exists.) */
function headerHas(text: string, field: string, needle: string): boolean {
  if (needle !== '' && !text.includes(needle)) return false;
  return headerValues(text, field).some((v) => v.includes(needle));
}

/**
 * An address field as Dovecot searches it: each address as `name <mailbox@domain>` with comments
 * and obsolete syntax gone, a group as `group: members ;`, so `user-from@domain.org` finds
 * `<user-from (c)@ (c) domain.org>` and a display name written as a trailing comment.
 */
function addressText(value: string): string {
  return parseAddressList(value)
    .map((a) => {
      if (a.mailbox === null) return ';';
      if (a.domain === null) return `${a.mailbox}:`;
      return `${a.name === null ? '' : `${a.name} `}<${a.mailbox}@${a.domain}>`;
    })
    .join(' ');
}

/**
 * The needle's letter and digit runs. Without quoted pairs in a field, every such run of its
 * addressText lies within one run of the field as written (the parser drops comments and
 * whitespace and inserts separators, and a comment it keeps as a name is a slice of the field), so
 * a field lacking one of them cannot match and need not be parsed.
 */
function letterRuns(needle: string): string[] {
  return needle.match(/[\p{L}\p{N}]+/gu) ?? [];
}

function mayContain(value: string, runs: readonly string[]): boolean {
  return value.includes('\\') || runs.every((run) => value.includes(run));
}

function addressHas(text: string, field: string, needle: string, runs: readonly string[]): boolean {
  const values = headerValues(text, field);
  return needle === '' ? values.length > 0 : values.some((v) => mayContain(v, runs) && addressText(v).includes(needle));
}

function compile(key: SearchKey, view: Scope): Test {
  switch (key.type) {
    case 'all':
      return () => true;
    case 'and': {
      const tests = [...key.keys].sort((a, b) => cost(a) - cost(b)).map((k) => compile(k, view));
      return (c) => tests.every((t) => t(c));
    }
    case 'or': {
      const [left, right] = cost(key.left) <= cost(key.right) ? [key.left, key.right] : [key.right, key.left];
      const [l, r] = [compile(left, view), compile(right, view)];
      return (c) => l(c) || r(c);
    }
    case 'not': {
      const inner = compile(key.key, view);
      return (c) => !inner(c);
    }
    case 'seq': {
      if (key.set === SAVED_RESULT) return (c) => view.isSaved(c.row.uid);
      const inSet = sequenceSetMatcher(key.set, view.count);
      return (c) => inSet(c.seq);
    }
    case 'uid': {
      if (key.set === SAVED_RESULT) return (c) => view.isSaved(c.row.uid);
      const inSet = sequenceSetMatcher(key.set, view.lastUid);
      return (c) => inSet(c.row.uid);
    }
    case 'flag': {
      const { flag, present } = key;
      if (flag === '\\Recent') return (c) => view.isRecent(c.row.uid) === present;
      const bit = FLAG_BITS[flag as SystemFlag];
      if (bit !== undefined) return (c) => ((c.row.flags & bit) !== 0) === present;
      return (c) => hasKeyword(c.row.keywords, flag) === present;
    }
    case 'header': {
      const needle = key.value.toLowerCase();
      if (key.address === true) {
        const runs = letterRuns(needle);
        return (c) => addressHas(c.headers(), key.field, needle, runs);
      }
      return (c) => headerHas(c.headers(), key.field, needle);
    }
    case 'body': {
      const needle = key.value.toLowerCase();
      return (c) => c.body().includes(needle);
    }
    case 'text': {
      const needle = key.value.toLowerCase();
      return (c) => c.headers().includes(needle) || c.text().includes(needle);
    }
    case 'date': {
      const { comparison, date, field } = key;
      if (field === 'saved') throw new Error('SAVED* keys are resolved to UIDs before the search runs (search-keys.ts)');
      return (c) => {
        const day = field === 'sent' ? sentDay(c) : utcDay(c.row.internalDate);
        return comparison === 'before' ? day < date : comparison === 'on' ? day === date : day >= date;
      };
    }
    case 'age': {
      const threshold = view.now - key.seconds * 1000;
      return key.comparison === 'older' ? (c) => c.row.internalDate <= threshold : (c) => c.row.internalDate > threshold;
    }
    case 'size':
      return key.comparison === 'larger' ? (c) => c.row.size > key.size : (c) => c.row.size < key.size;
    case 'modseq':
      return (c) => c.row.modseq >= key.modSeq;
    case 'objectid':
      throw new Error('EMAILID/THREADID keys are resolved to UIDs before the search runs (search-keys.ts)');
  }
}

/** A valid cached part tree, or one parsed from the bytes. */
function partTree(json: string | null, raw: Buffer): ParsedMessage {
  const cached = json === null ? null : (JSON.parse(json) as Partial<ParsedMessage>);
  return cached?.version === PARSE_VERSION && cached.root !== undefined ? (cached as ParsedMessage) : parseMessage(raw);
}

/** The search_headers text of a message's header bytes. */
export function searchHeaderText(header: Buffer): string {
  const root: MimePart = { headerStart: 0, headerEnd: header.length, bodyStart: header.length, bodyEnd: header.length, kind: 'text', type: 'text/plain' };
  return decodedHeaderText(header, { version: PARSE_VERSION, size: header.length, root }).toLowerCase();
}

/** Computes and stores search_headers for rows that lack it (in place). */
export async function fillSearchHeaders(store: ReadStore, mailboxId: number, rows: Array<Pick<SearchRow, 'id' | 'uid' | 'searchHeaders'>>): Promise<void> {
  const missing = rows.filter((r) => r.searchHeaders === null);
  if (missing.length === 0) return;
  const trees = new Map((await store.messages.rows(mailboxId, missing.map((r) => r.uid), ['parts'])).map((r) => [r.uid, r.parts]));
  const entries: Array<{ id: number; text: string }> = [];
  for (let from = 0; from < missing.length; from += READ_BATCH) {
    const batch = missing.slice(from, from + READ_BATCH);
    const headerEnds = batch.map((row) => {
      const json = trees.get(row.uid) ?? null;
      const cached = json === null ? null : (JSON.parse(json) as Partial<ParsedMessage>);
      return cached?.version === PARSE_VERSION && cached.root !== undefined ? cached.root.headerEnd : undefined;
    });
    const read = await store.messages.readMany(batch.map((row, i) => ({ id: row.id, length: headerEnds[i] })));
    batch.forEach((row, i) => {
      const bytes = read[i];
      if (bytes === null) return; // expunged meanwhile: matches no header key
      row.searchHeaders = searchHeaderText(headerEnds[i] === undefined ? headerOf(bytes) : bytes);
      entries.push({ id: row.id, text: row.searchHeaders });
    });
  }
  await store.messages.setSearchHeaders(entries);
}

function headerOf(raw: Buffer): Buffer {
  return raw.subarray(0, parseMessage(raw).root.headerEnd);
}

/**
 * A header substring every match must contain (from a header key the whole search requires), or
 * undefined. The store lets rows with a backslash through too (searchRows), for address keys.
 */
function requiredHeaderText(key: SearchKey): string | undefined {
  if (key.type === 'header' && key.value !== '' && key.address !== true) return key.value.toLowerCase();
  // Address keys match the parsed form; its longest letter run is in the text as written (mayContain).
  if (key.type === 'header' && key.address === true) return letterRuns(key.value.toLowerCase()).sort((a, b) => b.length - a.length)[0];
  if (key.type === 'and') for (const k of key.keys) if (requiredHeaderText(k) !== undefined) return requiredHeaderText(k);
  return undefined;
}

/**
 * A BODY or TEXT string every match must contain (from a key the whole search requires; BODY first,
 * it narrows more), or undefined: the store's full-text index then passes only candidate rows.
 */
function requiredText(key: SearchKey): { value: string; headers: boolean } | undefined {
  if (key.type === 'body' && key.value !== '') return { value: key.value.toLowerCase(), headers: false };
  if (key.type === 'text' && key.value !== '') return { value: key.value.toLowerCase(), headers: true };
  if (key.type !== 'and') return undefined;
  const found = key.keys.map(requiredText).filter((t) => t !== undefined);
  return found.find((t) => !t.headers) ?? found[0];
}

/** Rows read at a time: a search over 100,000 messages holds one page of rows, not all of them. */
const SEARCH_PAGE = 2000;

/** Thrown by a candidate's body() before its body is read: the body is read (once) and the test run again. */
const BODY_NOT_READ = Symbol('body not read');

/**
 * Messages read in one store call (header fills, body keys), and the bytes one body batch may hold:
 * on PostgreSQL each call is a round trip, so reading one message at a time made SEARCH BODY ~30
 * times slower than on SQLite (docs/benchmarks.md).
 */
const READ_BATCH = 100;
const READ_BATCH_BYTES = 8 * 1024 * 1024;

async function evaluate(store: ReadStore, view: Scope, input: SearchInput): Promise<SearchOutput> {
  const { key, sort, thread } = input;
  const needsHeaders =
    some(key, (k) => k.type === 'header' || k.type === 'text' || (k.type === 'date' && k.field === 'sent')) || (sort !== undefined && sortNeedsHeaders(sort)) || thread !== undefined;
  const needsBody = uses(key, 'body') || uses(key, 'text');
  const columns = { headers: needsHeaders, parts: needsBody, headerNeedle: requiredHeaderText(key), textNeedle: requiredText(key), limit: SEARCH_PAGE };
  const test = compile(key, view);
  const matches: Sortable[] = [];
  // SORT and THREAD order by what the rows hold; a plain SEARCH keeps only the numbers of its matches.
  const keepRows = sort !== undefined || thread !== undefined;
  for (let afterUid = 0; ; ) {
    const page = await store.messages.searchRows(view.mailboxId, { ...columns, afterUid });
    if (page.length === 0) break;
    afterUid = page[page.length - 1].uid;
    const rows = page.filter((r) => view.seqOf(r.uid) !== 0);
    if (needsHeaders && input.inline === true && rows.some((r) => r.searchHeaders === null)) throw NEEDS_WORKER;
    if (needsHeaders) await fillSearchHeaders(store, view.mailboxId, rows);
    await matchPage(store, rows, view, test, keepRows, matches);
    if (page.length < SEARCH_PAGE) break;
  }
  const ordered = sort === undefined ? matches : sortMessages(matches, sort);
  return {
    seqs: Uint32Array.from(ordered, (m) => m.seq),
    uids: Uint32Array.from(ordered, (m) => m.row.uid),
    modseqs: Float64Array.from(ordered, (m) => m.row.modseq),
    ...(thread !== undefined && { threads: threadMessages(matches, thread) }),
  };
}

/** Adds the rows of one page that pass `test` to `matches`, in order (only their numbers unless `keepRows`). */
async function matchPage(store: ReadStore, rows: readonly SearchRow[], view: Scope, test: Test, keepRows: boolean, matches: Sortable[]): Promise<void> {
  const matched = new Uint8Array(rows.length);
  // Only messages that get as far as a body key are read, in batches: a FROM key that fails first saves the read.
  let pending: Array<{ index: number; candidate: Candidate; give(raw: Buffer): void }> = [];
  let pendingBytes = 0;
  const readPending = async () => {
    const read = await store.messages.readMany(pending.map((p) => ({ id: p.candidate.row.id })));
    pending.forEach((p, i) => {
      const raw = read[i];
      if (raw === null) return; // expunged meanwhile
      p.give(raw);
      matched[p.index] = test(p.candidate) ? 1 : 0;
    });
    pending = [];
    pendingBytes = 0;
  };
  for (const [index, row] of rows.entries()) {
    let raw: Buffer | null = null;
    const decoded: Partial<Record<'body' | 'text', string>> = {};
    const decode = (kind: 'body' | 'text'): string => {
      if (raw === null) throw BODY_NOT_READ;
      return (decoded[kind] ??= decodedBodyText(raw, partTree(row.parts, raw), kind === 'text').toLowerCase());
    };
    const candidate: Candidate = {
      row,
      seq: view.seqOf(row.uid),
      headers: () => row.searchHeaders ?? '',
      body: () => decode('body'),
      text: () => decode('text'),
    };
    try {
      matched[index] = test(candidate) ? 1 : 0;
    } catch (error) {
      if (error !== BODY_NOT_READ) throw error;
      pending.push({ index, candidate, give: (bytes) => (raw = bytes) });
      pendingBytes += row.size;
      if (pending.length >= READ_BATCH || pendingBytes >= READ_BATCH_BYTES) await readPending();
    }
  }
  if (pending.length > 0) await readPending();
  for (const [index, row] of rows.entries()) {
    if (matched[index] === 1) matches.push({ row: keepRows ? row : ({ uid: row.uid, modseq: row.modseq } as SearchRow), seq: view.seqOf(row.uid) });
  }
}

/** The read job: the search over a copy of the view. */
export async function runSearchJob(store: ReadStore, input: SearchInput): Promise<SearchOutput> {
  const { uids } = input;
  const recent = new Set(input.recent);
  const saved = new Set(input.saved);
  const scope: Scope = {
    mailboxId: input.mailboxId,
    count: uids.length,
    lastUid: uids.length > 0 ? uids[uids.length - 1] : 0,
    seqOf: (uid) => positionOf(uids, uid),
    isRecent: (uid) => recent.has(uid),
    isSaved: (uid) => saved.has(uid),
    now: input.now,
  };
  return evaluate(store, scope, input);
}

const SEARCH_JOB: ReadJob<SearchInput, SearchOutput> = { module: import.meta.url, name: 'runSearchJob' };

/**
 * Up to this many messages, a search that reads no body runs on the loop (issue 21: on 5,000 messages
 * SEARCH HEADER took 5 ms there and 8 ms through a worker); its rows are read in SEARCH_PAGE pages of
 * cached columns, a few milliseconds in all.
 */
const INLINE_MAX = 5000;
/** Ends an inline search that met rows without cached headers: parsing them is a worker's job. */
const NEEDS_WORKER = Symbol('needs a read worker');

async function runSearch(store: Store, input: SearchInput): Promise<SearchOutput> {
  if (input.uids.length <= INLINE_MAX && input.thread === undefined && !uses(input.key, 'body') && !uses(input.key, 'text')) {
    try {
      return await runSearchJob(store, { ...input, inline: true });
    } catch (error) {
      if (error !== NEEDS_WORKER) throw error;
    }
  }
  return store.offload(SEARCH_JOB, input);
}

/** The messages of the view that match `key`, ascending, or in SORT order by `sort`; `now` is what OLDER/YOUNGER count back from. */
export async function search(store: Store, view: MailboxView, key: SearchKey, now: number, sort?: readonly SortCriterion[]): Promise<SearchMatch[]> {
  const found = await runSearch(store, jobInput(view, key, now, sort && { sort }));
  return Array.from(found.uids, (uid, i) => ({ seq: found.seqs[i], uid, modseq: found.modseqs[i] }));
}

/** The matches of `key` threaded by `algorithm` (THREAD). */
export async function threadSearch(store: Store, view: MailboxView, key: SearchKey, now: number, algorithm: ThreadAlgorithm): Promise<ThreadNode[]> {
  return (await store.offload(SEARCH_JOB, jobInput(view, key, now, { thread: algorithm }))).threads ?? [];
}

function jobInput(view: MailboxView, key: SearchKey, now: number, order: Pick<SearchInput, 'sort' | 'thread'> | undefined): SearchInput {
  return { mailboxId: view.mailboxId, uids: view.allUids.slice(), recent: view.recentUids(), saved: view.savedUids(), now, key, ...order };
}
