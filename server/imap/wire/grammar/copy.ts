// COPY and MOVE: a message set and a destination mailbox.
import type { SequenceSet } from '../sequence-set.js';
import type { Reader } from '../tokens.js';

export interface CopyArgs {
  readonly set: SequenceSet;
  readonly mailbox: string;
}

// copy = "COPY" SP sequence-set SP mailbox (RFC 3501 §6.4.7);
// move = "MOVE" SP sequence-set SP mailbox (RFC 6851 §3)
export function parseCopy(r: Reader): CopyArgs {
  r.sp('sequence set');
  const set = r.sequenceSet();
  r.sp('mailbox name');
  return { set, mailbox: r.mailbox() };
}
