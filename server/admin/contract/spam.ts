// Milters, allow/block lists and the quarantine (issue 16): the admin contract's spam area.
import { z } from 'zod';
import { MilterSettingSchema, type MilterSetting } from '../../settings.js';
import { text, type InputOf } from './fields.js';

export const SpamSchemas = {
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
} as const;

type In<M extends keyof typeof SpamSchemas> = InputOf<typeof SpamSchemas, M>;

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

export interface SpamApi {
  listMilters(input?: In<'listMilters'>): Promise<MilterView[]>;
  /** Appends a milter to the chain (names are unique). */
  addMilter(input: In<'addMilter'>): Promise<MilterView>;
  removeMilter(input: In<'removeMilter'>): Promise<{ removed: boolean }>;
  testMilter(input: In<'testMilter'>): Promise<MilterTestResult>;
  listSenderLists(input?: In<'listSenderLists'>): Promise<SenderListEntryView[]>;
  addSenderListEntry(input: In<'addSenderListEntry'>): Promise<SenderListEntryView>;
  removeSenderListEntry(input: In<'removeSenderListEntry'>): Promise<{ removed: boolean }>;
  /** Messages a milter quarantined, oldest first. */
  listQuarantine(input?: In<'listQuarantine'>): Promise<QuarantineView[]>;
  /** Delivers a held message to its recipients (spam filing skipped); `unresolved`: recipients that no longer exist. */
  releaseQuarantined(input: In<'releaseQuarantined'>): Promise<{ delivered: string[]; unresolved: string[] }>;
  deleteQuarantined(input: In<'deleteQuarantined'>): Promise<{ removed: boolean }>;
}
