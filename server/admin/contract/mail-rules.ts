// Out-of-office, forwarding and the admin's global Sieve scripts (issue 15): the admin contract's mail-rules area.
import { z } from 'zod';
import { text, type InputOf } from './fields.js';

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


export const MailRuleSchemas = {
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
} as const;

type In<M extends keyof typeof MailRuleSchemas> = InputOf<typeof MailRuleSchemas, M>;

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

export interface MailRulesApi {
  getMailRules(input: In<'getMailRules'>): Promise<MailRulesView>;
  /** Sets (or with null turns off) a user's out-of-office; the managed Sieve part is rewritten. */
  setVacation(input: In<'setVacation'>): Promise<MailRulesView>;
  /** Sets (or with null turns off) a user's forwarding; outside domains get SRS senders. */
  setForwarding(input: In<'setForwarding'>): Promise<MailRulesView>;
  /** The admin's global Sieve scripts (the before and after scripts and those `include :global` names). */
  listGlobalSieveScripts(input?: In<'listGlobalSieveScripts'>): Promise<GlobalSieveScriptView[]>;
  /** Stores a global script once it compiles (errors with line and column); a phase moves from any other script. */
  setGlobalSieveScript(input: In<'setGlobalSieveScript'>): Promise<GlobalSieveScriptView>;
  removeGlobalSieveScript(input: In<'removeGlobalSieveScript'>): Promise<{ removed: boolean }>;
}
