// The result of a Sieve run: the list of actions delivery carries out, collected with the rules
// of RFC 5228 §2.10: duplicates are merged, conflicting actions fail the run, implicit keep is
// added unless an action cancelled it, and the counts stay within the limits.
//
// Invariants:
// - The list is in script order; a merged duplicate keeps its first position (and gains the
//   later one's flags), so delivery stores a message once per mailbox.
// - A second vacation fails the run (RFC 5230 §4.7, as Pigeonhole).
// - reject/ereject excludes keep, fileinto, redirect, vacation and a second reject (RFC 5429
//   §2.1 and §2.2, as Pigeonhole's errors/conflict-*.sieve): adding one of them fails the run.
// - fileinto and redirect without :copy, discard and reject cancel the implicit keep.
// - At most MAX_ACTIONS actions and MAX_REDIRECTS redirects; the next one fails the run.

import { SieveRuntimeError, type Position } from './errors.js';
import { MAX_ACTIONS, MAX_REDIRECTS } from './limits.js';

export interface VacationAction {
  type: 'vacation';
  reason: string;
  /** The reason is a MIME entity (headers and body) rather than plain text. */
  mime: boolean;
  subject: string | null;
  from: string | null;
  /** Extra addresses the user owns (:addresses). */
  addresses: readonly string[];
  /** RFC 5230 §4.2: identifies this vacation text for the once-per-period tracking. */
  handle: string;
  /** Minimum time between two replies to one sender, in seconds (0: always). */
  periodSeconds: number;
  position: Position;
}

export type SieveAction =
  | { type: 'keep'; flags: string[]; implicit: boolean; position: Position | null }
  | { type: 'fileinto'; mailbox: string; flags: string[]; create: boolean; copy: boolean; position: Position }
  | { type: 'redirect'; address: string; copy: boolean; position: Position }
  | { type: 'discard'; position: Position }
  | { type: 'reject'; reason: string; extended: boolean; position: Position }
  | VacationAction;

const CANCELS_KEEP = (a: SieveAction): boolean =>
  (a.type === 'fileinto' && !a.copy) || (a.type === 'redirect' && !a.copy) || a.type === 'discard' || a.type === 'reject';

function conflictsWithReject(a: SieveAction): boolean {
  return a.type === 'keep' || a.type === 'fileinto' || a.type === 'redirect' || a.type === 'vacation' || a.type === 'reject';
}

function sameTarget(a: SieveAction, b: SieveAction): boolean {
  if (a.type === 'fileinto' && b.type === 'fileinto') return a.mailbox === b.mailbox;
  if (a.type === 'redirect' && b.type === 'redirect') return a.address.toLowerCase() === b.address.toLowerCase();
  return a.type === b.type && (a.type === 'keep' || a.type === 'discard');
}

function mergeFlags(into: string[], more: readonly string[]): void {
  for (const f of more) if (!into.some((g) => g.toLowerCase() === f.toLowerCase())) into.push(f);
}

export class ActionList {
  readonly actions: SieveAction[] = [];
  private redirects = 0;
  private implicitKeep = true;

  add(action: SieveAction, position: Position): void {
    const reject = this.actions.find((a) => a.type === 'reject');
    if (reject !== undefined && conflictsWithReject(action)) {
      throw new SieveRuntimeError(`${action.type} conflicts with the reject at line ${reject.position.line}.`, position);
    }
    if (action.type === 'reject') {
      const other = this.actions.find((a) => conflictsWithReject(a));
      if (other !== undefined) throw new SieveRuntimeError(`reject conflicts with the earlier ${other.type}.`, position);
    }
    if (action.type === 'vacation' && this.actions.some((a) => a.type === 'vacation')) {
      throw new SieveRuntimeError('only one vacation action per run (RFC 5230 §4.7).', position);
    }
    if (CANCELS_KEEP(action)) this.implicitKeep = false;
    const duplicate = this.actions.find((a) => sameTarget(a, action));
    if (duplicate !== undefined) {
      if ((duplicate.type === 'keep' || duplicate.type === 'fileinto') && (action.type === 'keep' || action.type === 'fileinto')) {
        mergeFlags(duplicate.flags, action.flags);
        if (duplicate.type === 'fileinto' && action.type === 'fileinto') duplicate.create ||= action.create;
      }
      return;
    }
    if (action.type === 'redirect' && ++this.redirects > MAX_REDIRECTS) {
      throw new SieveRuntimeError(`more than ${MAX_REDIRECTS} redirects.`, position);
    }
    if (this.actions.length >= MAX_ACTIONS) throw new SieveRuntimeError(`more than ${MAX_ACTIONS} actions.`, position);
    this.actions.push(action);
  }

  /** The final list: the actions plus the implicit keep (with `flags`) when nothing cancelled it. */
  finish(flags: readonly string[]): SieveAction[] {
    if (!this.implicitKeep || this.actions.some((a) => a.type === 'keep')) return this.actions;
    return [...this.actions, { type: 'keep', flags: [...flags], implicit: true, position: null }];
  }
}
