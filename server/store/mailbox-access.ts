// Mailbox operations by name as a principal sees them, with its rights checked (RFC 4314 §4): the
// one place where IMAP's mailbox commands (SELECT/EXAMINE, STATUS, STORE, EXPUNGE, COPY/MOVE,
// APPEND, CREATE/DELETE/RENAME) meet access control. Written once over the Store interface, so both
// backends enforce the same rules; the protocols never decide a right themselves.
//
// Invariants:
// - A name the principal may neither look up (`l`) nor read (`r`) is answered as missing (null /
//   NotFoundError), whatever exists under it (store.acl.resolve); a visible mailbox lacking the right
//   an operation needs is AccessDeniedError (NO [NOPERM]). One's own mailboxes carry every right.
// - A Grant is what open() handed out: the rights held when the mailbox was selected (RFC 4314 allows
//   keeping them for the selection, as Dovecot does); operations on the selected mailbox check it.
// - Flags follow their own rights: \Seen `s`, \Deleted `t`, every other flag and keyword `w`. A change
//   naming flags the principal may not set drops those silently (Dovecot's behaviour); a change that
//   could change nothing at all is AccessDeniedError. APPEND and COPY into another's mailbox keep only
//   the flags the principal may set there.
// - Mail put into another's mailbox is charged to that mailbox's owner (docs/decisions.md).
import type { AclStore, MailboxAccess } from './acl.js';
import { parseNamespacedName } from './acl-rules.js';
import { AccessDeniedError, NotFoundError } from './errors.js';
import type { Mailbox, MailboxRepo } from './mailboxes.js';
import { INBOX } from './mailbox-names.js';
import { FLAG_BITS, type FlagChange, type FlagUpdate, type MailboxCounts, type MessageRepo, type Transfer } from './message-types.js';
import type { WithChanges } from './changes.js';
import type { Async, Delivery, DeliveryResult, MailboxSnapshot } from './use-case-types.js';
import type { AccountRepo } from './accounts.js';

/** The selected mailbox's access, as open() granted it. */
export type Grant = MailboxAccess;

/** The quota would be exceeded by the mail put into the owner's mailbox. */
export class OverQuotaError extends Error {
  override name = 'OverQuotaError';
}

/** What this module uses of the Store (index.ts builds it from the store itself). */
export interface AccessDeps {
  acl: AclStore;
  accounts: Async<Pick<AccountRepo, 'get'>>;
  mailboxes: Async<Pick<MailboxRepo, 'createPath' | 'rename'>>;
  messages: Async<Pick<MessageRepo, 'updateFlags' | 'expunge' | 'copy' | 'move' | 'meta'>>;
  openMailbox(accountId: number, name: string, options: { claimRecent: boolean; changedSince: number | null }): Promise<MailboxSnapshot | null>;
  mailboxStatus(mailboxId: number, withCounts: boolean): Promise<{ mailbox: Mailbox; counts: MailboxCounts } | null>;
  deliverMany(deliveries: Delivery[]): Promise<WithChanges<DeliveryResult[]>>;
  deleteMailbox(mailboxId: number): Promise<WithChanges<void>>;
}

export interface MailboxAccessStore {
  /** SELECT/EXAMINE (needs `r`): the snapshot and the grant; read-only when asked or when no right to change anything is held. */
  open(
    principalId: number,
    name: string,
    options: { readOnly: boolean; changedSince: number | null },
  ): Promise<{ snapshot: MailboxSnapshot; grant: Grant; readOnly: boolean } | null>;
  /** STATUS (needs `r`); null when missing or hidden. */
  status(principalId: number, name: string, withCounts: boolean): Promise<{ mailbox: Mailbox; counts: MailboxCounts; name: string } | null>;
  /** STORE on the selected mailbox, limited to the flags the grant may change. */
  updateFlags(grant: Grant, uids: readonly number[], change: FlagChange, unchangedSince: number | null): Promise<WithChanges<FlagUpdate>>;
  /** FETCH's implied \Seen: nothing (and no error) without `s`. */
  markSeen(grant: Grant, uids: readonly number[]): Promise<WithChanges<FlagUpdate>>;
  /** EXPUNGE / CLOSE (needs `e`). */
  expunge(grant: Grant, uids: number[]): Promise<WithChanges<number[]>>;
  /** The target of COPY/MOVE/APPEND by name (needs `i`): NotFoundError when missing or hidden. */
  target(principalId: number, name: string): Promise<MailboxAccess>;
  /** COPY (MOVE: also `t` and `e` on the source) into `target` (from target()); quota charged to its owner. */
  copy(source: Grant, uids: readonly number[], target: MailboxAccess, options: { move: boolean }): Promise<WithChanges<Transfer>>;
  /** APPEND of `deliveries` (each one local copy) into `target`: flags limited to its rights, quota its owner's. */
  append(target: MailboxAccess, deliveries: Delivery[]): Promise<WithChanges<DeliveryResult[]>>;
  /** CREATE: in one's own tree, or under a mailbox of another's on which `k` is held. */
  create(principalId: number, name: string): Promise<WithChanges<Mailbox>>;
  /** DELETE (needs `x`); another's INBOX never. */
  delete(principalId: number, name: string): Promise<WithChanges<void> & { mailboxId: number }>;
  /** RENAME within one owner's tree (`x` on the mailbox, `k` on the new parent). */
  rename(principalId: number, from: string, to: string): Promise<WithChanges<Mailbox>>;
}

const SEEN = FLAG_BITS['\\Seen'];
const DELETED = FLAG_BITS['\\Deleted'];
const OTHER_FLAGS = FLAG_BITS['\\Answered'] | FLAG_BITS['\\Flagged'] | FLAG_BITS['\\Draft'];

/** The system flags `rights` may change, and whether keywords may be. */
function flagRights(rights: string): { mask: number; keywords: boolean } {
  let mask = 0;
  if (rights.includes('s')) mask |= SEEN;
  if (rights.includes('t')) mask |= DELETED;
  if (rights.includes('w')) mask |= OTHER_FLAGS;
  return { mask, keywords: rights.includes('w') };
}

/** Rights that make a selected mailbox read-write (RFC 4314 §4: SELECT). */
const CHANGING_RIGHTS = 'swtei';

function need(access: MailboxAccess, rights: string, what: string): void {
  for (const c of rights) if (!access.rights.includes(c)) throw new AccessDeniedError(`You lack the right to ${what} in ${access.name} (${rights})`);
}

/** The name one level up, or null at a namespace's or a user's root. */
function parentName(name: string): string | null {
  const at = name.lastIndexOf('/');
  if (at < 0) return null;
  const parent = name.slice(0, at);
  return parseNamespacedName(parent).kind === 'container' ? null : parent;
}

const isForeign = (name: string) => parseNamespacedName(name).kind !== 'own';

export function mailboxAccess(store: () => AccessDeps): MailboxAccessStore {
  const s = store;

  /** Charges `bytes` to the owner of `mailbox` or refuses (OverQuotaError). */
  const checkQuota = async (ownerId: number, bytes: number) => {
    const owner = await s().accounts.get(ownerId);
    if (owner && owner.quotaBytes > 0 && owner.usedBytes + bytes > owner.quotaBytes) throw new OverQuotaError('Quota exceeded');
  };

  /** A foreign name's owner mailbox name and owner id; AccessDenied for containers and other owners' roots. */
  const foreignPlace = async (principalId: number, name: string): Promise<{ ownerId: number; ownName: string }> => {
    const parent = parentName(name);
    if (parent === null) throw new AccessDeniedError(`You may not create mailboxes at ${name}`);
    const access = await s().acl.resolve(principalId, parent);
    if (!access || !access.rights.includes('k')) throw new AccessDeniedError(`You may not create mailboxes under ${parent}`);
    const leaf = name.slice(parent.length + 1);
    const ownName = access.mailbox.name === INBOX && parseNamespacedName(parent).kind === 'shared' ? leaf : `${access.mailbox.name}/${leaf}`;
    return { ownerId: access.mailbox.accountId, ownName };
  };

  const updateFlags: MailboxAccessStore['updateFlags'] = async (grant, uids, change, unchangedSince) => {
    const { messages } = s();
    if (grant.owned) return messages.updateFlags(grant.mailbox.id, uids, change, unchangedSince);
    const { mask, keywords } = flagRights(grant.rights);
    const wanted = { flags: change.flags & mask, keywords: keywords ? change.keywords : [] };
    if (change.action !== 'replace') {
      if (wanted.flags === 0 && wanted.keywords.length === 0 && (change.flags !== 0 || change.keywords.length > 0)) {
        throw new AccessDeniedError(`You lack the right to change these flags in ${grant.name}`);
      }
      return messages.updateFlags(grant.mailbox.id, uids, { action: change.action, ...wanted }, unchangedSince);
    }
    if (mask === 0 && !keywords) throw new AccessDeniedError(`You lack the right to change flags in ${grant.name}`);
    // A replace touches only what may be changed: the permitted flags named are added, the permitted
    // ones not named removed; keywords are replaced only with `w`.
    if (keywords && mask === (SEEN | DELETED | OTHER_FLAGS)) return messages.updateFlags(grant.mailbox.id, uids, change, unchangedSince);
    const added = await messages.updateFlags(grant.mailbox.id, uids, { action: 'add', flags: wanted.flags, keywords: wanted.keywords }, unchangedSince);
    const present = await messages.meta(grant.mailbox.id, uids);
    const dropKeywords = keywords ? [...new Set(present.flatMap((m) => m.keywords))].filter((k) => !wanted.keywords.some((w) => w.toLowerCase() === k.toLowerCase())) : [];
    const removed = await messages.updateFlags(grant.mailbox.id, added.result.messages.map((m) => m.uid).filter((u) => !added.result.modified.includes(u)), { action: 'remove', flags: mask & ~wanted.flags, keywords: dropKeywords }, null);
    const after = new Map(removed.result.messages.map((m) => [m.uid, m]));
    return {
      result: {
        messages: added.result.messages.map((m) => {
          const r = after.get(m.uid);
          return r ? { ...r, changed: r.changed || m.changed } : m;
        }),
        modified: added.result.modified,
      },
      changes: [...added.changes, ...removed.changes],
    };
  };

  /** Flags of copies into `target` a non-owner may not set, removed after the copy. */
  const dropUnpermitted = async (target: MailboxAccess, uids: number[]) => {
    const { mask, keywords } = flagRights(target.rights);
    if (target.owned || (mask === (SEEN | DELETED | OTHER_FLAGS) && keywords) || uids.length === 0) return [];
    const present = await s().messages.meta(target.mailbox.id, uids);
    const dropKeywords = keywords ? [] : [...new Set(present.flatMap((m) => m.keywords))];
    const dropFlags = (SEEN | DELETED | OTHER_FLAGS) & ~mask;
    if (!present.some((m) => (m.flags & dropFlags) !== 0) && dropKeywords.length === 0) return [];
    return (await s().messages.updateFlags(target.mailbox.id, uids, { action: 'remove', flags: dropFlags, keywords: dropKeywords }, null)).changes;
  };

  return {
    async open(principalId, name, options) {
      const access = await s().acl.resolve(principalId, name);
      if (!access) return null;
      need(access, 'r', 'read');
      const readOnly = options.readOnly || ![...CHANGING_RIGHTS].some((c) => access.rights.includes(c));
      const snapshot = await s().openMailbox(access.mailbox.accountId, access.mailbox.name, { claimRecent: !readOnly, changedSince: options.changedSince });
      return snapshot && { snapshot, grant: { ...access, mailbox: snapshot.mailbox }, readOnly };
    },
    async status(principalId, name, withCounts) {
      const access = await s().acl.resolve(principalId, name);
      if (!access) return null;
      need(access, 'r', 'read');
      const status = await s().mailboxStatus(access.mailbox.id, withCounts);
      return status && { ...status, name: access.name };
    },
    updateFlags,
    async markSeen(grant, uids) {
      if (!grant.rights.includes('s') || uids.length === 0) return { result: { messages: [], modified: [] }, changes: [] };
      return s().messages.updateFlags(grant.mailbox.id, uids, { action: 'add', flags: SEEN, keywords: [] }, null);
    },
    async expunge(grant, uids) {
      need(grant, 'e', 'expunge');
      return s().messages.expunge(grant.mailbox.id, uids);
    },
    async target(principalId, name) {
      const access = await s().acl.resolve(principalId, name);
      if (!access) throw new NotFoundError(`Mailbox ${name} does not exist`);
      need(access, 'i', 'insert messages');
      return access;
    },
    async copy(source, uids, target, { move }) {
      need(source, move ? 'rte' : 'r', move ? 'move messages out' : 'copy messages');
      need(target, 'i', 'insert messages');
      const { messages } = s();
      // Moving within one owner's mailboxes leaves the owner's usage as it is.
      if (!move || source.mailbox.accountId !== target.mailbox.accountId) {
        const size = (await messages.meta(source.mailbox.id, uids)).reduce((n, m) => n + m.size, 0);
        await checkQuota(target.mailbox.accountId, size);
      }
      const done = move ? await messages.move(source.mailbox.id, uids, target.mailbox.id, true) : await messages.copy(source.mailbox.id, uids, target.mailbox.id, true);
      done.changes.push(...(await dropUnpermitted(target, done.result.destinationUids)));
      return done;
    },
    async append(target, deliveries) {
      need(target, 'i', 'append messages');
      const { mask, keywords } = flagRights(target.rights);
      const limited = target.owned
        ? deliveries
        : deliveries.map((d) => ({ ...d, local: d.local.map((l) => ({ ...l, flags: l.flags & mask, keywords: keywords ? l.keywords : [] })) }));
      await checkQuota(target.mailbox.accountId, deliveries.reduce((n, d) => n + d.bytes.length, 0));
      return s().deliverMany(limited);
    },
    async create(principalId, name) {
      if (!isForeign(name)) return s().mailboxes.createPath(principalId, name);
      const { ownerId, ownName } = await foreignPlace(principalId, name);
      return s().mailboxes.createPath(ownerId, ownName);
    },
    async delete(principalId, name) {
      const access = await s().acl.resolve(principalId, name);
      if (!access) throw new NotFoundError(`Mailbox ${name} does not exist`);
      need(access, 'x', 'delete');
      if (!access.owned && access.mailbox.name === INBOX) throw new AccessDeniedError(`${name} cannot be deleted`);
      return { ...(await s().deleteMailbox(access.mailbox.id)), mailboxId: access.mailbox.id };
    },
    async rename(principalId, from, to) {
      const source = await s().acl.resolve(principalId, from);
      if (!source) throw new NotFoundError(`Mailbox ${from} does not exist`);
      if (source.owned && !isForeign(to)) return s().mailboxes.rename(principalId, source.mailbox.name, to);
      need(source, 'x', 'rename');
      if (source.owned || !isForeign(to)) throw new AccessDeniedError("Mailboxes cannot be renamed into or out of another user's tree");
      if (source.mailbox.name === INBOX) throw new AccessDeniedError(`${from} cannot be renamed`);
      const { ownerId, ownName } = await foreignPlace(principalId, to);
      if (ownerId !== source.mailbox.accountId) throw new AccessDeniedError("Mailboxes cannot be renamed into another user's tree");
      return s().mailboxes.rename(ownerId, source.mailbox.name, ownName);
    },
  };
}

