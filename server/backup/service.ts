// Backups on demand and on a schedule, and what the dashboard shows about them. The schedule
// (`backup.schedule` setting: folder, daily time in the server's local time, how many to keep) is
// checked once a minute while the server runs; a run is due when the day's time has passed and the
// last good backup is older than it. The outcome of every run is kept in `backup.last` (the last good
// one) and `backup.lastError`; a backup older than the schedule's day (plus an hour's grace) is stale.
import { BackupScheduleSchema, type BackupSchedule, type BackupStatusView, type LastBackupView } from '../admin/contract/backup.js';
import type { EventBus } from '../events.js';
import type { Logger } from '../log.js';
import type { SettingsCache } from '../settings-cache.js';
import { createBackup, type BackupDeps, type BackupResult } from './backup.js';

export const BACKUP_SCHEDULE_KEY = 'backup.schedule';
export const BACKUP_LAST_KEY = 'backup.last';
export const BACKUP_ERROR_KEY = 'backup.lastError';

const CHECK_EVERY_MS = 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;
const GRACE_MS = 60 * 60 * 1000;

export { BackupScheduleSchema, type BackupSchedule };

export type LastBackup = LastBackupView;
/** What the service knows; the admin adds whether one runs now and the folder. */
export type BackupStatus = Omit<BackupStatusView, 'running' | 'dir'>;

export interface BackupService {
  run(options?: { to?: string; keep?: number }): Promise<BackupResult>;
  status(): BackupStatus;
  /** A backup is being written now. */
  running(): boolean;
  setSchedule(schedule: BackupSchedule | null): Promise<void>;
  /** Starts the once-a-minute schedule check (serve); stop() ends it and waits for a running backup. */
  start(): void;
  stop(): Promise<void>;
}

/** The most recent moment the schedule asked for a backup, at or before `now`. */
export function lastDue(schedule: BackupSchedule, now: number): number {
  const [h, m] = schedule.dailyAt.split(':').map(Number);
  const today = new Date(now);
  today.setHours(h, m, 0, 0);
  return today.getTime() <= now ? today.getTime() : today.getTime() - DAY_MS;
}

/** `bus`: where progress goes (the GUI's Backup page), for scheduled and on-demand runs alike. */
export function createBackupService(deps: BackupDeps & { settings: SettingsCache; log: Logger; bus?: EventBus }): BackupService {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<BackupResult> | undefined;
  const schedule = () => {
    const parsed = BackupScheduleSchema.safeParse(deps.settings.get(BACKUP_SCHEDULE_KEY));
    return parsed.success ? parsed.data : null;
  };
  const last = () => (deps.settings.get(BACKUP_LAST_KEY) as LastBackup | undefined) ?? null;

  const run = async (options: { to?: string; keep?: number } = {}) => {
    if (running) return running;
    running = (async () => {
      try {
        const result = await createBackup(deps, { ...options, progress: (stage) => deps.bus?.emit('backup', { stage }) });
        deps.bus?.emit('backup', { stage: 'done', file: result.file });
        await deps.settings.set(BACKUP_LAST_KEY, { file: result.file, at: result.manifest.createdAt, messages: result.manifest.counts.messages, bytes: result.bytes } satisfies LastBackup);
        await deps.settings.remove(BACKUP_ERROR_KEY);
        deps.log.info('backup.written', { file: result.file, bytes: result.bytes, messages: result.manifest.counts.messages, removed: result.removed.length });
        return result;
      } catch (error) {
        deps.bus?.emit('backup', { stage: 'failed', error: (error as Error).message });
        await deps.settings.set(BACKUP_ERROR_KEY, { at: deps.now(), error: (error as Error).message });
        deps.log.error('backup.failed', { error: (error as Error).message });
        throw error;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const tick = () => {
    const s = schedule();
    if (!s || running) return;
    const due = lastDue(s, deps.now());
    if ((last()?.at ?? 0) >= due) return;
    run({ ...(s.dir ? { to: s.dir } : {}), keep: s.keep }).catch(() => undefined); // logged and kept in backup.lastError
  };

  return {
    run,
    running: () => running !== undefined,
    status() {
      const s = schedule();
      const l = last();
      return {
        schedule: s,
        last: l,
        lastError: (deps.settings.get(BACKUP_ERROR_KEY) as BackupStatus['lastError'] | undefined) ?? null,
        stale: s !== null && (l?.at ?? 0) < lastDue(s, deps.now() - GRACE_MS),
      };
    },
    async setSchedule(s) {
      if (s === null) await deps.settings.remove(BACKUP_SCHEDULE_KEY);
      else await deps.settings.set(BACKUP_SCHEDULE_KEY, BackupScheduleSchema.parse(s));
    },
    start() {
      timer ??= setInterval(tick, CHECK_EVERY_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}
