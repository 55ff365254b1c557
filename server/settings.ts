// Typed server settings with their defaults, validated by zod (shared with the renderer through
// admin/contract.ts, so this file stays browser-safe: zod only). Stored as one settings row per
// top-level key; anything not stored takes the default, so a new Mailroom version can add settings
// without a migration.
//
// Invariants: every value is checked at write time with bounds on both sides (an IP literal where a
// listener binds, a port 1–65535, a host name where one is expected) and refused with a sentence,
// never clamped; a stored value that no longer validates (written by an older version, or by hand)
// falls back to its default field by field and is reported (`checkStoredSettings`), so one bad
// setting turns one part off instead of keeping the server, and its admin GUI, from starting.
import { z } from 'zod';
import { parseEndpoint } from './milter/endpoint.js';

/** A port a listener or a remote server uses: 1–65535. */
export const PortSchema = z.number({ error: 'A port is a number.' }).int('A port is a whole number.').min(1, 'A port is 1 to 65535.').max(65535, 'A port is 1 to 65535.');
/** A port given for one run (`--smtp-port 0`): 0 asks the system for any free port. */
export const RunPortSchema = z.number({ error: 'A port is a number.' }).int('A port is a whole number.').min(0, 'A port is 0 to 65535.').max(65535, 'A port is 0 to 65535.');

/** The listeners, by the names the `ports` setting, the `--NAME-port` flags and the GUI use. */
export const PORT_NAMES = ['smtp', 'submission', 'submissions', 'imap', 'imaps', 'pop3', 'pop3s', 'managesieve', 'admin', 'autoconfig'] as const;
export type PortName = (typeof PORT_NAMES)[number];
/** Each listener's standard port (the admin GUI has none: 8480 is ours; autoconfig is the plain HTTP that `autoconfig.<domain>` answers on). */
export const DEFAULT_PORTS: Readonly<Record<PortName, number>> = {
  smtp: 25,
  submission: 587,
  submissions: 465,
  imap: 143,
  imaps: 993,
  pop3: 110,
  pop3s: 995,
  managesieve: 4190,
  admin: 8480,
  autoconfig: 80,
};
const PORTS_SHAPE = Object.fromEntries(PORT_NAMES.map((name) => [name, PortSchema.default(DEFAULT_PORTS[name])])) as {
  [K in PortName]: z.ZodDefault<typeof PortSchema>;
};

const IP_LITERAL = z.union([z.ipv4(), z.ipv6()]);
/** An IPv4 or IPv6 address written out (0.0.0.0 and :: mean every address of this machine). */
export const IpLiteralSchema = z.string().trim().refine((v) => IP_LITERAL.safeParse(v).success, { error: (i) => `"${String(i.input)}" is not an IP address (for example 127.0.0.1, 0.0.0.0 or ::).` });

// LDH labels of at most 63 characters, at most 253 in all (RFC 1035 §2.3.4); A-labels for IDN.
const HOST_NAME = /^(?=.{1,253}$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(?:\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?$/;
/** A DNS host name (mail.example.com; an IDN in its xn-- form). */
export const HostNameSchema = z.string().trim().regex(HOST_NAME, 'Not a host name: letters, digits and hyphens in dot-separated labels (for example mail.example.com).');

/** A DNS server: an IP address, optionally with a port (`192.0.2.53:5353`, `[2001:db8::53]:53`). */
export const DnsServerSchema = z
  .string()
  .trim()
  .refine(
    (v) => {
      const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(v) ?? /^(\d+\.\d+\.\d+\.\d+):(\d{1,5})$/.exec(v);
      if (!m) return IP_LITERAL.safeParse(v).success;
      return IP_LITERAL.safeParse(m[1]).success && PortSchema.safeParse(Number(m[2])).success;
    },
    { error: (i) => `"${String(i.input)}" is not a DNS server address: write an IP address, optionally with a port (192.0.2.53, 192.0.2.53:5353, [2001:db8::53]:53).` },
  );

const count = (min: number, max: number, what: string) =>
  z.number({ error: `${what} is a number.` }).int(`${what} is a whole number.`).min(min, `${what} is at least ${min}.`).max(max, `${what} is at most ${max}.`);
const DAY_MS = 24 * 3600_000;

export const RelayHostSchema = z.object({
  host: z.string({ error: 'Enter the relay host name.' }).trim().min(1, 'Enter the relay host name.').pipe(z.union([HostNameSchema, IpLiteralSchema], { error: 'The relay host is a host name or an IP address.' })),
  port: PortSchema.default(DEFAULT_PORTS.submission),
  tls: z.enum(['starttls', 'implicit', 'none']).default('starttls'),
  username: z.string().max(1024).optional(),
  password: z.string().max(1024).optional(),
});

/** The listeners a milter sees: `mx` (port 25) and `submission` (587 and 465). */
export const MILTER_LISTENERS = ['mx', 'submission'] as const;

/** One milter in the chain (Postfix's smtpd_milters entry with its milter_* parameters). */
export const MilterSettingSchema = z.object({
  name: z.string({ error: 'A milter needs a name.' }).trim().regex(/^[\w.-]{1,64}$/, 'A milter name is 1 to 64 letters, digits, ".", "_" or "-".'),
  endpoint: z
    .string({ error: 'A milter needs an endpoint.' })
    .trim()
    .superRefine((text, ctx) => {
      try {
        parseEndpoint(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `${(error as Error).message} (for example inet:127.0.0.1:11332 or unix:/run/rspamd/milter.sock).` });
      }
    }),
  listeners: z
    .array(z.enum(MILTER_LISTENERS, { error: 'A milter listens on mx or submission.' }))
    .min(1, 'A milter needs at least one listener (mx, submission).')
    .transform((l) => [...new Set(l)])
    .default(['mx', 'submission']),
  /** Connecting and each envelope command (Postfix milter_connect_timeout and milter_command_timeout). */
  timeoutMs: count(100, 600_000, 'The milter timeout (ms)').default(30_000),
  /** Each header, body and end-of-message step (Postfix milter_content_timeout). */
  contentTimeoutMs: count(100, 3600_000, 'The milter content timeout (ms)').default(300_000),
  /** A milter that is down or breaks the protocol: tempfail (451, the sender retries) or accept (skip it). */
  defaultAction: z.enum(['tempfail', 'accept'], { error: 'The default action is tempfail or accept.' }).default('tempfail'),
});
export type MilterSetting = z.infer<typeof MilterSettingSchema>;

export const SettingsSchema = z.object({
  /** The name this server gives in its banner, HELO and Received headers. */
  hostname: HostNameSchema.default('localhost.localdomain'),
  /** Address the mail listeners bind to. */
  listenHost: IpLiteralSchema.default('0.0.0.0'),
  /** Address the admin HTTP server binds to: the host itself unless the admin opens it up. */
  adminHost: IpLiteralSchema.default('127.0.0.1'),
  ports: z
    .object(PORTS_SHAPE)
    .refine((p) => new Set(Object.values(p)).size === Object.keys(p).length, { error: 'Two listeners cannot share a port.' })
    .default({ ...DEFAULT_PORTS }),
  limits: z
    .object({
      maxMessageBytes: count(1024, 2 * 1024 ** 3, 'The message size limit (bytes)').default(25 * 1024 * 1024),
      maxRecipients: count(1, 100_000, 'Recipients per message').default(100),
      maxConnectionsPerIp: count(1, 100_000, 'Connections per address').default(20),
      /** 0 = no limit. */
      messagesPerUserPerHour: count(0, 10_000_000, 'Messages per user per hour').default(500),
      softErrorLimit: count(1, 1000, 'The soft error limit').default(3),
      hardErrorLimit: count(1, 1000, 'The hard error limit').default(10),
      errorDelayMs: count(0, 60_000, 'The error delay (ms)').default(1000),
      /** Concurrent connections per protocol (its plain and TLS listeners together); beyond it 421 / BYE / -ERR [SYS/TEMP]. */
      maxSmtpConnections: count(1, 100_000, 'SMTP connections').default(500),
      maxImapConnections: count(1, 100_000, 'IMAP connections').default(1000),
      maxPop3Connections: count(1, 100_000, 'POP3 connections').default(500),
      /** An SMTP session ends after this long whatever it does (slow senders cannot hold a slot for ever). */
      maxSmtpSessionMs: count(60_000, DAY_MS, 'The SMTP session time limit (ms)').default(3600_000),
      /** While DATA or a literal is in transit, fewer bytes than this per second over a 30 s window ends the session (0 = off). */
      minDataBytesPerSecond: count(0, 1024 * 1024, 'The minimum data rate (bytes per second)').default(1024),
    })
    .refine((l) => l.softErrorLimit <= l.hardErrorLimit, { error: 'The soft error limit cannot be above the hard error limit.', path: ['softErrorLimit'] })
    .default({
      maxMessageBytes: 25 * 1024 * 1024,
      maxRecipients: 100,
      maxConnectionsPerIp: 20,
      messagesPerUserPerHour: 500,
      softErrorLimit: 3,
      hardErrorLimit: 10,
      errorDelayMs: 1000,
      maxSmtpConnections: 500,
      maxImapConnections: 1000,
      maxPop3Connections: 500,
      maxSmtpSessionMs: 3600_000,
      minDataBytesPerSecond: 1024,
    }),
  /**
   * Early-talker detection on the MX listener (Postfix postscreen's greet_wait): untrusted clients get
   * the 220 greeting only after this pause, and one that talks first is refused. 0 (the default)
   * greets at once; submission and trusted networks are always greeted at once.
   */
  greetPauseMs: count(0, 30_000, 'The greeting pause (ms)').default(0),
  /** RCPT reply for a full mailbox: 452 4.2.2 (try later) or 552 5.2.2 (give up). */
  overQuotaReply: z.enum(['452', '552']).default('452'),
  /** Allow AUTH/LOGIN without TLS from trusted networks (old scanners and phones). */
  allowPlaintextAuthFromTrusted: z.boolean().default(false),
  /** Submission senders may only use addresses they own (their account or aliases to it). */
  enforceSenderOwnership: z.boolean().default(true),
  relayHost: RelayHostSchema.nullable().default(null),
  queue: z
    .object({
      minRetryMs: count(1000, DAY_MS, 'The shortest retry interval (ms)').default(5 * 60_000),
      maxRetryMs: count(1000, 7 * DAY_MS, 'The longest retry interval (ms)').default(60 * 60_000),
      lifetimeMs: count(60_000, 30 * DAY_MS, 'The queue lifetime (ms)').default(5 * DAY_MS),
    })
    .refine((q) => q.minRetryMs <= q.maxRetryMs, { error: 'The shortest retry interval cannot be longer than the longest.', path: ['minRetryMs'] })
    .refine((q) => q.maxRetryMs <= q.lifetimeMs, { error: 'The longest retry interval cannot be longer than the queue lifetime.', path: ['maxRetryMs'] })
    .default({ minRetryMs: 5 * 60_000, maxRetryMs: 60 * 60_000, lifetimeMs: 5 * 24 * 3600_000 }),
  /** Milters in the order they run (Postfix smtpd_milters). */
  milters: z
    .array(MilterSettingSchema)
    .max(16, 'At most 16 milters.')
    .refine((m) => new Set(m.map((x) => x.name.toLowerCase())).size === m.length, { error: 'Two milters cannot share a name.' })
    .default([]),
  /** What happens to spam (issue 16). */
  spam: z
    .object({
      /** A milter's spam score (X-Spam-Score, X-Spam-Status score=, X-Rspamd-Score) at or above this files the mail to Junk. */
      junkThreshold: z.number({ error: 'The junk threshold is a number.' }).min(-1000, 'The junk threshold is at least -1000.').max(1000, 'The junk threshold is at most 1000.').default(5),
      /** Mail from a blocked sender: refused (550 at RCPT, before DATA) or filed to Junk. */
      blockAction: z.enum(['reject', 'junk'], { error: 'The block action is reject or junk.' }).default('reject'),
      /** rspamd's controller (http://127.0.0.1:11334): moving mail into/out of Junk over IMAP learns spam/ham there. Empty: off. */
      rspamdController: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'The rspamd controller is an http:// or https:// address.' })]).default(''),
      rspamdPassword: z.string().max(1024).default(''),
    })
    .default({ junkThreshold: 5, blockAction: 'reject', rspamdController: '', rspamdPassword: '' }),
  /** Greylisting on the MX listener (off by default): an unknown (client network, sender, recipient) is told to retry. */
  greylisting: z
    .object({
      enabled: z.boolean().default(false),
      /** A retry before this is refused again (Postgrey's --delay, 300 s). */
      delayMs: count(1000, DAY_MS, 'The greylisting delay (ms)').default(300_000),
      /** A retry after this starts over (Postgrey's --max-age for unpassed triplets, two days). */
      retryWindowMs: count(60_000, 30 * DAY_MS, 'The greylisting retry window (ms)').default(2 * DAY_MS),
      /** A triplet that passed is let through without delay for this long after its last use (35 days). */
      passLifetimeMs: count(DAY_MS, 365 * DAY_MS, 'The greylisting pass lifetime (ms)').default(35 * DAY_MS),
    })
    .refine((g) => g.delayMs < g.retryWindowMs, { error: 'The greylisting delay must be shorter than the retry window.', path: ['delayMs'] })
    .default({ enabled: false, delayMs: 300_000, retryWindowMs: 2 * DAY_MS, passLifetimeMs: 35 * DAY_MS }),
  /** The autoconfig/autodiscover HTTP listener (mail clients find their settings from the address alone); read at start. */
  autoconfigEnabled: z.boolean({ error: 'autoconfigEnabled is true or false.' }).default(true),
  /** Empty: the system's resolvers. */
  dnsServers: z.array(DnsServerSchema).max(8, 'List at most 8 DNS servers.').default([]),
  logRetentionDays: count(1, 3650, 'Log retention (days)').default(30),
});

export type Settings = z.infer<typeof SettingsSchema>;
export type SettingsKey = keyof Settings;
type PatchValue<T> = T extends unknown[] | null ? T : T extends object ? Partial<T> : T;
/** A change to some settings; object-valued settings (ports, limits, queue) may be given in part. */
export type SettingsPatch = { [K in SettingsKey]?: PatchValue<Settings[K]> };

// Not SettingsSchema.partial(): its defaults would fill in every key the patch leaves out and so reset
// them. The patch is only checked for known keys here; applySettingsPatch validates the result whole.
export const SettingsPatchSchema = z.custom<SettingsPatch>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).every((k) => Object.hasOwn(SettingsSchema.shape, k)),
  { error: 'Only known settings can be changed.' },
);

/** The settings after `patch` (objects merged one level deep), validated as a whole. */
export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const before = merged[key];
    merged[key] = isPlainObject(value) && isPlainObject(before) ? { ...before, ...value } : value;
  }
  return SettingsSchema.parse(merged);
}

export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}

/** A stored setting that does not validate: `key` is dotted down to the field (`ports.smtp`). */
export interface SettingProblem {
  key: string;
  value: unknown;
  message: string;
}

/**
 * Merges stored rows over the defaults. A stored value that no longer validates falls back to its
 * default (for ports, limits and queue: field by field, keeping the valid fields) and is named in
 * `problems`, so start-up can report it and `mailroom doctor` can show it.
 */
export function checkStoredSettings(stored: Record<string, unknown>): { settings: Settings; problems: SettingProblem[] } {
  const defaults = defaultSettings() as Record<string, unknown>;
  const merged: Record<string, unknown> = {};
  const problems: SettingProblem[] = [];
  for (const key of Object.keys(SettingsSchema.shape) as SettingsKey[]) {
    if (!(key in stored)) continue;
    const schema = SettingsSchema.shape[key] as z.ZodType;
    const value = stored[key];
    const parsed = schema.safeParse(value);
    if (parsed.success) {
      merged[key] = parsed.data;
      continue;
    }
    if (!isPlainObject(value) || !isPlainObject(defaults[key])) {
      problems.push({ key, value, message: parsed.error.issues[0].message });
      continue;
    }
    let kept: Record<string, unknown> = { ...defaults[key] };
    for (const [field, fieldValue] of Object.entries(value)) {
      const trial = schema.safeParse({ ...kept, [field]: fieldValue });
      if (trial.success) kept = { ...kept, [field]: fieldValue };
      else problems.push({ key: `${key}.${field}`, value: fieldValue, message: trial.error.issues[0].message });
    }
    merged[key] = schema.parse(kept);
  }
  return { settings: SettingsSchema.parse(merged), problems };
}

export function resolveSettings(stored: Record<string, unknown>): Settings {
  return checkStoredSettings(stored).settings;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
