// Domains, accounts, aliases and transports: the admin contract's directory area.
import { z } from 'zod';
import { HostNameSchema, IpLiteralSchema } from '../../settings.js';
import { bytes, pageInput, text, type InputOf, type Page } from './fields.js';
import { ACCOUNT_SORTS, ALIAS_SORTS } from '../../store/list-sorts.js';

// NUL separates the fields of SASL PLAIN, and CR/LF cannot cross IMAP/POP3 lines: a password holding
// one could never be typed at a login.
const password = z
  .string()
  .min(8, 'The password must have at least 8 characters.')
  .max(1024)
  .refine((p) => !/[\0\r\n]/.test(p), 'A password cannot contain NUL, CR or LF characters.');
// Display names end up in headers and terminal tables: no control characters (CR/LF, ESC, ...).
const displayName = z
  .string()
  .max(200)
  .refine((n) => !/\p{Cc}/u.test(n), 'A display name cannot contain control characters (line breaks, tabs, escape codes).');
/** `*@domain` is the catch-all alias syntax, never an account. */
const accountAddress = text('An address').refine((a) => !a.startsWith('*@'), '*@domain is the catch-all syntax: add it as an alias (mailroom alias add *@domain DESTINATION).');

// Postfix transport(5) syntax; the host of an smtp: route is a host name or an IP address.
const ROUTE = /^(?:local|reject|error|smtp:(?:\[([^\]]*)\]|([^:[\]]*))(?::(\d{1,5}))?)$/;
const route = text('A route (local, reject or smtp:[host]:port)').superRefine((r, ctx) => {
  const m = ROUTE.exec(r);
  const host = m?.[1] ?? m?.[2];
  const hostOk = host === undefined || HostNameSchema.safeParse(host).success || (m?.[1] !== undefined && IpLiteralSchema.safeParse(host).success);
  if (!m || !hostOk || /[\s\p{Cc}]/u.test(r)) {
    ctx.addIssue({ code: 'custom', message: `"${r.replace(/\p{Cc}/gu, '?')}" is not a route. Use local, reject, smtp:[host]:port (fixed host) or smtp:host:port (MX lookup); a host is a name or, in brackets, an IP address, without spaces.` });
  } else if (m[3] !== undefined && (Number(m[3]) < 1 || Number(m[3]) > 65535)) {
    ctx.addIssue({ code: 'custom', message: `Port ${m[3]} is out of range (1 to 65535).` });
  }
});

export const DirectorySchemas = {
  listDomains: z.object({}),
  addDomain: z.object({ name: text('A domain name'), defaultQuota: bytes.optional() }),
  updateDomain: z.object({ name: text('A domain name'), active: z.boolean().optional(), defaultQuota: bytes.optional() }),
  removeDomain: z.object({ name: text('A domain name'), cascade: z.boolean().default(false) }),

  listAccounts: z.object({ domain: z.string().optional() }),
  searchAccounts: z.object({ domain: z.string().optional(), ...pageInput(ACCOUNT_SORTS) }),
  addAccount: z.object({
    address: accountAddress,
    password,
    displayName: displayName.default(''),
    quota: bytes.optional(),
  }),
  setPassword: z.object({ address: text('An address'), password }),
  updateAccount: z.object({
    address: text('An address'),
    displayName: displayName.optional(),
    quota: bytes.optional(),
    active: z.boolean().optional(),
  }),
  removeAccount: z.object({ address: text('An address') }),

  listAliases: z.object({ domain: z.string().optional() }),
  searchAliases: z.object({ domain: z.string().optional(), ...pageInput(ALIAS_SORTS) }),
  addAlias: z.object({ address: text('An alias address'), destinations: z.array(z.string()).min(1, 'An alias needs at least one destination.').max(1000) }),
  updateAlias: z.object({ address: text('An alias address'), destinations: z.array(z.string()).min(1, 'An alias needs at least one destination.').max(1000) }),
  removeAlias: z.object({ address: text('An alias address') }),

  listTransports: z.object({}),
  setTransport: z.object({ domain: text('A domain'), route }),
  removeTransport: z.object({ domain: text('A domain') }),
} as const;

type In<M extends keyof typeof DirectorySchemas> = InputOf<typeof DirectorySchemas, M>;

export interface DomainView {
  name: string;
  /** U-label form for display (same as name for ASCII domains). */
  displayName: string;
  active: boolean;
  defaultQuota: number;
  accounts: number;
  aliases: number;
  usedBytes: number;
  createdAt: number;
}

export interface AccountView {
  address: string;
  displayAddress: string;
  displayName: string;
  quota: number;
  usedBytes: number;
  active: boolean;
  createdAt: number;
  lastLoginAt: number | null;
}

export interface AliasView {
  address: string;
  displayAddress: string;
  catchAll: boolean;
  destinations: string[];
  active: boolean;
}

export interface TransportView {
  domain: string;
  route: string;
}

export interface DirectoryApi {
  listDomains(input?: In<'listDomains'>): Promise<DomainView[]>;
  addDomain(input: In<'addDomain'>): Promise<DomainView>;
  updateDomain(input: In<'updateDomain'>): Promise<DomainView>;
  removeDomain(input: In<'removeDomain'>): Promise<{ removedAccounts: number; removedAliases: number }>;
  listAccounts(input?: In<'listAccounts'>): Promise<AccountView[]>;
  /** One page of the users, sorted and searched on the server. */
  searchAccounts(input?: In<'searchAccounts'>): Promise<Page<AccountView>>;
  addAccount(input: In<'addAccount'>): Promise<AccountView>;
  setPassword(input: In<'setPassword'>): Promise<AccountView>;
  updateAccount(input: In<'updateAccount'>): Promise<AccountView>;
  removeAccount(input: In<'removeAccount'>): Promise<{ removedMessages: number }>;
  listAliases(input?: In<'listAliases'>): Promise<AliasView[]>;
  searchAliases(input?: In<'searchAliases'>): Promise<Page<AliasView>>;
  addAlias(input: In<'addAlias'>): Promise<AliasView>;
  updateAlias(input: In<'updateAlias'>): Promise<AliasView>;
  removeAlias(input: In<'removeAlias'>): Promise<void>;
  listTransports(input?: In<'listTransports'>): Promise<TransportView[]>;
  setTransport(input: In<'setTransport'>): Promise<TransportView>;
  removeTransport(input: In<'removeTransport'>): Promise<void>;
}
