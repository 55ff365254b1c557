// Who may do what with a mailbox (RFC 4314): the one place where a principal's access to a mailbox
// by name is decided. Protocols name mailboxes as the principal sees them (its own, `Other Users/
// <address>/<name>`, `Shared/<name>[/<folder>]`); resolve/require map such a name to the owner's
// mailbox with the principal's rights, or to nothing. Written once over the repositories of either
// backend (SQLite's wrapped in promises, PostgreSQL's of one transaction).
//
// Invariants: a mailbox on which the principal holds neither `l` nor `r` is answered exactly as a
// missing one (null / NotFoundError), so no command can tell the two apart (RFC 4314 §4). The owner
// holds every right on its mailboxes. Changing an ACL needs `a`. On SQLite the read that checks a
// right and the write it allows are separate statements (no await between them does I/O); on
// PostgreSQL each call is one transaction.
import type { AccountRepo } from './accounts.js';
import type { AclRowRepo, SharedMailboxRow } from './acl-rows.js';
import {
  InvalidAclError,
  identifiersOf,
  modifyRights,
  namespacedName,
  normalizeIdentifier,
  normalizeRights,
  parseNamespacedName,
  rightsFrom,
  type AclEntry,
} from './acl-rules.js';
import { AccessDeniedError, NotFoundError } from './errors.js';
import type { Mailbox, MailboxRepo } from './mailboxes.js';
import type { Async } from './use-case-types.js';

/** Every stored right: what an owner holds. */
export const OWNER_RIGHTS = normalizeRights('lrswipkxtecda');

export interface MailboxAccess {
  /** The owner's row. */
  mailbox: Mailbox;
  /** The mailbox's name as the principal sees it. */
  name: string;
  /** The principal's rights (stored letters, acl-rules.ts). */
  rights: string;
  /** The principal's own mailbox. */
  owned: boolean;
}

export interface AclStore {
  /** The mailbox `name` names for the principal, with its rights; null when missing or hidden (neither `l` nor `r`). */
  resolve(principalId: number, name: string): Promise<MailboxAccess | null>;
  /** resolve, and every right in `need` held (or any one, with `any`): NotFoundError / AccessDeniedError otherwise. */
  require(principalId: number, name: string, need: string, mode?: 'all' | 'any'): Promise<MailboxAccess>;
  /** Other owners' mailboxes the principal may look up (`l`), named as it sees them, by name. */
  visible(principalId: number): Promise<MailboxAccess[]>;
  /** GETACL (needs `a`): the owner (a person) with every right, then the entries. */
  getAcl(principalId: number, name: string): Promise<AclEntry[]>;
  /** SETACL (needs `a`); the identifier's rights after the change. */
  setAcl(principalId: number, name: string, identifier: string, change: string): Promise<string>;
  /** DELETEACL (needs `a`). */
  deleteAcl(principalId: number, name: string, identifier: string): Promise<void>;
  /** The entries of a mailbox, for the admin (who needs no right). */
  entriesOf(mailboxId: number): Promise<AclEntry[]>;
  /** Sets an identifier's rights on a mailbox for the admin; empty rights revoke. */
  grant(mailboxId: number, identifier: string, rights: string): Promise<void>;
  sharedMailboxes(): Promise<SharedMailboxRow[]>;
  /** Marks an account (just made, login locked) as the shared mailbox `name`. */
  addShared(name: string, accountId: number): Promise<void>;
  /** Drops the entries naming a deleted account's address. */
  forget(address: string): Promise<void>;
}

export interface AclRepos {
  accounts: Async<Pick<AccountRepo, 'get' | 'find'>>;
  mailboxes: Async<Pick<MailboxRepo, 'get' | 'byId'>>;
  aclRows: Async<AclRowRepo>;
}

export function aclUseCases(r: AclRepos): AclStore {
  const accountIdOf = async (address: string): Promise<number | undefined> => {
    const at = address.lastIndexOf('@');
    return at < 1 ? undefined : (await r.accounts.find(address.slice(0, at), address.slice(at + 1)))?.id;
  };

  /** The name a non-owner sees for `mailbox`. */
  const nameFor = async (mailbox: Mailbox): Promise<string> => {
    const shared = await r.aclRows.sharedName(mailbox.accountId);
    const owner = shared === undefined ? await r.accounts.get(mailbox.accountId) : undefined;
    return namespacedName(owner?.address ?? '', shared, mailbox.name);
  };

  const resolve = async (principalId: number, name: string): Promise<MailboxAccess | null> => {
    const parsed = parseNamespacedName(name);
    if (parsed.kind === 'container') return null;
    if (parsed.kind === 'own') {
      const mailbox = await r.mailboxes.get(principalId, parsed.name);
      return mailbox ? { mailbox, name: mailbox.name, rights: OWNER_RIGHTS, owned: true } : null;
    }
    const principal = await r.accounts.get(principalId);
    const ownerId = parsed.kind === 'user' ? await accountIdOf(parsed.address) : await r.aclRows.sharedAccount(parsed.shared);
    // One's own mailboxes have one name only: `Other Users/<me>/...` names nothing.
    if (!principal || ownerId === undefined || ownerId === principalId) return null;
    const mailbox = await r.mailboxes.get(ownerId, parsed.name);
    if (!mailbox) return null;
    const rights = rightsFrom(await r.aclRows.entries(mailbox.id), identifiersOf(principal.address));
    if (!rights.includes('l') && !rights.includes('r')) return null;
    return { mailbox, name: await nameFor(mailbox), rights, owned: false };
  };

  const require = async (principalId: number, name: string, need: string, mode: 'all' | 'any' = 'all'): Promise<MailboxAccess> => {
    const access = await resolve(principalId, name);
    if (!access) throw new NotFoundError(`Mailbox ${name} does not exist`);
    const held = [...need].filter((c) => access.rights.includes(c));
    if (mode === 'all' ? held.length < need.length : held.length === 0) throw new AccessDeniedError(`You lack the right to do this on ${name} (${need})`);
    return access;
  };

  /** `identifier` normalised, refused when it is the owner (whose rights are fixed). */
  const grantee = async (mailbox: Mailbox, identifier: string): Promise<string> => {
    const id = normalizeIdentifier(identifier);
    const owner = await r.accounts.get(mailbox.accountId);
    if (owner && id.replace(/^-/, '') === owner.address.toLowerCase()) throw new InvalidAclError("The owner's rights cannot be changed");
    return id;
  };

  return {
    resolve,
    require,
    async visible(principalId) {
      const principal = await r.accounts.get(principalId);
      if (!principal) return [];
      const identifiers = identifiersOf(principal.address);
      const out: MailboxAccess[] = [];
      for (const id of await r.aclRows.grantedTo(identifiers)) {
        const mailbox = await r.mailboxes.byId(id);
        if (!mailbox || mailbox.accountId === principalId) continue;
        const rights = rightsFrom(await r.aclRows.entries(id), identifiers);
        if (rights.includes('l')) out.push({ mailbox, name: await nameFor(mailbox), rights, owned: false });
      }
      return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async getAcl(principalId, name) {
      const { mailbox } = await require(principalId, name, 'a');
      const shared = await r.aclRows.sharedName(mailbox.accountId);
      const owner = shared === undefined ? await r.accounts.get(mailbox.accountId) : undefined;
      const entries = await r.aclRows.entries(mailbox.id);
      return owner ? [{ identifier: owner.address.toLowerCase(), rights: OWNER_RIGHTS }, ...entries] : entries;
    },
    async setAcl(principalId, name, identifier, change) {
      const { mailbox } = await require(principalId, name, 'a');
      const id = await grantee(mailbox, identifier);
      const current = (await r.aclRows.entries(mailbox.id)).find((e) => e.identifier === id)?.rights ?? '';
      const next = modifyRights(current, change);
      await r.aclRows.put(mailbox.id, id, next);
      return next;
    },
    async deleteAcl(principalId, name, identifier) {
      const { mailbox } = await require(principalId, name, 'a');
      await r.aclRows.put(mailbox.id, await grantee(mailbox, identifier), '');
    },
    entriesOf: (mailboxId) => r.aclRows.entries(mailboxId),
    async grant(mailboxId, identifier, rights) {
      const mailbox = await r.mailboxes.byId(mailboxId);
      if (!mailbox) throw new NotFoundError('No such mailbox');
      await r.aclRows.put(mailboxId, await grantee(mailbox, identifier), normalizeRights(rights));
    },
    sharedMailboxes: () => r.aclRows.sharedList(),
    addShared: (name, accountId) => r.aclRows.addShared(name, accountId),
    forget: (address) => r.aclRows.forget(address.toLowerCase()),
  };
}
