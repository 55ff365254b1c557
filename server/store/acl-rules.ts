// The rules of mailbox access control (RFC 4314) that do not touch storage: the rights alphabet, how
// the rights of a principal follow from a mailbox's entries, how SETACL's `+`/`-` modify them, and
// how names in the "Other Users" and "Shared" namespaces map to an owner's mailbox.
//
// Invariants: stored rights use only the RFC 4314 letters `lrswipkxtea` (the obsolete `c` and `d`
// are expanded on input to `kx` and `te`, as Cyrus does, and reported again when any right of their
// class is held, §2.1.1). Identifiers are `anyone`, `authenticated` or a lower-cased address, with
// a leading `-` for a negative right (§2); the owner always holds every right and never needs an
// entry.
import { INBOX, canonicalMailboxName } from './mailbox-names.js';

/** Every right, in the order responses list them (RFC 4314 §2.1 and §2.1.1). */
export const ALL_RIGHTS = 'lrswipkxtecda';
const STORED = 'lrswipkxtea';
const OBSOLETE: Readonly<Record<string, string>> = { c: 'kx', d: 'te' };

export const OTHER_USERS = 'Other Users';
export const SHARED = 'Shared';
export const ANYONE = 'anyone';
export const AUTHENTICATED = 'authenticated';

export interface AclEntry {
  identifier: string;
  rights: string;
}

/** A malformed identifier or rights string (SETACL/DELETEACL arguments). */
export class InvalidAclError extends Error {
  override name = 'InvalidAclError';
}

/** What a mailbox name in the principal's view points at. */
export type NamedMailbox =
  | { kind: 'own'; name: string }
  | { kind: 'user'; address: string; name: string }
  | { kind: 'shared'; shared: string; name: string }
  /** A namespace prefix or a user's root: lists, never opens. */
  | { kind: 'container' };

export function parseNamespacedName(name: string): NamedMailbox {
  for (const [prefix, kind] of [
    [OTHER_USERS, 'user'],
    [SHARED, 'shared'],
  ] as const) {
    if (name !== prefix && !name.startsWith(`${prefix}/`)) continue;
    const levels = name.split('/').slice(1);
    const [head, ...rest] = levels;
    if (!head) return { kind: 'container' };
    if (kind === 'user') return rest.length === 0 ? { kind: 'container' } : { kind, address: head.toLowerCase(), name: canonicalMailboxName(rest.join('/')) };
    // A shared mailbox is its account's INBOX; its folders are the account's other mailboxes.
    return { kind, shared: head, name: rest.length === 0 ? INBOX : rest.join('/') };
  }
  return { kind: 'own', name };
}

/** The name the principal sees for an owner's mailbox (`sharedName` when the owner is a shared mailbox). */
export function namespacedName(ownerAddress: string, sharedName: string | undefined, name: string): string {
  if (sharedName !== undefined) return name === INBOX ? `${SHARED}/${sharedName}` : `${SHARED}/${sharedName}/${name}`;
  return `${OTHER_USERS}/${ownerAddress.toLowerCase()}/${name}`;
}

/** `c`/`d` expanded, duplicates dropped, in stored order; InvalidAclError for an unknown letter. */
export function normalizeRights(rights: string): string {
  const held = new Set<string>();
  for (const c of rights) {
    if (OBSOLETE[c]) for (const r of OBSOLETE[c]) held.add(r);
    else if (STORED.includes(c)) held.add(c);
    else throw new InvalidAclError(`Unknown right "${c}"`);
  }
  return [...STORED].filter((c) => held.has(c)).join('');
}

/** Stored rights as responses list them: `c` and `d` added when a right of their class is held. */
export function displayRights(rights: string): string {
  const held = new Set(rights);
  for (const [old, members] of Object.entries(OBSOLETE)) if ([...members].some((r) => held.has(r))) held.add(old);
  return [...ALL_RIGHTS].filter((c) => held.has(c)).join('');
}

/** SETACL's rights argument applied to `current` (RFC 4314 §3.1: `+` adds, `-` removes, else replaces). */
export function modifyRights(current: string, change: string): string {
  if (change.startsWith('+')) return normalizeRights(current + change.slice(1));
  if (change.startsWith('-')) {
    const removed = normalizeRights(change.slice(1));
    return [...current].filter((c) => !removed.includes(c)).join('');
  }
  return normalizeRights(change);
}

/** An identifier as stored: lower-cased; InvalidAclError unless `anyone`, `authenticated` or an address. */
export function normalizeIdentifier(identifier: string): string {
  const lower = identifier.toLowerCase();
  const bare = lower.startsWith('-') ? lower.slice(1) : lower;
  if (bare === ANYONE || bare === AUTHENTICATED || /^[^@\s]+@[^@\s]+$/.test(bare)) return lower;
  throw new InvalidAclError(`Unknown identifier "${identifier}": use an address, anyone or authenticated`);
}

/** The identifiers that speak for an authenticated principal. */
export function identifiersOf(address: string): string[] {
  return [address.toLowerCase(), ANYONE, AUTHENTICATED];
}

/** A (non-owner) principal's rights from a mailbox's entries: granted minus negative entries (§2). */
export function rightsFrom(entries: readonly AclEntry[], identifiers: readonly string[]): string {
  const granted = new Set<string>();
  const denied = new Set<string>();
  for (const e of entries) {
    const negative = e.identifier.startsWith('-');
    if (!identifiers.includes(negative ? e.identifier.slice(1) : e.identifier)) continue;
    for (const c of e.rights) (negative ? denied : granted).add(c);
  }
  return [...STORED].filter((c) => granted.has(c) && !denied.has(c)).join('');
}
