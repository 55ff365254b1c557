// The admin side of sender rights (issue 11 §3): "send as" grants that let a user send, on
// submission, as an address it does not own (one address, or `*@domain` for a whole domain), and
// master users, who may authenticate on behalf of another user (SASL authzid) on SMTP, IMAP, POP3 and
// ManageSieve. The checks themselves are in server/smtp/sender-identity.ts and
// server/auth/authenticator.ts; this module only keeps the lists.
import type { Logger } from '../../log.js';
import type { Store } from '../../store/index.js';
import type { Account } from '../../store/accounts.js';
import { normalizeDomain, parseAddress } from '../../mime/addr-spec.js';
import { AdminSchemas, type AdminApi, type SenderGrantView } from '../contract.js';
import { guard } from './errors.js';
import { accountOf } from './lookups.js';

export type SenderRightsAdmin = Pick<AdminApi, 'listSenderGrants' | 'grantSendAs' | 'revokeSendAs' | 'listMasterUsers' | 'setMasterUser'>;

/** `*@domain` or `local@domain`, with the domain as an A-label. */
function grantAddress(input: string): string {
  const text = input.trim();
  if (text.startsWith('*@')) return `*@${guard(() => normalizeDomain(text.slice(2)), 'address')}`;
  const a = guard(() => parseAddress(text), 'address');
  return `${a.local}@${a.domain}`;
}

export function createSenderRightsAdmin(deps: { store: Store; log: Logger }): SenderRightsAdmin {
  const { store, log } = deps;
  const view = (account: Account, grant: { address: string; createdAt: number }): SenderGrantView => ({
    user: account.address,
    address: grant.address,
    createdAt: grant.createdAt,
  });

  return {
    async listSenderGrants(input) {
      const { user } = AdminSchemas.listSenderGrants.parse(input ?? {});
      const only = user ? await accountOf(store, user, 'user') : undefined;
      const grants = await store.senderRights.grants(only?.id);
      return Promise.all(grants.map(async (g) => view(only ?? (await store.accounts.get(g.accountId))!, g)));
    },
    async grantSendAs(input) {
      const { user, address } = AdminSchemas.grantSendAs.parse(input);
      const account = await accountOf(store, user, 'user');
      const grant = await store.senderRights.grant(account.id, grantAddress(address));
      log.info('admin.send-as.grant', { user: account.address, address: grant.address });
      return view(account, grant);
    },
    async revokeSendAs(input) {
      const { user, address } = AdminSchemas.revokeSendAs.parse(input);
      const account = await accountOf(store, user, 'user');
      const removed = await store.senderRights.revoke(account.id, grantAddress(address));
      log.info('admin.send-as.revoke', { user: account.address, address, removed });
      return { removed };
    },
    async listMasterUsers() {
      const masters = await store.senderRights.masters();
      return Promise.all(masters.map(async (id) => (await store.accounts.get(id))!.address));
    },
    async setMasterUser(input) {
      const { address, master } = AdminSchemas.setMasterUser.parse(input);
      const account = await accountOf(store, address);
      await store.senderRights.setMaster(account.id, master);
      log.info('admin.master-user', { address: account.address, master });
      return { address: account.address, master };
    },
  };
}
