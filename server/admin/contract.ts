// The admin contract (DESIGN §9): every configuration operation, its input schema and its output
// type. Imported by server/admin (implementation and transports), main/ (IPC relay) and renderer/
// (forms validate with the same schemas), so this file must stay browser-safe: zod and types only.
import { z } from 'zod';
import { HostNameSchema, IpLiteralSchema, MilterSettingSchema, PORT_NAMES, RunPortSchema, SettingsPatchSchema, type MilterSetting, type PortName, type Settings } from '../settings.js';
import { isPrivateRange } from '../policy/private-range.js';
import type { LogLevel, LogRow } from '../store/log.js';
import type { BusEvents } from '../events.js';
import type { NetworkPermissions } from '../store/networks.js';
import type { CertificateDescription } from '../tls/inspect.js';
import { RuleAdminSchemas, type RuleView } from '../policy/rule-schema.js';
import type { Explanation } from '../policy/explain.js';
import type { ActivityCounts } from '../mail-activity.js';

export { SettingsSchema, SettingsPatchSchema, RelayHostSchema, type Settings, type SettingProblem } from '../settings.js';

/** The listeners' names, as in the `ports` setting (the GUI's name for settings.ts PORT_NAMES). */
export { PORT_NAMES as LISTENER_NAMES, DEFAULT_PORTS } from '../settings.js';
export type ListenerName = PortName;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (what: string) =>
  z
    .string()
    .trim()
    .regex(DAY, `${what} is a date like 2026-12-24.`)
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), `${what} is not a real date.`);

/** Out-of-office settings (server/sieve/managed-script.ts turns them into Sieve). */
export const VacationSchema = z
  .object({
    subject: z.string({ error: 'A subject is required.' }).trim().min(1, 'A subject is required.').max(200, 'The subject is at most 200 characters.'),
    text: z.string({ error: 'A text is required.' }).trim().min(1, 'A text is required.').max(20_000, 'The text is at most 20000 characters.'),
    html: z.string().trim().max(100_000, 'The HTML is at most 100000 characters.').nullable().default(null),
    start: day('The start').nullable().default(null),
    end: day('The end').nullable().default(null),
    days: z.number().int('Days is a whole number.').min(1, 'Answer at most once per 1 to 90 days.').max(90, 'Answer at most once per 1 to 90 days.').default(7),
    addresses: z.array(z.string().trim().min(1)).max(20, 'At most 20 other addresses.').default([]),
  })
  .refine((v) => v.start === null || v.end === null || v.start <= v.end, { error: 'The end is before the start.', path: ['end'] });

/** Forwarding settings: up to 4 addresses (the Sieve redirect limit), with or without a copy here. */
export const ForwardSchema = z.object({
  to: z.array(z.string().trim().min(1, 'An address is required.')).min(1, 'Forward to at least one address.').max(4, 'Forward to at most 4 addresses.'),
  keepCopy: z.boolean().default(true),
});

const text = (what: string) => z.string({ error: `${what} is required.` }).trim().min(1, `${what} is required.`);
const bytes = z.number().int().min(0, 'A size cannot be negative.');

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

/** A trusted network as the add form fills it in (addNetwork adds the open-relay check below). */
export const NetworkFieldsSchema = z.object({
  cidr: text('An IP range'),
  description: z.string().max(200).default(''),
  allowSmtp: z.boolean().default(true),
  allowImap: z.boolean().default(true),
  allowPop3: z.boolean().default(true),
  relay: z.boolean().default(false),
  requireTlsForAuth: z.boolean().default(true),
  expiresAt: z.number().int().nullable().default(null),
  /** Set after the admin confirmed relaying for a range beyond the private ones (an open relay). */
  confirmOpenRelay: z.boolean().default(false),
});

/**
 * Relay without a password for a range beyond the private ones (0.0.0.0/0, ::/0, any public range) is
 * an open relay: refused unless the input confirms it (`--i-know-this-is-an-open-relay`, or the GUI's
 * own confirmation dialog).
 */
export const refuseOpenRelay = (n: { cidr: string; relay?: boolean; confirmOpenRelay?: boolean }, ctx: z.RefinementCtx) => {
  if (n.relay !== true || n.confirmOpenRelay === true || isPrivateRange(n.cidr) !== false) return;
  ctx.addIssue({
    code: 'custom',
    path: ['relay'],
    message: `Relaying for ${n.cidr.trim()} would make this server an open relay: anyone there could send mail through it without a password. Relay only for private ranges (your LAN), or confirm that you mean it.`,
  });
};

export const AdminSchemas = {
  ...RuleAdminSchemas,
  getStatus: z.object({}),

  listDomains: z.object({}),
  addDomain: z.object({ name: text('A domain name'), defaultQuota: bytes.optional() }),
  updateDomain: z.object({ name: text('A domain name'), active: z.boolean().optional(), defaultQuota: bytes.optional() }),
  removeDomain: z.object({ name: text('A domain name'), cascade: z.boolean().default(false) }),

  listAccounts: z.object({ domain: z.string().optional() }),
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
  addAlias: z.object({ address: text('An alias address'), destinations: z.array(z.string()).min(1, 'An alias needs at least one destination.').max(1000) }),
  updateAlias: z.object({ address: text('An alias address'), destinations: z.array(z.string()).min(1, 'An alias needs at least one destination.').max(1000) }),
  removeAlias: z.object({ address: text('An alias address') }),

  listTransports: z.object({}),
  setTransport: z.object({ domain: text('A domain'), route }),
  removeTransport: z.object({ domain: text('A domain') }),

  listNetworks: z.object({}),
  addNetwork: NetworkFieldsSchema.superRefine(refuseOpenRelay),
  updateNetwork: z.object({
    cidr: text('An IP range'),
    description: z.string().max(200).optional(),
    allowSmtp: z.boolean().optional(),
    allowImap: z.boolean().optional(),
    allowPop3: z.boolean().optional(),
    relay: z.boolean().optional(),
    requireTlsForAuth: z.boolean().optional(),
    expiresAt: z.number().int().nullable().optional(),
    confirmOpenRelay: z.boolean().default(false),
  }).superRefine(refuseOpenRelay),
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

  // --- First-run wizard: TLS certificate and port bind test (issue 7) ---
  getTlsInfo: z.object({}),
  importCertificate: z.object({
    certPem: z.string({ error: 'Paste the certificate chain.' }).trim().min(1, 'Paste the certificate chain (PEM) or pick its file.').max(100_000, 'The certificate text is too long.'),
    keyPem: z.string({ error: 'Paste the private key.' }).trim().min(1, 'Paste the private key (PEM) or pick its file.').max(100_000, 'The private key text is too long.'),
  }),
  renewSelfSigned: z.object({}),
  testPorts: z.object({
    host: z.string().trim().min(1).max(253).optional(),
    ports: z.partialRecord(z.enum(PORT_NAMES), RunPortSchema),
  }),
  // --- end of TLS and ports ---

  /** `mailroom doctor` and the dashboard's health panel; `integrity` also runs the database check (slow on big stores). */
  runDoctor: z.object({ integrity: z.boolean().default(false) }),
  // --- Spam and content checks (issue 16) ---
  listMilters: z.object({}),
  addMilter: MilterSettingSchema,
  removeMilter: z.object({ name: text('A milter name') }),
  /** Connects and negotiates with a configured milter (`name`) or with an endpoint not saved yet. */
  testMilter: z.object({ name: z.string().trim().optional(), endpoint: z.string().trim().optional(), timeoutMs: z.number().int().min(100).max(60_000).default(5000) }).refine((i) => i.name || i.endpoint, { error: 'Name a milter or give an endpoint.' }),
  /** `user` (an account address) or `domain` (a hosted domain) narrows the scope; neither: the global lists. */
  listSenderLists: z.object({ list: z.enum(['allow', 'block']).optional(), user: z.string().trim().optional(), domain: z.string().trim().optional(), all: z.boolean().default(false) }),
  addSenderListEntry: z.object({ list: z.enum(['allow', 'block']), pattern: text('A pattern (an address, @domain or an IP range)'), user: z.string().trim().optional(), domain: z.string().trim().optional() }),
  removeSenderListEntry: z.object({ list: z.enum(['allow', 'block']), pattern: text('A pattern (an address, @domain or an IP range)'), user: z.string().trim().optional(), domain: z.string().trim().optional() }),
  listQuarantine: z.object({}),
  releaseQuarantined: z.object({ quarantineId: text('A quarantine id') }),
  deleteQuarantined: z.object({ quarantineId: text('A quarantine id') }),
  // --- end of spam and content checks ---
  // --- Auth bans and sender rights (issue 11) ---
  listBannedSources: z.object({}),
  unbanSource: z.object({ source: text('An address') }),
  listSenderGrants: z.object({ user: z.string().trim().optional() }),
  /** `address` is one address or `*@domain` (any address of that domain). */
  grantSendAs: z.object({ user: text('A user'), address: text('An address') }),
  revokeSendAs: z.object({ user: text('A user'), address: text('An address') }),
  listMasterUsers: z.object({}),
  setMasterUser: z.object({ address: text('An address'), master: z.boolean() }),
  // --- end of auth bans and sender rights ---
  // --- Mail rules: out-of-office, forwarding, Sieve scripts (issue 15) ---
  getMailRules: z.object({ address: text('An address') }),
  /** `vacation: null` turns the out-of-office off. */
  setVacation: z.object({ address: text('An address'), vacation: VacationSchema.nullable() }),
  /** `forward: null` turns forwarding off. */
  setForwarding: z.object({ address: text('An address'), forward: ForwardSchema.nullable() }),
  listGlobalSieveScripts: z.object({}),
  /** `phase`: run before or after every user's script, or only reachable by `include :global`. */
  setGlobalSieveScript: z.object({
    name: text('A name').max(128, 'A script name is at most 128 characters.'),
    content: z.string({ error: 'The script is required.' }).max(1024 * 1024, 'A script is at most 1 MiB.'),
    phase: z.enum(['before', 'after'], { error: 'The phase is before, after or none.' }).nullable().default(null),
  }),
  removeGlobalSieveScript: z.object({ name: text('A name') }),
  // --- end of mail rules ---
  // --- Dashboard activity (issue 18) ---
  /** Hourly counters for the last `hours`, and daily ones for the last `days` (days start at local midnight: `utcOffsetMinutes` east of UTC). */
  getActivity: z.object({
    hours: z.number().int().min(1).max(24 * 7).default(24),
    days: z.number().int().min(1).max(366).default(14),
    utcOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60).default(0),
  }),
  // --- end of dashboard activity ---
} as const;

export type AdminMethod = keyof typeof AdminSchemas;

export interface GlobalSieveScriptView {
  name: string;
  phase: 'before' | 'after' | null;
  content: string;
  updatedAt: number;
}

/** An account's mail rules as the user page shows them. */
export interface MailRulesView {
  address: string;
  vacation: z.output<typeof VacationSchema> | null;
  forward: z.output<typeof ForwardSchema> | null;
  /** The Sieve script generated from them (null when both are off). */
  managedScript: string | null;
  /** The user's own scripts (ManageSieve): kept as they are; the active one runs after the managed part. */
  userScripts: Array<{ name: string; active: boolean; size: number }>;
}
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
  /** Mail listeners that could not bind at the last start, with the system's reason (they are off). */
  failedListeners?: Record<string, string>;
  domains: number;
  accounts: number;
  queue: number;
}

// --- First-run wizard: TLS certificate and port bind test (issue 7) ---
/** What the wizard shows of a certificate (computed by server/tls/inspect.ts; a type-only import). */
export type CertificateView = CertificateDescription;

export interface TlsInfo {
  /** The certificate in the data folder's tls/cert.pem. */
  certificate: CertificateView;
  /** The server's hostname setting, and whether the certificate names it (clients check that). */
  hostname: string;
  namesHostname: boolean;
  /** True when tls/cert.pem differs from what the running listeners loaded: a restart applies it. */
  restartNeeded: boolean;
}

export interface CertificateImportResult extends TlsInfo {
  /** A sentence for the admin: imported, and when the mail listeners use it. */
  message: string;
}

export type PortTestStatus = 'free' | 'mailroom' | 'privileged' | 'in-use' | 'duplicate' | 'unavailable';

export interface PortTestResult {
  name: ListenerName;
  port: number;
  host: string;
  /** free, or held by this running Mailroom. */
  ok: boolean;
  status: PortTestStatus;
  /** The system's error code when the bind failed (EACCES, EADDRINUSE, …). */
  code?: string;
  /** What happened, in a sentence, and what to do about it. */
  explanation: string;
  /** A port that binds now and that no other listener uses, offered instead of a failing one. */
  alternative?: number;
}

export interface PortTestReport {
  results: PortTestResult[];
  allOk: boolean;
  /** Ports are read at start: changing them takes effect at the next start. */
  note: string;
}
// --- end of TLS and ports ---

export type DoctorStatus = 'ok' | 'warn' | 'fail';

/** One finding of the doctor: what was checked, how it stands, and what to do about it. */
export interface DoctorCheck {
  /** Stable: relay, certificate, permissions, disk, listeners, settings, dns, queue, integrity. */
  id: string;
  title: string;
  status: DoctorStatus;
  detail: string;
  /** What to do (a command, or where in the GUI), when the status is not ok. */
  fix?: string;
}

export interface DoctorReport {
  /** The worst status among the checks. */
  status: DoctorStatus;
  checks: DoctorCheck[];
  checkedAt: number;
}

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

// --- Dashboard activity (issue 18) ---
/** One bar of the chart: the counters of the hour or day starting at `start` (epoch ms). */
export interface ActivityBucket extends ActivityCounts {
  start: number;
}

export interface ActivityView {
  /** Oldest first, ending with the current hour. */
  hourly: ActivityBucket[];
  /** Oldest first, ending with today. */
  daily: ActivityBucket[];
}
// --- end of dashboard activity ---
// --- Spam and content checks (issue 16) ---
export type MilterView = MilterSetting;

export interface MilterTestResult {
  ok: boolean;
  /** What happened, in a sentence (connected and negotiated, or why not). */
  detail: string;
  elapsedMs: number;
}

export interface SenderListEntryView {
  list: 'allow' | 'block';
  pattern: string;
  kind: 'address' | 'domain' | 'network';
  /** The user whose list it is, or null. */
  user: string | null;
  /** The hosted domain whose list it is, or null (with user null too: the global list). */
  domain: string | null;
  /** `junk-folder`: the user moved a message out of Junk over IMAP. */
  source: 'admin' | 'junk-folder';
  createdAt: number;
}

export interface QuarantineView {
  quarantineId: string;
  sender: string;
  recipients: string[];
  subject: string | null;
  messageId: string | null;
  milter: string;
  reason: string;
  size: number;
  createdAt: number;
}
// --- end of spam and content checks ---

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

  // --- First-run wizard: TLS certificate and port bind test (issue 7) ---
  /** The server's certificate as stored in the data folder. */
  getTlsInfo(input?: AdminInput<'getTlsInfo'>): Promise<TlsInfo>;
  /** Checks a PEM chain and key (readable, matching, valid now, chain in order) and stores them; refusals name the problem and the field. */
  importCertificate(input: AdminInput<'importCertificate'>): Promise<CertificateImportResult>;
  /** Replaces the certificate with a new self-signed one for the current hostname setting. */
  renewSelfSigned(input?: AdminInput<'renewSelfSigned'>): Promise<CertificateImportResult>;
  /** Tries to bind each port (then lets go at once) and explains each failure, with an alternative port. */
  testPorts(input: AdminInput<'testPorts'>): Promise<PortTestReport>;
  // --- end of TLS and ports ---

  /** Health checks with a fix for each problem (relay exposure, certificate, disk, listeners, settings, DNS, queue, …). */
  runDoctor(input?: AdminInput<'runDoctor'>): Promise<DoctorReport>;
  // --- Spam and content checks (issue 16) ---
  listMilters(input?: AdminInput<'listMilters'>): Promise<MilterView[]>;
  /** Appends a milter to the chain (names are unique). */
  addMilter(input: AdminInput<'addMilter'>): Promise<MilterView>;
  removeMilter(input: AdminInput<'removeMilter'>): Promise<{ removed: boolean }>;
  testMilter(input: AdminInput<'testMilter'>): Promise<MilterTestResult>;
  listSenderLists(input?: AdminInput<'listSenderLists'>): Promise<SenderListEntryView[]>;
  addSenderListEntry(input: AdminInput<'addSenderListEntry'>): Promise<SenderListEntryView>;
  removeSenderListEntry(input: AdminInput<'removeSenderListEntry'>): Promise<{ removed: boolean }>;
  /** Messages a milter quarantined, oldest first. */
  listQuarantine(input?: AdminInput<'listQuarantine'>): Promise<QuarantineView[]>;
  /** Delivers a held message to its recipients (spam filing skipped); `unresolved`: recipients that no longer exist. */
  releaseQuarantined(input: AdminInput<'releaseQuarantined'>): Promise<{ delivered: string[]; unresolved: string[] }>;
  deleteQuarantined(input: AdminInput<'deleteQuarantined'>): Promise<{ removed: boolean }>;
  // --- end of spam and content checks ---
  // --- Auth bans and sender rights (issue 11) ---
  /** Sources banned for repeated failed logins (SMTP, IMAP, POP3, admin), soonest-ending first. */
  listBannedSources(input?: AdminInput<'listBannedSources'>): Promise<BannedSourceView[]>;
  /** Lifts a ban (an address, or an IPv6 /64) and forgets its failures. */
  unbanSource(input: AdminInput<'unbanSource'>): Promise<{ unbanned: boolean }>;
  listSenderGrants(input?: AdminInput<'listSenderGrants'>): Promise<SenderGrantView[]>;
  /** Lets a user send (envelope and From:) as an address it does not own. */
  grantSendAs(input: AdminInput<'grantSendAs'>): Promise<SenderGrantView>;
  revokeSendAs(input: AdminInput<'revokeSendAs'>): Promise<{ removed: boolean }>;
  /** Accounts that may authenticate as another user (SASL authzid, PLAIN or SCRAM) on SMTP, IMAP, POP3 and ManageSieve. */
  listMasterUsers(input?: AdminInput<'listMasterUsers'>): Promise<string[]>;
  setMasterUser(input: AdminInput<'setMasterUser'>): Promise<{ address: string; master: boolean }>;
  // --- end of auth bans and sender rights ---
  // --- Mail rules (issue 15) ---
  getMailRules(input: AdminInput<'getMailRules'>): Promise<MailRulesView>;
  /** Sets (or with null turns off) a user's out-of-office; the managed Sieve part is rewritten. */
  setVacation(input: AdminInput<'setVacation'>): Promise<MailRulesView>;
  /** Sets (or with null turns off) a user's forwarding; outside domains get SRS senders. */
  setForwarding(input: AdminInput<'setForwarding'>): Promise<MailRulesView>;
  /** The admin's global Sieve scripts (the before and after scripts and those `include :global` names). */
  listGlobalSieveScripts(input?: AdminInput<'listGlobalSieveScripts'>): Promise<GlobalSieveScriptView[]>;
  /** Stores a global script once it compiles (errors with line and column); a phase moves from any other script. */
  setGlobalSieveScript(input: AdminInput<'setGlobalSieveScript'>): Promise<GlobalSieveScriptView>;
  removeGlobalSieveScript(input: AdminInput<'removeGlobalSieveScript'>): Promise<{ removed: boolean }>;
  // --- end of mail rules ---
  // --- Dashboard activity (issue 18) ---
  /** Received, delivered, deferred, bounced, rejected and auth failures per hour and per day, from the server's counters. */
  getActivity(input?: AdminInput<'getActivity'>): Promise<ActivityView>;
  // --- end of dashboard activity ---
}

/** What the GUI's live views receive (over SSE in the browser, over IPC in the desktop app). */
export type LiveEvent =
  | { type: 'log'; row: LogRow }
  | { type: 'listener'; event: BusEvents['listener'] }
  | { type: 'bounce'; event: BusEvents['bounce'] };

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
