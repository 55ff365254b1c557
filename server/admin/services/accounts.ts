// The admin side of accounts: list, add (with its password made into the stored secrets), change
// password, update and remove. An address is either an account or an alias, never both; an account
// that an alias delivers to is not removed until the alias is changed.
import type { EventBus } from '../../events.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/index.js';
import type { Account } from '../../store/accounts.js';
import { displayDomain, parseAddress } from '../../mime/addr-spec.js';
import { AdminError, AdminSchemas, type AccountView, type AdminApi } from '../contract.js';
import { guard, guarded } from './errors.js';
import { accountOf, domainOf } from './lookups.js';
import { pageOf, pageRequest } from './paging.js';

/** Turns a password into what the accounts table keeps: the strong hash and the SCRAM secret. */
export interface CredentialMaker {
  make(password: string): Promise<{ passwordHash: string; scramSecret: string }>;
}

export type AccountAdmin = Pick<AdminApi, 'listAccounts' | 'searchAccounts' | 'addAccount' | 'setPassword' | 'updateAccount' | 'removeAccount'>;

export function createAccountAdmin(deps: { store: Store; credentials: CredentialMaker; bus: EventBus; log: Logger }): AccountAdmin {
  const { store, bus, log } = deps;
  return {
    async listAccounts(input = {}) {
      const { domain } = AdminSchemas.listAccounts.parse(input);
      const filter = domain === undefined ? undefined : (await domainOf(store, domain)).name;
      return (await store.accounts.list(filter)).map(accountView);
    },
    async searchAccounts(input = {}) {
      const { domain, ...page } = AdminSchemas.searchAccounts.parse(input);
      const filter = domain === undefined ? undefined : (await domainOf(store, domain)).name;
      const request = pageRequest(page);
      return pageOf(request, await store.accounts.page(request, filter), accountView);
    },
    async addAccount(input) {
      const { address, password, displayName, quota } = AdminSchemas.addAccount.parse(input);
      const parsed = guard(() => parseAddress(address), 'address');
      const domain = await domainOf(store, parsed.domain);
      if (await store.aliases.find(parsed.local, domain.name)) {
        throw new AdminError('conflict', `${parsed.local}@${domain.name} is already an alias. Remove the alias first or pick another name.`, 'address');
      }
      if (await store.accounts.find(parsed.local, domain.name)) {
        throw new AdminError('conflict', `The account ${parsed.local}@${domain.name} already exists.`, 'address');
      }
      const secrets = await guarded(() => deps.credentials.make(password), 'password');
      const account = await guarded(
        () => store.createAccount({ domainId: domain.id, localPart: parsed.local, displayName, ...secrets, quotaBytes: quota ?? domain.defaultQuota }),
        'address',
      );
      log.info('admin.account.add', { address: account.address });
      return accountView(account);
    },
    async setPassword(input) {
      const { address, password } = AdminSchemas.setPassword.parse(input);
      const account = await accountOf(store, address);
      const secrets = await guarded(() => deps.credentials.make(password), 'password');
      const updated = await store.accounts.update(account.id, secrets);
      log.info('admin.account.password', { address: account.address });
      return accountView(updated);
    },
    async updateAccount(input) {
      const { address, displayName, quota, active } = AdminSchemas.updateAccount.parse(input);
      const account = await accountOf(store, address);
      const updated = await store.accounts.update(account.id, { displayName, quotaBytes: quota, active });
      log.info('admin.account.update', { address: account.address, quota, active });
      return accountView(updated);
    },
    async removeAccount(input) {
      const { address } = AdminSchemas.removeAccount.parse(input);
      const account = await accountOf(store, address);
      const referencing = await store.aliases.referencing(account.address);
      if (referencing.length > 0) {
        throw new AdminError(
          'conflict',
          `${account.address} is a destination of ${referencing.map((a) => a.address).join(', ')}. Change those aliases first.`,
          'address',
        );
      }
      const removed = await store.deleteAccount(account.id);
      for (const change of removed.changes) bus.emit('change', change);
      // Counted from what the deletion did, not from a read before it.
      const removedMessages = removed.changes.reduce((n, c) => n + (c.kind === 'messages-expunged' ? c.uids.length : 0), 0);
      log.info('admin.account.remove', { address: account.address, removedMessages });
      return { removedMessages };
    },
  };
}

function accountView(a: Account): AccountView {
  return {
    address: a.address,
    displayAddress: `${a.localPart}@${displayDomain(a.domain)}`,
    displayName: a.displayName,
    quota: a.quotaBytes,
    usedBytes: a.usedBytes,
    active: a.active,
    createdAt: a.createdAt,
    lastLoginAt: a.lastLoginAt,
  };
}
