// STORE, with the CONDSTORE UNCHANGEDSINCE modifier.
import { shown } from '../errors.js';
import type { SequenceSet } from '../sequence-set.js';
import type { Reader } from '../tokens.js';
import { readFlag, readFlagList } from './flags.js';

export interface StoreArgs {
  readonly set: SequenceSet;
  /** FLAGS replaces, +FLAGS adds, -FLAGS removes. */
  readonly action: 'replace' | 'add' | 'remove';
  /** .SILENT: no untagged FETCH for the changed flags (RFC 3501 §6.4.6). */
  readonly silent: boolean;
  readonly flags: string[];
  /** RFC 7162 §3.1.3: store only into messages whose mod-sequence is at most this; null = always. */
  readonly unchangedSince: number | null;
}

const ACTIONS: Record<string, StoreArgs['action']> = { FLAGS: 'replace', '+FLAGS': 'add', '-FLAGS': 'remove' };

// store = "STORE" SP sequence-set [store-modifiers] SP store-att-flags (RFC 3501 §6.4.6, RFC 4466 §2.5);
// store-modifiers = SP "(" "UNCHANGEDSINCE" SP mod-sequence-valzer ")" (RFC 7162 §3.1.3);
// store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))
export function parseStore(r: Reader): StoreArgs {
  r.sp('sequence set');
  const set = r.sequenceSet();
  r.sp('store item');
  let unchangedSince: number | null = null;
  if (r.peek() === 0x28) {
    r.list('store modifiers', () => {
      const name = r.keyword('store modifier');
      if (name !== 'UNCHANGEDSINCE') r.fail(`Unknown store modifier ${shown(name)}`);
      r.sp('mod-sequence');
      unchangedSince = r.modSequence('mod-sequence', true);
    });
    r.sp('store item');
  }
  const item = r.keyword('store item');
  const silent = item.endsWith('.SILENT');
  const action = ACTIONS[silent ? item.slice(0, -'.SILENT'.length) : item];
  if (action === undefined) r.fail(`Unknown store item ${shown(item)}`);
  r.sp('flags');
  let flags: string[];
  if (r.peek() === 0x28) flags = readFlagList(r);
  else {
    flags = [readFlag(r)];
    while (r.tryByte(0x20)) flags.push(readFlag(r));
  }
  return { set, action, silent, flags, unchangedSince };
}
