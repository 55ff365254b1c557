// Allow and block lists (issue 16): what a pattern means and which entries apply to one message for
// one recipient. A pattern is a sender address (`someone@example.org`), a sender domain
// (`@example.org`, `*@example.org` or `example.org`; its subdomains are not included), or the
// client's network (an IP address or CIDR, IPv4 or IPv6).
//
// Invariants: patterns are stored in one canonical form (lower case, A-label domains, CIDR with host
// bits cleared), so one entry cannot be listed twice under two spellings. For a recipient, the
// entries that apply are the global ones, its domain's and its own; a block entry beats an allow
// entry of a wider scope, and an allow entry beats a block entry of a wider scope (the user's own
// word wins, then the domain's, then the admin's global list); within one scope block wins.
import { AddressError, normalizeDomain, parseAddress } from '../mime/addr-spec.js';
import type { SenderListEntry, SenderPatternKind } from '../store/sender-lists.js';
import { CidrError, cidrMatcher, parseCidr } from './cidr.js';

export class SenderPatternError extends Error {
  override name = 'SenderPatternError';
}

export function parseSenderPattern(input: string): { kind: SenderPatternKind; pattern: string } {
  const text = input.trim();
  if (text === '') throw new SenderPatternError('A pattern is a sender address, @domain or an IP range.');
  try {
    if (/^[\d.]+(\/\d+)?$/.test(text) || (text.includes(':') && !text.includes('@'))) return { kind: 'network', pattern: parseCidr(text).text };
    if (text.startsWith('@') || text.startsWith('*@')) return { kind: 'domain', pattern: `@${normalizeDomain(text.slice(text.indexOf('@') + 1))}` };
    if (!text.includes('@')) return { kind: 'domain', pattern: `@${normalizeDomain(text)}` };
    const a = parseAddress(text);
    return { kind: 'address', pattern: `${a.local}@${a.domain}`.toLowerCase() };
  } catch (error) {
    if (error instanceof AddressError || error instanceof CidrError) throw new SenderPatternError(`"${text}": ${error.message}`);
    throw error;
  }
}

/** The sender's address and domain as the list query wants them ('' for the null sender). */
export function senderKeys(sender: string): { address: string; domain: string } {
  const at = sender.lastIndexOf('@');
  return { address: sender.toLowerCase(), domain: at < 0 ? '' : sender.slice(at + 1).toLowerCase() };
}

export interface ListScope {
  domainId: number;
  accountId: number | null;
}

/** The list decision for one recipient, with the entry that made it; null when no entry applies. */
export function listVerdict(candidates: readonly SenderListEntry[], ip: string, scope: ListScope): { list: 'allow' | 'block'; entry: SenderListEntry } | null {
  const applies = (e: SenderListEntry) =>
    (e.kind !== 'network' || cidrMatcher([parseCidr(e.pattern)])(ip)) &&
    ((e.domainId === null && e.accountId === null) || e.domainId === scope.domainId || (scope.accountId !== null && e.accountId === scope.accountId));
  const rank = (e: SenderListEntry) => (e.accountId !== null ? 2 : e.domainId !== null ? 1 : 0);
  let best: SenderListEntry | null = null;
  for (const e of candidates) {
    if (!applies(e)) continue;
    if (best === null || rank(e) > rank(best) || (rank(e) === rank(best) && e.list === 'block')) best = e;
  }
  return best && { list: best.list, entry: best };
}

/** How an entry reads in logs and the message trace. */
export function describeEntry(e: SenderListEntry): string {
  const scope = e.accountId !== null ? "the user's" : e.domainId !== null ? "the domain's" : 'the global';
  return `${e.pattern} on ${scope} ${e.list} list`;
}
