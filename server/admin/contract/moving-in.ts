// Moving in (issue 12): the admin contract's import area, the "Move in" wizard's methods. A source is
// an SQL directory, Maildirs, mbox files or an IMAP account; previewImport is the dry run (nothing is
// written), startImport runs it in the background with its progress on the live channel (`import`),
// importStatus tells a page opened later where it stands. The CLI's `mailroom import` runs the same use cases.
import { z } from 'zod';
import { PRESET_NAMES, type PresetName } from '../../import/directory/presets.js';
import type { ImportProgress, ImportReport } from '../../import/run-import.js';
import { text, type InputOf } from './fields.js';

const optional = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

export const ImportSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('sql'),
      url: text('The database URL'),
      preset: z.union([z.enum(PRESET_NAMES as [PresetName, ...PresetName[]]), z.literal('custom')], { error: 'Pick the schema.' }),
      /** With the preset `custom`: the old server's lookup queries, pasted as they are. */
      queries: z.object({ accounts: optional, domains: optional, aliases: optional, transports: optional }).optional(),
    })
    .refine((s) => s.preset !== 'custom' || s.queries?.accounts !== undefined, {
      message: "Paste Dovecot's password_query: it lists the accounts.",
      path: ['queries', 'accounts'],
    }),
  z
    .object({ kind: z.literal('maildir'), path: text('The folder'), user: optional, layout: optional })
    .refine((s) => (s.user === undefined) !== (s.layout === undefined), { message: "Give either the user whose Maildir it is, or the layout of every user's Maildir under it.", path: ['user'] }),
  z.object({ kind: z.literal('mbox'), path: text('The file or folder'), user: text('The user'), folder: optional }),
  z.object({
    kind: z.literal('imap'),
    host: text('The server'),
    port: z.number({ error: 'The port is a number.' }).int().min(1, 'A port is 1–65535.').max(65535, 'A port is 1–65535.'),
    security: z.enum(['tls', 'starttls', 'none']),
    verifyCertificate: z.boolean().default(true),
    user: text('The login'),
    password: z.string().min(1, 'The password is required.'),
    masterUser: optional,
    /** The account here; the login when omitted. */
    to: optional,
  }),
]);
export type ImportSource = z.input<typeof ImportSourceSchema>;

export const ImportSchemas = {
  previewImport: z.object({ source: ImportSourceSchema }),
  startImport: z.object({ source: ImportSourceSchema }),
  importStatus: z.object({}),
  listImportJobs: z.object({}),
} as const;

type In<M extends keyof typeof ImportSchemas> = InputOf<typeof ImportSchemas, M>;

export type { ImportProgress, ImportReport };

/** The import the server runs now or ran last (live event `import` carries it). */
export interface ImportRunView {
  state: 'idle' | 'running' | 'done' | 'failed';
  /** What is imported, without passwords (`imap://alice@old.example:993`). */
  source: string;
  startedAt: number;
  finishedAt: number | null;
  progress: ImportProgress | null;
  report: ImportReport | null;
  error: string | null;
}

export interface ImportJobView {
  job: string;
  kind: string;
  startedAt: number;
  finishedAt: number | null;
}

export interface ImportApi {
  /** The dry run: what would be created and every conflict; nothing is written. */
  previewImport(input: In<'previewImport'>): Promise<ImportReport>;
  /** Starts the import in the background (one at a time); progress and the report follow as live events. */
  startImport(input: In<'startImport'>): Promise<ImportRunView>;
  importStatus(input?: In<'importStatus'>): Promise<ImportRunView>;
  /** Imports run on this server (by source), newest first. */
  listImportJobs(input?: In<'listImportJobs'>): Promise<ImportJobView[]>;
}
