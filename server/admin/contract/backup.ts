// Backups (issue 12): the admin contract's backup area — status and schedule, the backups in the
// folder, a backup now (its progress on the live channel), and a check of a backup file. Restoring
// needs the server stopped (docs/decisions.md), so it is `mailroom restore FILE`, not a method here.
import { z } from 'zod';
import { text, type InputOf } from './fields.js';

export const BackupScheduleSchema = z.object({
  /** Where backups go; empty: the data folder's backups/. */
  dir: z.string().trim().max(4096).default(''),
  /** HH:MM, server local time. */
  dailyAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Write the time as HH:MM, e.g. 03:00.'),
  keep: z.number({ error: 'How many to keep is a number.' }).int().min(1, 'Keep at least one backup.').max(365, 'Keep at most 365 backups.'),
});
export type BackupSchedule = z.infer<typeof BackupScheduleSchema>;

export const BackupSchemas = {
  backupStatus: z.object({}),
  listBackups: z.object({}),
  /** `to`: a folder other than the schedule's (a USB disk for once). */
  runBackup: z.object({ to: z.string().trim().max(4096).optional() }),
  setBackupSchedule: z.object({ schedule: BackupScheduleSchema.nullable() }),
  checkBackup: z.object({ file: text('A backup file') }),
} as const;

type In<M extends keyof typeof BackupSchemas> = InputOf<typeof BackupSchemas, M>;

export interface LastBackupView {
  file: string;
  at: number;
  messages: number;
  bytes: number;
}

export interface BackupStatusView {
  schedule: BackupSchedule | null;
  last: LastBackupView | null;
  lastError: { at: number; error: string } | null;
  /** A schedule is set and the last good backup is older than it allows. */
  stale: boolean;
  /** A backup is being written now. */
  running: boolean;
  /** The folder backups go to by default. */
  dir: string;
}

export interface BackupFileView {
  file: string;
  bytes: number;
  /** When it was written (the file's time). */
  at: number;
}

/** What a backup holds, read back and checked whole (checksums, integrity_check, counts, blob hashes). */
export interface BackupCheckView {
  file: string;
  createdAt: number;
  version: string;
  schemaVersion: number;
  hostname: string;
  domains: string[];
  counts: Record<string, number>;
}

/** A backup's progress (live event `backup`). */
export interface BackupProgress {
  stage: 'copying' | 'checking' | 'writing' | 'verifying' | 'done' | 'failed';
  file?: string;
  error?: string;
}

export interface BackupApi {
  backupStatus(input?: In<'backupStatus'>): Promise<BackupStatusView>;
  /** Backups in the default folder, newest first. */
  listBackups(input?: In<'listBackups'>): Promise<BackupFileView[]>;
  /** Writes and verifies a backup now; resolves when it is done (progress goes out as live events). */
  runBackup(input?: In<'runBackup'>): Promise<{ file: string; bytes: number; messages: number; removed: string[] }>;
  setBackupSchedule(input: In<'setBackupSchedule'>): Promise<BackupStatusView>;
  checkBackup(input: In<'checkBackup'>): Promise<BackupCheckView>;
}
