// The admin contract (DESIGN §9): every configuration operation, its input schema and its output
// type. Imported by server/admin (implementation and transports), main/ (IPC relay) and renderer/
// (forms validate with the same schemas), so this file must stay browser-safe: zod and types only.
import { z } from 'zod';
import { SettingsPatchSchema, type Settings } from '../settings.js';
import type { LogLevel, LogRow } from '../store/log.js';
import type { NetworkPermissions } from '../store/networks.js';
import { RuleAdminSchemas, type RuleView } from '../policy/rule-schema.js';
import type { Explanation } from '../policy/explain.js';

export { SettingsSchema, SettingsPatchSchema, RelayHostSchema, type Settings } from '../settings.js';

const text = (what: string) => z.string({ error: `${what} is required.` }).trim().min(1, `${what} is required.`);
const bytes = z.number().int().min(0, 'A size cannot be negative.');

export const AdminSchemas = {
  ...RuleAdminSchemas,
  getStatus: z.object({}),

  listDomains: z.object({}),
  addDomain: z.object({ name: text('A domain name'), defaultQuota: bytes.optional() }),
  updateDomain: z.object({ name: text('A domain name'), active: z.boolean().optional(), defaultQuota: bytes.optional() }),
  removeDomain: z.object({ name: text('A domain name'), cascade: z.boolean().default(false) }),

  listAccounts: z.object({ domain: z.string().optional() }),
  addAccount: z.object({
    address: text('An address'),
    password: z.string().min(8, 'The password must have at least 8 characters.').max(1024),
    displayName: z.string().max(200).default(''),
    quota: bytes.optional(),
  }),
  setPassword: z.object({ address: text('An address'), password: z.string().min(8, 'The password must have at least 8 characters.').max(1024) }),
  updateAccount: z.object({
    address: text('An address'),
    displayName: z.string().max(200).optional(),
    quota: bytes.optional(),
    active: z.boolean().optional(),
  }),
  removeAccount: z.object({ address: text('An address') }),

  listAliases: z.object({ domain: z.string().optional() }),
  addAlias: z.object({ address: text('An alias address'), destinations: z.array(z.string()).min(1, 'An alias needs at least one destination.').max(1000) }),
  updateAlias: z.object({ address: text('An alias address'), destinations: z.array(z.string()).min(1, 'An alias needs at least one destination.').max(1000) }),
  removeAlias: z.object({ address: text('An alias address') }),

  listTransports: z.object({}),
  setTransport: z.object({ domain: text('A domain'), route: text('A route (local, reject or smtp:[host]:port)') }),
  removeTransport: z.object({ domain: text('A domain') }),

  listNetworks: z.object({}),
  addNetwork: z.object({
    cidr: text('An IP range'),
    description: z.string().max(200).default(''),
    allowSmtp: z.boolean().default(true),
    allowImap: z.boolean().default(true),
    allowPop3: z.boolean().default(true),
    relay: z.boolean().default(false),
    requireTlsForAuth: z.boolean().default(true),
    expiresAt: z.number().int().nullable().default(null),
  }),
  updateNetwork: z.object({
    cidr: text('An IP range'),
    description: z.string().max(200).optional(),
    allowSmtp: z.boolean().optional(),
    allowImap: z.boolean().optional(),
    allowPop3: z.boolean().optional(),
    relay: z.boolean().optional(),
    requireTlsForAuth: z.boolean().optional(),
    expiresAt: z.number().int().nullable().optional(),
  }),
  removeNetwork: z.object({ cidr: text('An IP range') }),

  getSettings: z.object({}),
  updateSettings: SettingsPatchSchema,

  queryLog: z.object({
    afterId: z.number().int().optional(),
    since: z.number().int().optional(),
    until: z.number().int().optional(),
    level: z.enum(['debug', 'info', 'warn', 'error']).optional(),
    component: z.string().optional(),
    event: z.string().optional(),
    sessionId: z.string().optional(),
    queueId: z.string().optional(),
    messageId: z.string().optional(),
    text: z.string().optional(),
    limit: z.number().int().min(1).max(5000).optional(),
  }),

  listQueue: z.object({}),
  retryQueue: z.object({ queueId: z.string().optional() }),
  deleteQueued: z.object({ queueId: text('A queue id') }),

  // Outbound delivery (issue 6): one queued message in detail, flush (postqueue -f), DKIM keys.
  showQueued: z.object({ queueId: text('A queue id') }),
  flushQueue: z.object({}),
  generateDkimKey: z.object({
    domain: text('A domain'),
    selector: z
      .string()
      .trim()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i, 'A selector is one DNS label: letters, digits and hyphens.')
      .optional(),
    algorithm: z.enum(['rsa', 'ed25519']).default('rsa'),
  }),
  getDkimKey: z.object({ domain: text('A domain') }),
  removeDkimKey: z.object({ domain: text('A domain') }),
  // Inbound checks: what a DMARC p=reject failure does to mail for this hosted domain.
  getDmarcEnforcement: z.object({ domain: text('A domain') }),
  setDmarcEnforcement: z.object({ domain: text('A domain'), onReject: z.enum(['reject', 'tag']) }),
} as const;

export type AdminMethod = keyof typeof AdminSchemas;
export type AdminInput<M extends AdminMethod> = z.input<(typeof AdminSchemas)[M]>;

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

export interface NetworkView extends NetworkPermissions {
  cidr: string;
  description: string;
  expired: boolean;
}

export interface QueueView {
  id: number;
  queueId: string;
  sender: string;
  recipient: string;
  state: string;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  size: number;
  createdAt: number;
}

export interface QueuedMessageView {
  queueId: string;
  sender: string;
  messageId: string | null;
  size: number;
  createdAt: number;
  recipients: Array<Pick<QueueView, 'id' | 'recipient' | 'state' | 'attempts' | 'nextAttemptAt' | 'lastError'>>;
  /** The message's header section as queued (like `postcat -h`). */
  headers: string;
}

/** A domain's DKIM key as the admin publishes it: the TXT record, never the private key. */
export interface DkimKeyView {
  domain: string;
  selector: string;
  algorithm: 'rsa' | 'ed25519';
  /** `<selector>._domainkey.<domain>` */
  dnsName: string;
  /** `v=DKIM1; k=rsa; p=...` */
  dnsValue: string;
  createdAt: number;
}

export interface StatusView {
  version: string;
  hostname: string;
  startedAt: number;
  listeners: Record<string, number>;
  domains: number;
  accounts: number;
  queue: number;
}

export interface AdminApi {
  getStatus(input?: AdminInput<'getStatus'>): Promise<StatusView>;
  listRules(input?: AdminInput<'listRules'>): Promise<RuleView[]>;
  addRule(input: AdminInput<'addRule'>): Promise<RuleView>;
  updateRule(input: AdminInput<'updateRule'>): Promise<RuleView>;
  moveRule(input: AdminInput<'moveRule'>): Promise<RuleView>;
  removeRule(input: AdminInput<'removeRule'>): Promise<void>;
  /** Runs a hypothetical connection through the rules: which rule decides at each stage, and why. */
  testRules(input: AdminInput<'testRules'>): Promise<Explanation>;
  listDomains(input?: AdminInput<'listDomains'>): Promise<DomainView[]>;
  addDomain(input: AdminInput<'addDomain'>): Promise<DomainView>;
  updateDomain(input: AdminInput<'updateDomain'>): Promise<DomainView>;
  removeDomain(input: AdminInput<'removeDomain'>): Promise<{ removedAccounts: number; removedAliases: number }>;
  listAccounts(input?: AdminInput<'listAccounts'>): Promise<AccountView[]>;
  addAccount(input: AdminInput<'addAccount'>): Promise<AccountView>;
  setPassword(input: AdminInput<'setPassword'>): Promise<AccountView>;
  updateAccount(input: AdminInput<'updateAccount'>): Promise<AccountView>;
  removeAccount(input: AdminInput<'removeAccount'>): Promise<{ removedMessages: number }>;
  listAliases(input?: AdminInput<'listAliases'>): Promise<AliasView[]>;
  addAlias(input: AdminInput<'addAlias'>): Promise<AliasView>;
  updateAlias(input: AdminInput<'updateAlias'>): Promise<AliasView>;
  removeAlias(input: AdminInput<'removeAlias'>): Promise<void>;
  listTransports(input?: AdminInput<'listTransports'>): Promise<TransportView[]>;
  setTransport(input: AdminInput<'setTransport'>): Promise<TransportView>;
  removeTransport(input: AdminInput<'removeTransport'>): Promise<void>;
  listNetworks(input?: AdminInput<'listNetworks'>): Promise<NetworkView[]>;
  addNetwork(input: AdminInput<'addNetwork'>): Promise<NetworkView>;
  updateNetwork(input: AdminInput<'updateNetwork'>): Promise<NetworkView>;
  removeNetwork(input: AdminInput<'removeNetwork'>): Promise<void>;
  getSettings(input?: AdminInput<'getSettings'>): Promise<Settings>;
  updateSettings(input: AdminInput<'updateSettings'>): Promise<Settings>;
  queryLog(input?: AdminInput<'queryLog'>): Promise<LogRow[]>;
  listQueue(input?: AdminInput<'listQueue'>): Promise<QueueView[]>;
  retryQueue(input?: AdminInput<'retryQueue'>): Promise<{ retried: number }>;
  deleteQueued(input: AdminInput<'deleteQueued'>): Promise<{ removed: number }>;
  showQueued(input: AdminInput<'showQueued'>): Promise<QueuedMessageView>;
  flushQueue(input?: AdminInput<'flushQueue'>): Promise<{ retried: number }>;
  generateDkimKey(input: AdminInput<'generateDkimKey'>): Promise<DkimKeyView>;
  /** null when the domain has no key. */
  getDkimKey(input: AdminInput<'getDkimKey'>): Promise<DkimKeyView | null>;
  removeDkimKey(input: AdminInput<'removeDkimKey'>): Promise<void>;
  /** `reject`: refuse mail failing DMARC under the sender's p=reject (550 5.7.1); `tag`: accept it with dmarc=fail. */
  getDmarcEnforcement(input: AdminInput<'getDmarcEnforcement'>): Promise<{ domain: string; onReject: 'reject' | 'tag' }>;
  setDmarcEnforcement(input: AdminInput<'setDmarcEnforcement'>): Promise<{ domain: string; onReject: 'reject' | 'tag' }>;
}

/** Errors every transport maps the same way: `invalid` → 400, `not-found` → 404, `conflict` → 409. */
export type AdminErrorCode = 'invalid' | 'not-found' | 'conflict';

export class AdminError extends Error {
  override name = 'AdminError';
  constructor(
    readonly code: AdminErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export type { LogLevel, LogRow, RuleView, Explanation };
