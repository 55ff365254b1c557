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
// - Constant keys are prepared once per compiled script (prepareKeys: folded, or wildcard patterns
//   parsed); a ValueList keeps its folded form, so a header compared by many rules is folded once.

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

/** A wildcard key read once: its pieces, with literal characters already folded. */
export type Pattern = readonly Piece[];

const ANY: Piece = Object.freeze({ kind: 'any' });
const ONE: Piece = Object.freeze({ kind: 'one' });

export function compilePattern(key: string, fold: (s: string) => string): Pattern {
  const out: Piece[] = [];
  const chars = Array.from(key);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '*') out.push(ANY);
    else if (c === '?') out.push(ONE);
    else if (c === '\\' && i + 1 < chars.length) out.push({ kind: 'char', ch: fold(chars[++i]) });
    else out.push({ kind: 'char', ch: fold(c) });
  }
  return out;
}

/** Matches `value` against wildcard `key`; returns the wildcard captures, or null. */
export function wildcardMatch(value: string, key: string, fold: (s: string) => string): string[] | null {
  return patternMatch(value, compilePattern(key, fold), fold);
}

/** Matches `value` against a compiled pattern (see compilePattern); returns the captures, or null. */
export function patternMatch(value: string, pat: Pattern, fold: (s: string) => string): string[] | null {
  const text = Array.from(value);
  const folded = text.map(fold);
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

/**
 * Values to match, with their folded form kept: a list that lives for a run (a header's decoded
 * texts, match-test.ts) is folded once however many tests compare it. The arrays are never changed.
 */
export class ValueList {
  private foldedWith: ((s: string) => string) | null = null;
  private foldedValues: readonly string[] = [];

  constructor(readonly values: readonly string[]) {}

  folded(fold: (s: string) => string): readonly string[] {
    if (fold !== this.foldedWith) {
      this.foldedValues = this.values.map(fold);
      this.foldedWith = fold;
    }
    return this.foldedValues;
  }
}

/** A key list prepared for one matcher: folded for :is/:contains, compiled for :matches. */
export interface PreparedKeys {
  keys: readonly string[];
  folded: readonly string[] | null;
  patterns: readonly Pattern[] | null;
}

export function prepareKeys(m: Matcher, keys: readonly string[]): PreparedKeys {
  const { fold } = m.comparator;
  const kind = m.type.kind;
  if (fold === undefined || kind === 'value' || kind === 'count') return { keys, folded: null, patterns: null };
  if (kind === 'matches') return { keys, folded: null, patterns: keys.map((k) => compilePattern(k, fold)) };
  return { keys, folded: keys.map(fold), patterns: null };
}

/** Applies the matcher to the values found and the test's keys. */
export function matchValues(m: Matcher, values: readonly string[], keys: readonly string[]): MatchOutcome {
  return matchPrepared(m, new ValueList(values), prepareKeys(m, keys));
}

/** Applies the matcher to the values found and keys prepared for it (prepareKeys with the same matcher). */
export function matchPrepared(m: Matcher, list: ValueList, prepared: PreparedKeys): MatchOutcome {
  const { type, comparator } = m;
  const { values } = list;
  const { keys } = prepared;
  if (type.kind === 'count') {
    const count = String(values.length);
    for (const k of keys) if (relationHolds(type.relation, comparator.order(count, k))) return MATCHED;
    return NOT_MATCHED;
  }
  if (values.length === 0 || keys.length === 0) return NOT_MATCHED;
  const { fold } = comparator;
  if (type.kind === 'value' || fold === undefined) {
    // :is without a fold is order 0 (i;ascii-numeric)
    for (const v of values) {
      for (const k of keys) {
        const order = comparator.order(v, k);
        if (type.kind === 'value' ? relationHolds(type.relation, order) : order === 0) return MATCHED;
      }
    }
    return NOT_MATCHED;
  }
  if (type.kind === 'matches') {
    const patterns = prepared.patterns ?? keys.map((k) => compilePattern(k, fold));
    for (const v of values) {
      for (const pattern of patterns) {
        const captures = patternMatch(v, pattern, fold);
        if (captures !== null) return { matched: true, captures: [v, ...captures] };
      }
    }
    return NOT_MATCHED;
  }
  // Equality of folded forms is order 0 (comparators.ts), without building byte strings.
  const vs = list.folded(fold);
  const ks = prepared.folded ?? keys.map(fold);
  if (type.kind === 'is') {
    for (const v of vs) for (const k of ks) if (v === k) return MATCHED;
  } else {
    for (const v of vs) for (const k of ks) if (v.includes(k)) return MATCHED;
  }
  return NOT_MATCHED;
}
