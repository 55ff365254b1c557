// GETQUOTA and GETQUOTAROOT (RFC 9208 §4.2-3) against the account quota: every mailbox of an
// account has the one quota root "" with the STORAGE resource (usage and limit in units of 1024
// octets, usage rounded up). An account without a limit (quota 0) has no quota root.
import type { Account } from '../../store/accounts.js';
import { AUTHENTICATED, NO_FLAGS, principal, type CommandSpec, type ImapSession } from '../command.js';
import { ImapNo } from '../errors.js';

const ROOT = '';

async function account(session: ImapSession): Promise<Account> {
  const found = await session.ctx.store.accounts.get(principal(session).accountId);
  if (!found) throw new ImapNo('The account no longer exists', 'UNAVAILABLE');
  return found;
}

function sendQuota(session: ImapSession, a: Account): void {
  session.send({
    kind: 'quota',
    root: ROOT,
    resources: [{ name: 'STORAGE', usage: Math.ceil(a.usedBytes / 1024), limit: Math.floor(a.quotaBytes / 1024) }],
  });
}

export const getQuota: CommandSpec<'GETQUOTA'> = {
  name: 'GETQUOTA',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    const a = await account(session);
    if (args.root !== ROOT || a.quotaBytes === 0) throw new ImapNo(`No quota root ${args.root.slice(0, 40)}`, 'NONEXISTENT');
    sendQuota(session, a);
    return { text: 'GETQUOTA completed' };
  },
};

export const getQuotaRoot: CommandSpec<'GETQUOTAROOT'> = {
  name: 'GETQUOTAROOT',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    const a = await account(session);
    const mailbox = await session.ctx.store.mailboxes.get(a.id, args.mailbox);
    if (!mailbox) throw new ImapNo(`Mailbox ${args.mailbox} does not exist`, 'NONEXISTENT');
    session.send({ kind: 'quotaroot', mailbox: mailbox.name, roots: a.quotaBytes === 0 ? [] : [ROOT] });
    if (a.quotaBytes > 0) sendQuota(session, a);
    return { text: 'GETQUOTAROOT completed' };
  },
};
