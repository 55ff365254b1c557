// The Filters forms (issue 16): a milter with its timeout in seconds, and spam filing with
// greylisting in friendly units (seconds, hours, days); out come the contract's milter and settings
// patch. The bounds are the server's (server/settings.ts) in the form's units; pure (zod only).
import { z } from 'zod';
import { AdminSchemas, type MilterView, type Settings, type SettingsPatchSchema } from '../../../server/admin/contract.js';

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const count = (what: string, min: number, max: number) =>
  z.number({ error: `Enter ${what}.` }).int('Whole numbers only.').min(min, `At least ${min}.`).max(max, `At most ${max}.`);

export const milterFormSchema = AdminSchemas.addMilter.omit({ timeoutMs: true, contentTimeoutMs: true }).extend({ timeoutSeconds: count('seconds', 1, 600) });

export type MilterFormValues = z.input<typeof milterFormSchema>;

export const NEW_MILTER: MilterFormValues = { name: '', endpoint: '', listeners: ['mx'], defaultAction: 'tempfail', timeoutSeconds: 30 };

export function milterOf(v: MilterFormValues): z.input<typeof AdminSchemas.addMilter> {
  const { timeoutSeconds, ...rest } = v;
  return { ...rest, name: rest.name.trim(), endpoint: rest.endpoint.trim(), timeoutMs: timeoutSeconds * SECOND };
}

export function describeMilter(m: MilterView): string {
  return `${m.listeners.join(', ')} · ${m.timeoutMs / SECOND} s · when down: ${m.defaultAction === 'tempfail' ? 'try later (451)' : 'accept unscanned'}`;
}

export const spamFormSchema = z
  .object({
    junkThreshold: z.number({ error: 'Enter a score.' }).min(-1000, 'At least -1000.').max(1000, 'At most 1000.'),
    blockAction: z.enum(['reject', 'junk']),
    rspamdController: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'Enter an http:// or https:// address, or leave it empty.' })]),
    rspamdPassword: z.string().max(1024, 'At most 1024 characters.'),
    greylisting: z.boolean(),
    delaySeconds: count('seconds', 1, 86_400),
    retryWindowHours: count('hours', 1, 720),
    passLifetimeDays: count('days', 1, 365),
  })
  .refine((v) => v.delaySeconds * SECOND < v.retryWindowHours * HOUR, { message: 'The delay must be shorter than the retry window.', path: ['delaySeconds'] });

export type SpamFormValues = z.input<typeof spamFormSchema>;

/** Where the server's refusal of a settings patch (`spam.x`, `greylisting.x`) shows on this form. */
export const SPAM_FIELDS: Record<string, string> = {
  'spam.junkThreshold': 'junkThreshold',
  'spam.blockAction': 'blockAction',
  'spam.rspamdController': 'rspamdController',
  'spam.rspamdPassword': 'rspamdPassword',
  'greylisting.delayMs': 'delaySeconds',
  'greylisting.retryWindowMs': 'retryWindowHours',
  'greylisting.passLifetimeMs': 'passLifetimeDays',
};

export function toSpamForm(s: Settings): SpamFormValues {
  return {
    ...s.spam,
    greylisting: s.greylisting.enabled,
    delaySeconds: Math.round(s.greylisting.delayMs / SECOND),
    retryWindowHours: Math.round(s.greylisting.retryWindowMs / HOUR),
    passLifetimeDays: Math.round(s.greylisting.passLifetimeMs / DAY),
  };
}

export function toSpamPatch(v: SpamFormValues): z.input<typeof SettingsPatchSchema> {
  return {
    spam: { junkThreshold: v.junkThreshold, blockAction: v.blockAction, rspamdController: v.rspamdController.trim(), rspamdPassword: v.rspamdPassword },
    greylisting: { enabled: v.greylisting, delayMs: v.delaySeconds * SECOND, retryWindowMs: v.retryWindowHours * HOUR, passLifetimeMs: v.passLifetimeDays * DAY },
  };
}
