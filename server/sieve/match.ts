// Match types (RFC 5228 §2.7.1, RFC 5231 relational): how a test compares the values it found in
// the message against its key list, and the match variables a successful :matches leaves behind
// (RFC 5229 §3.2).
//
// Invariants:
// - :is/:contains/:matches succeed when any value matches any key; :value compares each value
//   with each key by the comparator's order; :count compares the number of values (as a decimal
//   string) with each key.
// - Wildcard matching runs in O(value × key) time: on a mismatch only the latest "*" is
//   widened (the classic backtracking-free glob algorithm), which also makes every "*" match as
//   little as possible, as RFC 5229 §3.2's "[*] *" example requires.
// - Match values: ${0} is the whole value, then one entry per wildcard in order; they are only
//   replaced when a :matches test succeeds.

import type { Comparator } from './comparators.js';

export type Relation = 'gt' | 'ge' | 'lt' | 'le' | 'eq' | 'ne';
export const RELATIONS: readonly Relation[] = ['gt', 'ge', 'lt', 'le', 'eq', 'ne'];

export type MatchType =
  | { kind: 'is' | 'contains' | 'matches' }
  | { kind: 'value' | 'count'; relation: Relation };

export interface Matcher {
  type: MatchType;
  comparator: Comparator;
}

type Piece = { kind: 'char'; ch: string } | { kind: 'any' } | { kind: 'one' };

function pieces(key: string, fold: (s: string) => string): Piece[] {
  const out: Piece[] = [];
  const chars = Array.from(key);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '*') out.push({ kind: 'any' });
    else if (c === '?') out.push({ kind: 'one' });
    else if (c === '\\' && i + 1 < chars.length) out.push({ kind: 'char', ch: fold(chars[++i]) });
    else out.push({ kind: 'char', ch: fold(c) });
  }
  return out;
}

/** Matches `value` against wildcard `key`; returns the wildcard captures, or null. */
export function wildcardMatch(value: string, key: string, fold: (s: string) => string): string[] | null {
  const text = Array.from(value);
  const folded = text.map(fold);
  const pat = pieces(key, fold);
  const spans: [number, number][] = [];
  let t = 0;
  let p = 0;
  let starP = -1;
  let starT = 0;
  let starSpans = 0;
  while (t < text.length) {
    const piece = pat[p];
    if (p < pat.length && piece.kind === 'any') {
      starP = p;
      starT = t;
      spans.push([t, t]);
      starSpans = spans.length;
      p++;
    } else if (p < pat.length && (piece.kind === 'one' || (piece.kind === 'char' && piece.ch === folded[t]))) {
      if (piece.kind === 'one') spans.push([t, t + 1]);
      t++;
      p++;
    } else if (starP !== -1) {
      spans.length = starSpans;
      starT++;
      spans[starSpans - 1] = [spans[starSpans - 1][0], starT];
      t = starT;
      p = starP + 1;
    } else return null;
  }
  while (p < pat.length && pat[p].kind === 'any') {
    spans.push([t, t]);
    p++;
  }
  if (p < pat.length) return null;
  return spans.map(([a, b]) => text.slice(a, b).join(''));
}

function relationHolds(relation: Relation, order: number): boolean {
  switch (relation) {
    case 'gt':
      return order > 0;
    case 'ge':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'le':
      return order <= 0;
    case 'eq':
      return order === 0;
    case 'ne':
      return order !== 0;
  }
}

export interface MatchOutcome {
  matched: boolean;
  /** Set when a :matches succeeded: ${0}, ${1}, ... */
  captures: string[] | null;
}

const MATCHED: MatchOutcome = Object.freeze({ matched: true, captures: null });
const NOT_MATCHED: MatchOutcome = Object.freeze({ matched: false, captures: null });

/** Folds each string of a list; a caller may keep the result per list (match-test.ts does, per run). */
export type ListFolder = (list: readonly string[], fold: (s: string) => string) => readonly string[];

const foldEach: ListFolder = (list, fold) => list.map(fold);

/** Applies the matcher to the values found and the test's keys. */
export function matchValues(m: Matcher, values: readonly string[], keys: readonly string[], foldAll: ListFolder = foldEach): MatchOutcome {
  const { type, comparator } = m;
  if (type.kind === 'count') {
    const count = String(values.length);
    return keys.some((k) => relationHolds(type.relation, comparator.order(count, k))) ? MATCHED : NOT_MATCHED;
  }
  if (values.length === 0) return NOT_MATCHED;
  const { fold } = comparator;
  if (type.kind === 'value' || fold === undefined) {
    // :is without a fold is order 0 (i;ascii-numeric)
    const holds = (order: number) => (type.kind === 'value' ? relationHolds(type.relation, order) : order === 0);
    return values.some((v) => keys.some((k) => holds(comparator.order(v, k)))) ? MATCHED : NOT_MATCHED;
  }
  if (type.kind === 'matches') {
    for (const v of values) {
      for (const k of keys) {
        const captures = wildcardMatch(v, k, fold);
        if (captures !== null) return { matched: true, captures: [v, ...captures] };
      }
    }
    return NOT_MATCHED;
  }
  // Equality of folded forms is order 0 (comparators.ts), without building byte strings.
  const vs = foldAll(values, fold);
  const ks = foldAll(keys, fold);
  const matched = type.kind === 'is' ? vs.some((v) => ks.includes(v)) : vs.some((v) => ks.some((k) => v.includes(k)));
  return matched ? MATCHED : NOT_MATCHED;
}
