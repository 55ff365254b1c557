// The admin side of shared mailboxes (issue 17): `Shared/sales` is an account of its own (login
// locked: its password hash is of no scheme, so every login fails) whose INBOX users see under
// Shared/ with the rights the admin grants; its address receives mail like any account's (aliases,
// Sieve and quota included), so delivery needs nothing new. Rights are checked by the store
// (store/acl.ts) wherever a user reaches the mailbox.
import type { EventBus } from '../../events.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/index.js';
import { SHARED, displayRights } from '../../store/acl-rules.js';
import { INBOX } from '../../store/mailbox-names.js';
import { parseAddress } from '../../mime/addr-spec.js';
import { AdminError, AdminSchemas, type AdminApi, type SharedMailboxView } from '../contract.js';
import { guard, guarded } from './errors.js';
import { domainOf } from './lookups.js';

export type SharedAdmin = Pick<AdminApi, 'listSharedMailboxes' | 'addSharedMailbox' | 'removeSharedMailbox' | 'grantSharedMailbox'>;

/** A stored password hash no scheme accepts: the shared mailbox's account cannot log in. */
export const LOCKED_HASH = '!shared-mailbox';

export function createSharedAdmin(deps: { store: Store; bus: EventBus; log: Logger }): SharedAdmin {
  const { store, bus, log } = deps;

  const viewOf = async (name: string, accountId: number): Promise<SharedMailboxView> => {
    const account = await store.accounts.get(accountId);
    const inbox = await store.mailboxes.get(accountId, INBOX);
    const grants = inbox ? await store.acl.entriesOf(inbox.id) : [];
    return {
      name,
      imapName: `${SHARED}/${name}`,
      address: account?.address ?? '',
      quota: account?.quotaBytes ?? 0,
      usedBytes: account?.usedBytes ?? 0,
      messages: inbox ? await store.messages.count(inbox.id) : 0,
      grants: grants.map((g) => ({ user: g.identifier, rights: displayRights(g.rights) })),
    };
  };

  const sharedOf = async (name: string) => {
    const row = (await store.acl.sharedMailboxes()).find((s) => s.name.toLowerCase() === name.trim().toLowerCase());
    if (!row) throw new AdminError('not-found', `There is no shared mailbox ${name.trim()}.`, 'name');
    return row;
  };

  return {
    async listSharedMailboxes() {
      return Promise.all((await store.acl.sharedMailboxes()).map((s) => viewOf(s.name, s.accountId)));
    },
    async addSharedMailbox(input) {
      const { name, address, quota } = AdminSchemas.addSharedMailbox.parse(input);
      if ((await store.acl.sharedMailboxes()).some((s) => s.name.toLowerCase() === name.toLowerCase())) {
        throw new AdminError('conflict', `There is already a shared mailbox ${name}.`, 'name');
      }
      const parsed = guard(() => parseAddress(address), 'address');
      const domain = await domainOf(store, parsed.domain);
      if (await store.aliases.find(parsed.local, domain.name)) throw new AdminError('conflict', `${parsed.local}@${domain.name} is already an alias. Remove the alias first or pick another address.`, 'address');
      if (await store.accounts.find(parsed.local, domain.name)) throw new AdminError('conflict', `${parsed.local}@${domain.name} is already an account. Pick another address.`, 'address');
      const account = await guarded(
        () => store.createAccount({ domainId: domain.id, localPart: parsed.local, displayName: name, passwordHash: LOCKED_HASH, scramSecret: null, quotaBytes: quota ?? domain.defaultQuota }),
        'address',
      );
      try {
        await store.acl.addShared(name, account.id);
      } catch (error) {
        await store.deleteAccount(account.id);
        throw error;
      }
      log.info('admin.shared.add', { name, address: account.address });
      return viewOf(name, account.id);
    },
    async removeSharedMailbox(input) {
      const { name } = AdminSchemas.removeSharedMailbox.parse(input);
      const row = await sharedOf(name);
      const removed = await store.deleteAccount(row.accountId);
      for (const change of removed.changes) bus.emit('change', change);
      const removedMessages = removed.changes.reduce((n, c) => n + (c.kind === 'messages-expunged' ? c.uids.length : 0), 0);
      log.info('admin.shared.remove', { name: row.name, removedMessages });
      return { removedMessages };
    },
    async grantSharedMailbox(input) {
      const { name, user, rights } = AdminSchemas.grantSharedMailbox.parse(input);
      const row = await sharedOf(name);
      const identifier = user.trim().toLowerCase();
      if (identifier !== 'anyone' && identifier !== 'authenticated') {
        const parsed = guard(() => parseAddress(identifier), 'user');
        if (!(await store.accounts.find(parsed.local, parsed.domain))) throw new AdminError('not-found', `There is no user ${user.trim()}.`, 'user');
      }
      const inbox = await store.mailboxes.require(row.accountId, INBOX);
      await guarded(() => store.acl.grant(inbox.id, identifier, rights), 'rights');
      log.info('admin.shared.grant', { name: row.name, user: identifier, rights });
      return viewOf(row.name, row.accountId);
    },
  };
}
