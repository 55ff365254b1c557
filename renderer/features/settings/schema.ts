// The settings form: friendly units (MB, minutes, days) in the form, the contract's settings patch
// out; the network card (addresses, ports, DNS servers); and the admin-password change. Pure (zod only).
import { z } from 'zod';
import { DEFAULT_PORTS, DnsServerSchema, IpLiteralSchema, type SettingsPatchSchema, type Settings } from '../../../server/admin/contract.js';
import { MB } from '../../format.js';
import { ADMIN_PASSWORD_MIN, portsOf, portsShape, uniquePorts } from '../setup/schema.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

// The bounds are the server's (server/settings.ts) in the form's units: out of range is a field error, never clamped.
const count = (what: string, min: number, max: number) =>
  z.number({ error: `Enter ${what}.` }).int('Whole numbers only.').min(min, `At least ${min}.`).max(max, `At most ${max}.`);

export const settingsFormSchema = z.object({
  hostname: z.string().trim().min(1, 'Enter the server name.').regex(/^[^\s.]+(\.[^\s.]+)+$/, 'Use a full name with a dot, like mail.example.com.'),
  maxMessageMb: count('a size in MB', 1, 2048),
  maxRecipients: count('a number', 1, 100_000),
  messagesPerUserPerHour: count('a number (0 for no limit)', 0, 10_000_000),
  overQuotaReply: z.enum(['452', '552']),
  allowPlaintextAuthFromTrusted: z.boolean(),
  enforceSenderOwnership: z.boolean(),
  relayEnabled: z.boolean(),
  relayHost: z.string().trim(),
  relayPort: count('a port', 1, 65535),
  relayTls: z.enum(['starttls', 'implicit', 'none']),
  relayUsername: z.string(),
  relayPassword: z.string(),
  minRetryMinutes: count('minutes', 1, 24 * 60),
  maxRetryMinutes: count('minutes', 1, 7 * 24 * 60),
  lifetimeDays: count('days', 1, 30),
  logRetentionDays: count('days', 1, 3650),
}).refine((v) => !v.relayEnabled || v.relayHost !== '', { message: 'Enter the relay host name.', path: ['relayHost'] });

export type FormValues = z.input<typeof settingsFormSchema>;

export function toForm(s: Settings): FormValues {
  return {
    hostname: s.hostname,
    maxMessageMb: Math.round(s.limits.maxMessageBytes / MB),
    maxRecipients: s.limits.maxRecipients,
    messagesPerUserPerHour: s.limits.messagesPerUserPerHour,
    overQuotaReply: s.overQuotaReply,
    allowPlaintextAuthFromTrusted: s.allowPlaintextAuthFromTrusted,
    enforceSenderOwnership: s.enforceSenderOwnership,
    relayEnabled: s.relayHost !== null,
    relayHost: s.relayHost?.host ?? '',
    relayPort: s.relayHost?.port ?? DEFAULT_PORTS.submission,
    relayTls: s.relayHost?.tls ?? 'starttls',
    relayUsername: s.relayHost?.username ?? '',
    relayPassword: s.relayHost?.password ?? '',
    minRetryMinutes: Math.round(s.queue.minRetryMs / MINUTE),
    maxRetryMinutes: Math.round(s.queue.maxRetryMs / MINUTE),
    lifetimeDays: Math.round(s.queue.lifetimeMs / DAY),
    logRetentionDays: s.logRetentionDays,
  };
}

export function toPatch(v: FormValues, current: Settings): z.input<typeof SettingsPatchSchema> {
  return {
    hostname: v.hostname.trim(),
    limits: { ...current.limits, maxMessageBytes: v.maxMessageMb * MB, maxRecipients: v.maxRecipients, messagesPerUserPerHour: v.messagesPerUserPerHour },
    overQuotaReply: v.overQuotaReply,
    allowPlaintextAuthFromTrusted: v.allowPlaintextAuthFromTrusted,
    enforceSenderOwnership: v.enforceSenderOwnership,
    relayHost: v.relayEnabled
      ? { host: v.relayHost.trim(), port: v.relayPort, tls: v.relayTls, username: v.relayUsername || undefined, password: v.relayPassword || undefined }
      : null,
    queue: { minRetryMs: v.minRetryMinutes * MINUTE, maxRetryMs: v.maxRetryMinutes * MINUTE, lifetimeMs: v.lifetimeDays * DAY },
    logRetentionDays: v.logRetentionDays,
  };
}

export const adminPasswordChange = z
  .object({ currentPassword: z.string().min(1, 'Enter the current password.'), password: z.string().min(ADMIN_PASSWORD_MIN, `The admin password must have at least ${ADMIN_PASSWORD_MIN} characters.`), confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: 'The two passwords differ.', path: ['confirm'] });

/** What the network card changes that the server reads only when it starts. */
export const READ_AT_START = ['listenHost', 'adminHost', 'ports', 'autoconfigEnabled'] as const;
const MAX_DNS_SERVERS = 8;

/** The DNS servers field: one per line (or separated by commas or spaces). */
export function dnsServerList(text: string): string[] {
  return text.split(/[\s,]+/).filter((t) => t !== '');
}

/** Addresses and ports (read at start) and DNS servers (used at once), checked with the contract's schemas. */
export const networkFormSchema = z
  .object({
    ...portsShape,
    listenHost: IpLiteralSchema,
    adminHost: IpLiteralSchema,
    autoconfigEnabled: z.boolean(),
    dnsServers: z.string().superRefine((text, ctx) => {
      const list = dnsServerList(text);
      if (list.length > MAX_DNS_SERVERS) ctx.addIssue({ code: 'custom', message: `List at most ${MAX_DNS_SERVERS} DNS servers.` });
      const bad = list.map((server) => DnsServerSchema.safeParse(server)).find((r) => !r.success);
      if (bad) ctx.addIssue({ code: 'custom', message: bad.error!.issues[0].message });
    }),
  })
  .superRefine((v, ctx) => uniquePorts(v, ctx));

export type NetworkValues = z.input<typeof networkFormSchema>;

export function toNetworkForm(s: Settings): NetworkValues {
  return { ...s.ports, listenHost: s.listenHost, adminHost: s.adminHost, autoconfigEnabled: s.autoconfigEnabled, dnsServers: s.dnsServers.join('\n') };
}

export function toNetworkPatch(v: NetworkValues): z.input<typeof SettingsPatchSchema> {
  return { listenHost: v.listenHost.trim(), adminHost: v.adminHost.trim(), ports: portsOf(v), autoconfigEnabled: v.autoconfigEnabled, dnsServers: dnsServerList(v.dnsServers) };
}
