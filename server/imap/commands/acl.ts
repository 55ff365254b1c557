// SETACL, DELETEACL, GETACL, LISTRIGHTS, MYRIGHTS (RFC 4314 §3).
//
// Rules (decided by store.acl, never here):
// - A mailbox the user may neither look up nor read is NO [NONEXISTENT], like a missing one (§4).
// - SETACL, DELETEACL, GETACL and LISTRIGHTS need the `a` right (NO [NOPERM] otherwise); MYRIGHTS any
//   right. The owner holds every right and its entry cannot change (NO [NOPERM]... the store refuses
//   with BAD, as for any identifier or rights it cannot take).
// - Rights are answered with the obsolete `c` and `d` added when a right of their class is held
//   (§2.1.1); LISTRIGHTS offers each right on its own (none is tied to another), the owner's all
//   required.
import { ALL_RIGHTS, displayRights } from '../../store/acl-rules.js';
import { AUTHENTICATED, NO_FLAGS, principal, type CommandSpec, type ImapSession } from '../command.js';
import { ImapNo } from '../errors.js';
import { atom, encodeMutf7, type WireValue } from '../wire/index.js';

/** Rights as an astring: an atom, or "" for none. */
const rightsValue = (rights: string): WireValue => (rights === '' ? '' : atom(rights));

function sendData(session: ImapSession, name: string, mailbox: string, rest: WireValue[]): void {
  session.send({ kind: 'data', values: [atom(name), encodeMutf7(mailbox), ...rest] });
}

export const setAcl: CommandSpec<'SETACL'> = {
  name: 'SETACL',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    await session.ctx.store.acl.setAcl(principal(session).accountId, args.mailbox, args.identifier, args.rights);
    return { text: 'SETACL completed' };
  },
};

export const deleteAcl: CommandSpec<'DELETEACL'> = {
  name: 'DELETEACL',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    await session.ctx.store.acl.deleteAcl(principal(session).accountId, args.mailbox, args.identifier);
    return { text: 'DELETEACL completed' };
  },
};

export const getAcl: CommandSpec<'GETACL'> = {
  name: 'GETACL',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    const entries = await session.ctx.store.acl.getAcl(principal(session).accountId, args.mailbox);
    sendData(session, 'ACL', args.mailbox, entries.flatMap((e) => [e.identifier, rightsValue(displayRights(e.rights))]));
    return { text: 'GETACL completed' };
  },
};

export const listRights: CommandSpec<'LISTRIGHTS'> = {
  name: 'LISTRIGHTS',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    const { store } = session.ctx;
    const access = await store.acl.require(principal(session).accountId, args.mailbox, 'a');
    const owner = await store.accounts.get(access.mailbox.accountId);
    const isOwner = owner !== undefined && owner.address.toLowerCase() === args.identifier.toLowerCase() && !access.name.startsWith('Shared/');
    const values: WireValue[] = isOwner ? [rightsValue(ALL_RIGHTS)] : ['', ...[...ALL_RIGHTS].map((c) => atom(c))];
    sendData(session, 'LISTRIGHTS', args.mailbox, [args.identifier, ...values]);
    return { text: 'LISTRIGHTS completed' };
  },
};

export const myRights: CommandSpec<'MYRIGHTS'> = {
  name: 'MYRIGHTS',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    const access = await session.ctx.store.acl.resolve(principal(session).accountId, args.mailbox);
    if (!access) throw new ImapNo(`Mailbox ${args.mailbox} does not exist`, 'NONEXISTENT');
    sendData(session, 'MYRIGHTS', args.mailbox, [rightsValue(displayRights(access.rights))]);
    return { text: 'MYRIGHTS completed' };
  },
};
