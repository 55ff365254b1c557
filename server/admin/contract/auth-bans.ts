// Auth bans, send-as grants and master users (issue 11): the admin contract's sender-rights area.
import { z } from 'zod';
import { text, type InputOf } from './fields.js';

export const AuthBanSchemas = {
  listBannedSources: z.object({}),
  unbanSource: z.object({ source: text('An address') }),
  listSenderGrants: z.object({ user: z.string().trim().optional() }),
  /** `address` is one address or `*@domain` (any address of that domain). */
  grantSendAs: z.object({ user: text('A user'), address: text('An address') }),
  revokeSendAs: z.object({ user: text('A user'), address: text('An address') }),
  listMasterUsers: z.object({}),
  setMasterUser: z.object({ address: text('An address'), master: z.boolean() }),
} as const;

type In<M extends keyof typeof AuthBanSchemas> = InputOf<typeof AuthBanSchemas, M>;

/** A source banned by the auth throttle: an IPv4 address or an IPv6 /64 (`2001:db8:1:2::/64`). */
export interface BannedSourceView {
  source: string;
  since: number;
  until: number;
  failures: number;
}

/** The admin's grant that `user` may send as `address` (or any address of a domain: `*@domain`). */
export interface SenderGrantView {
  user: string;
  address: string;
  createdAt: number;
}

export interface AuthBanApi {
  /** Sources banned for repeated failed logins (SMTP, IMAP, POP3, admin), soonest-ending first. */
  listBannedSources(input?: In<'listBannedSources'>): Promise<BannedSourceView[]>;
  /** Lifts a ban (an address, or an IPv6 /64) and forgets its failures. */
  unbanSource(input: In<'unbanSource'>): Promise<{ unbanned: boolean }>;
  listSenderGrants(input?: In<'listSenderGrants'>): Promise<SenderGrantView[]>;
  /** Lets a user send (envelope and From:) as an address it does not own. */
  grantSendAs(input: In<'grantSendAs'>): Promise<SenderGrantView>;
  revokeSendAs(input: In<'revokeSendAs'>): Promise<{ removed: boolean }>;
  /** Accounts that may authenticate as another user (SASL authzid, PLAIN or SCRAM) on SMTP, IMAP, POP3 and ManageSieve. */
  listMasterUsers(input?: In<'listMasterUsers'>): Promise<string[]>;
  setMasterUser(input: In<'setMasterUser'>): Promise<{ address: string; master: boolean }>;
}
