// GENURLAUTH, URLFETCH and RESETKEY (URLAUTH, RFC 4467 §7): authorised URLs into the user's own
// mailboxes (urlauth.ts). GENURLAUTH answers every URL or none (NO names the first refused);
// URLFETCH answers each URL, NIL for one that is invalid, unauthorised, expired or names nothing;
// RESETKEY with no mailbox resets the keys of all the user's mailboxes.
import { AUTHENTICATED, NO_FLAGS, principal, type CommandSpec } from '../command.js';
import { ImapNo } from '../errors.js';
import { fetchUrlauth, generateUrlauth } from '../urlauth.js';
import { atom, type WireValue } from '../wire/index.js';

export const genUrlauth: CommandSpec<'GENURLAUTH'> = {
  name: 'GENURLAUTH',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    const urls: string[] = [];
    for (const { rump, mechanism } of args.urls) {
      const made = await generateUrlauth(session.ctx.store, principal(session), rump, mechanism);
      if (typeof made !== 'string') throw new ImapNo(made.no);
      urls.push(made);
    }
    session.send({ kind: 'data', values: [atom('GENURLAUTH'), ...urls] });
    return { text: 'GENURLAUTH completed' };
  },
};

export const urlfetch: CommandSpec<'URLFETCH'> = {
  name: 'URLFETCH',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    const values: WireValue[] = [atom('URLFETCH')];
    for (const url of args.urls) values.push(url, await fetchUrlauth(session.ctx.store, principal(session), url, session.ctx.clock.now()));
    session.send({ kind: 'data', values });
    return { text: 'URLFETCH completed' };
  },
};

export const resetKey: CommandSpec<'RESETKEY'> = {
  name: 'RESETKEY',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  async run(session, { args }) {
    const { store } = session.ctx;
    const user = principal(session);
    const unknown = args.mechanisms.find((m) => m !== 'INTERNAL');
    if (unknown !== undefined) throw new ImapNo(`Unknown URLAUTH mechanism ${unknown.slice(0, 30)}`);
    if (args.mailbox === null) {
      await store.urlauthKeys.reset(await store.mailboxes.idsOf(user.accountId));
      return { text: 'RESETKEY completed' };
    }
    const mailbox = await store.mailboxes.get(user.accountId, args.mailbox);
    if (!mailbox) throw new ImapNo(`Mailbox ${args.mailbox.slice(0, 100)} does not exist`, 'NONEXISTENT');
    await store.urlauthKeys.reset([mailbox.id]);
    return { text: 'RESETKEY completed' };
  },
};
