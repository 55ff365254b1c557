// A planner conflict as a sentence with its effect, as the CLI prints it and the "Move in" wizard shows it.
import { formatSize } from '../admin/size.js';
import type { Conflict } from './plan.js';

export const EFFECT: Record<Conflict['effect'], string> = { skipped: 'skipped', 'imported-disabled': 'imported disabled', imported: 'imported anyway' };

/** What the conflict is, without its effect. */
export function conflictWhat(c: Conflict): string {
  switch (c.kind) {
    case 'address-exists':
      return `${c.address} already exists here`;
    case 'invalid-address':
      return `${c.address} is not a valid address: ${c.reason}`;
    case 'unknown-domain':
      return `${c.address}: the domain ${c.domain} is neither imported nor hosted here`;
    case 'unknown-hash':
      return `${c.address}: password scheme ${c.scheme} cannot be verified (${c.reason})`;
    case 'unknown-destination':
      return `${c.address} → ${c.destination}: no such local address`;
    case 'invalid-destination':
      return `${c.address} → ${c.destination}: ${c.reason}`;
    case 'alias-domain-conflict':
      return `alias domain ${c.domain} → ${c.target}: ${c.reason}`;
    case 'unsupported-transport':
      return `transport for ${c.domain} "${c.transport}": ${c.reason}`;
    case 'over-quota':
      return `${c.address}: ${formatSize(c.bytes)} of mail is over the quota of ${formatSize(c.quota)}`;
    case 'mail-without-account':
      return `mail of ${c.address} (${c.source}): there is no such account`;
    case 'unreadable-mail':
      return `${c.address}: ${c.count} message files cannot be read`;
  }
}

export function conflictText(c: Conflict): string {
  return `${conflictWhat(c)} — ${EFFECT[c.effect]}`;
}
