// Sequence sets (RFC 3501 §9 `sequence-set`): parsing, resolution against a mailbox, and the compact
// form used in responses (COPYUID, VANISHED, MODIFIED, ESEARCH ALL).
//
// `$` (RFC 5182 §2.1, SEARCHRES) parses to SAVED_RESULT: the messages the last SEARCH RETURN (SAVE)
// kept, which only the selected view knows; the resolvers here take ranges only.
//
// Invariants: a parsed set keeps the client's ranges as written (`*` stays symbolic, reversed ranges
// such as `5:3` stay reversed) so one parse serves both message numbers and UIDs; every resolution
// normalises, clamps and returns ascending, duplicate-free numbers in O(ranges·log + result), never
// O(highest number mentioned), so `1:4294967295` on a 10,000-message mailbox is cheap.
import { ImapParseError } from './errors.js';

/** `*`: the highest number in use (message count, or the highest UID). */
export type SeqNumber = number | '*';

export interface SeqRange {
  readonly from: SeqNumber;
  readonly to: SeqNumber;
}

export type SeqRanges = readonly SeqRange[];

/** `$`: the saved search result (RFC 5182). */
export const SAVED_RESULT = '$';
export type SequenceSet = SeqRanges | typeof SAVED_RESULT;

const NZ_NUMBER_MAX = 0xffffffff;

// sequence-set = (seq-number / seq-range) *("," sequence-set); seq-range = seq-number ":" seq-number;
// seq-number = nz-number / "*" (RFC 3501 §9); sequence-set =/ seq-last-command; seq-last-command = "$"
// (RFC 5182 §4)
export function parseSequenceSet(text: string, what = 'sequence set'): SequenceSet {
  if (text === SAVED_RESULT) return SAVED_RESULT;
  const ranges: SeqRange[] = [];
  for (const item of text.split(',')) {
    const ends = item.split(':');
    if (ends.length > 2) throw new ImapParseError(`Invalid ${what}`);
    const from = parseSeqNumber(ends[0], what);
    ranges.push({ from, to: ends.length === 2 ? parseSeqNumber(ends[1], what) : from });
  }
  return ranges;
}

function parseSeqNumber(text: string, what: string): SeqNumber {
  if (text === '*') return '*';
  const value = Number(text);
  if (!/^[1-9]\d{0,9}$/.test(text) || value > NZ_NUMBER_MAX) throw new ImapParseError(`Invalid ${what}`);
  return value;
}

/** The set's ranges with `*` = `star`, each low..high, sorted and merged. */
function intervals(set: SeqRanges, star: number): Array<[number, number]> {
  const list = set.map(({ from, to }): [number, number] => {
    const a = from === '*' ? star : from;
    const b = to === '*' ? star : to;
    return a <= b ? [a, b] : [b, a];
  });
  list.sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const [lo, hi] of list) {
    const last = merged[merged.length - 1];
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else merged.push([lo, hi]);
  }
  return merged;
}

/** Message sequence numbers in the set, 1..count, ascending (`*` = count). */
export function resolveSequenceSet(set: SeqRanges, count: number): number[] {
  const result: number[] = [];
  for (const [lo, hi] of intervals(set, count)) {
    for (let n = Math.max(lo, 1); n <= Math.min(hi, count); n++) result.push(n);
  }
  return result;
}

/**
 * The message sequence numbers (1-based positions in `uids`) of the UIDs in the set, ascending.
 * `uids` is the mailbox's UIDs in ascending order; `*` is the highest of them, so `559:*` includes the
 * last message even when 559 is above every UID (RFC 3501 §6.4.8).
 */
export function resolveUidSet(set: SeqRanges, uids: ArrayLike<number>): number[] {
  const result: number[] = [];
  if (uids.length === 0) return result;
  for (const [lo, hi] of intervals(set, uids[uids.length - 1])) {
    for (let i = lowerBound(uids, lo); i < uids.length && uids[i] <= hi; i++) result.push(i + 1);
  }
  return result;
}

/** The highest number the set names with `*` = star (to check message numbers exist, RFC 3501 §9). */
export function sequenceSetMax(set: SeqRanges, star: number): number {
  let max = 0;
  for (const { from, to } of set) max = Math.max(max, from === '*' ? star : from, to === '*' ? star : to);
  return max;
}

/** A membership test for one set (SEARCH keys evaluated message by message). */
export function sequenceSetMatcher(set: SeqRanges, star: number): (n: number) => boolean {
  const merged = intervals(set, star);
  const starts = merged.map(([lo]) => lo);
  return (n) => {
    const i = upperBound(starts, n) - 1;
    return i >= 0 && n <= merged[i][1];
  };
}

/** Numbers in their given order, consecutive ascending runs written as `a:b` (`1:3,7,9:10`). */
export function formatSequenceSet(numbers: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j++;
    parts.push(j === i ? String(numbers[i]) : `${numbers[i]}:${numbers[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** First index whose value is ≥ n. */
function lowerBound(values: ArrayLike<number>, n: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > n. */
/** The 1-based position of `n` in ascending `values`, or 0 when it is not there (a UID's sequence number). */
export function positionOf(values: ArrayLike<number>, n: number): number {
  const i = lowerBound(values, n);
  return i < values.length && values[i] === n ? i + 1 : 0;
}

function upperBound(values: ArrayLike<number>, n: number): number {
  return lowerBound(values, n + 1);
}
