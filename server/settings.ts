// Typed server settings with their defaults, validated by zod (shared with the renderer through
// admin/contract.ts). Stored as one settings row per top-level key; anything not stored takes the
// default, so a new Mailroom version can add settings without a migration.
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);
const duration = z.number().int().min(0);

export const RelayHostSchema = z.object({
  host: z.string().trim().min(1, 'Enter the relay host name.'),
  port: port.default(587),
  tls: z.enum(['starttls', 'implicit', 'none']).default('starttls'),
  username: z.string().optional(),
  password: z.string().optional(),
});

export const SettingsSchema = z.object({
  /** The name this server gives in its banner, HELO and Received headers. */
  hostname: z.string().trim().min(1).max(253).default('localhost.localdomain'),
  /** Address the mail listeners bind to. */
  listenHost: z.string().default('0.0.0.0'),
  /** Address the admin HTTP server binds to: the host itself unless the admin opens it up. */
  adminHost: z.string().default('127.0.0.1'),
  ports: z
    .object({
      smtp: port.default(25),
      submission: port.default(587),
      submissions: port.default(465),
      imap: port.default(143),
      imaps: port.default(993),
      pop3: port.default(110),
      pop3s: port.default(995),
      admin: port.default(8480),
    })
    .default({ smtp: 25, submission: 587, submissions: 465, imap: 143, imaps: 993, pop3: 110, pop3s: 995, admin: 8480 }),
  limits: z
    .object({
      maxMessageBytes: z.number().int().min(1024).default(25 * 1024 * 1024),
      maxRecipients: z.number().int().min(1).default(100),
      maxConnectionsPerIp: z.number().int().min(1).default(20),
      messagesPerUserPerHour: z.number().int().min(0).default(500),
      softErrorLimit: z.number().int().min(1).default(3),
      hardErrorLimit: z.number().int().min(1).default(10),
      errorDelayMs: duration.default(1000),
      /** Concurrent connections per protocol (its plain and TLS listeners together); beyond it 421 / BYE / -ERR [SYS/TEMP]. */
      maxSmtpConnections: z.number().int().min(1).max(100_000).default(500),
      maxImapConnections: z.number().int().min(1).max(100_000).default(1000),
      maxPop3Connections: z.number().int().min(1).max(100_000).default(500),
      /** An SMTP session ends after this long whatever it does (slow senders cannot hold a slot for ever). */
      maxSmtpSessionMs: z.number().int().min(60_000).max(24 * 3600_000).default(3600_000),
      /** While DATA or a literal is in transit, fewer bytes than this per second over a 30 s window ends the session (0 = off). */
      minDataBytesPerSecond: z.number().int().min(0).max(1024 * 1024).default(1024),
    })
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
  greetPauseMs: z.number().int().min(0).max(30_000).default(0),
  /** RCPT reply for a full mailbox: 452 4.2.2 (try later) or 552 5.2.2 (give up). */
  overQuotaReply: z.enum(['452', '552']).default('452'),
  /** Allow AUTH/LOGIN without TLS from trusted networks (old scanners and phones). */
  allowPlaintextAuthFromTrusted: z.boolean().default(false),
  /** Submission senders may only use addresses they own (their account or aliases to it). */
  enforceSenderOwnership: z.boolean().default(true),
  relayHost: RelayHostSchema.nullable().default(null),
  queue: z
    .object({
      minRetryMs: duration.default(5 * 60_000),
      maxRetryMs: duration.default(60 * 60_000),
      lifetimeMs: duration.default(5 * 24 * 3600_000),
    })
    .default({ minRetryMs: 5 * 60_000, maxRetryMs: 60 * 60_000, lifetimeMs: 5 * 24 * 3600_000 }),
  dnsServers: z.array(z.string()).default([]),
  logRetentionDays: z.number().int().min(1).default(30),
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
    const isObject = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
    merged[key] = isObject(value) && isObject(before) ? { ...(before as object), ...(value as object) } : value;
  }
  return SettingsSchema.parse(merged);
}

export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}

/** Merges stored rows over the defaults; a stored value that no longer validates falls back to its default. */
export function resolveSettings(stored: Record<string, unknown>): Settings {
  const merged: Record<string, unknown> = {};
  for (const key of Object.keys(SettingsSchema.shape) as SettingsKey[]) {
    if (!(key in stored)) continue;
    const parsed = SettingsSchema.shape[key].safeParse(stored[key]);
    if (parsed.success) merged[key] = parsed.data;
  }
  return SettingsSchema.parse(merged);
}
