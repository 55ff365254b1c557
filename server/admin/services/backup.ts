// The admin side of backups (issue 12): status and schedule, the backups in the folder, a backup now
// and a check of a file, over the same BackupService `mailroom backup` uses (progress reaches the GUI
// through the service's bus events). Without a backup service (a bare admin API) the methods answer
// not-found. Restore is not here: it needs the server stopped (`mailroom restore FILE`).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BACKUP_PREFIX, BACKUP_SUFFIX } from '../../backup/backup.js';
import { BadBackupError, inspectBackup } from '../../backup/restore.js';
import type { BackupService } from '../../backup/service.js';
import type { Logger } from '../../log.js';
import { AdminError, AdminSchemas, type AdminApi, type BackupStatusView } from '../contract.js';

export type BackupAdmin = Pick<AdminApi, 'backupStatus' | 'listBackups' | 'runBackup' | 'setBackupSchedule' | 'checkBackup'>;

export function createBackupAdmin(deps: { backups?: BackupService; dataDir?: string; log: Logger }): BackupAdmin {
  const service = () => {
    if (!deps.backups || deps.dataDir === undefined) throw new AdminError('not-found', 'This admin service has no data folder to back up.');
    return { backups: deps.backups, dataDir: deps.dataDir };
  };
  const folder = () => {
    const { backups, dataDir } = service();
    return backups.status().schedule?.dir || join(dataDir, 'backups');
  };
  const status = (): BackupStatusView => ({ ...service().backups.status(), running: service().backups.running(), dir: folder() });
  return {
    async backupStatus() {
      return status();
    },
    async listBackups() {
      const dir = folder();
      const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [] as string[];
        throw new AdminError('invalid', `The backup folder ${dir} cannot be read: ${error.message}`);
      });
      const files = [];
      for (const name of names.filter((n) => n.startsWith(BACKUP_PREFIX) && n.endsWith(BACKUP_SUFFIX))) {
        const info = await stat(join(dir, name)).catch(() => undefined);
        if (info) files.push({ file: join(dir, name), bytes: info.size, at: info.mtimeMs });
      }
      return files.sort((a, b) => (a.file < b.file ? 1 : -1));
    },
    async runBackup(input) {
      const { to } = AdminSchemas.runBackup.parse(input ?? {});
      const { backups } = service();
      const schedule = backups.status().schedule;
      try {
        const result = await backups.run(to ? { to } : { ...(schedule?.dir ? { to: schedule.dir } : {}), ...(schedule ? { keep: schedule.keep } : {}) });
        return { file: result.file, bytes: result.bytes, messages: result.manifest.counts.messages, removed: result.removed };
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        if (error instanceof BadBackupError || typeof e.code === 'string') throw new AdminError('invalid', `The backup failed: ${e.message}`);
        throw error;
      }
    },
    async setBackupSchedule(input) {
      const { schedule } = AdminSchemas.setBackupSchedule.parse(input);
      await service().backups.setSchedule(schedule);
      deps.log.info('admin.backup.schedule', schedule ? { dailyAt: schedule.dailyAt, keep: schedule.keep, dir: schedule.dir } : { off: true });
      return status();
    },
    async checkBackup(input) {
      const { file } = AdminSchemas.checkBackup.parse(input);
      const { dataDir } = service();
      try {
        const m = await inspectBackup(file, join(dataDir, 'backups'));
        return { file, createdAt: m.createdAt, version: m.version, schemaVersion: m.schemaVersion, hostname: m.hostname, domains: m.domains, counts: { ...m.counts } };
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        if (error instanceof BadBackupError) throw new AdminError('invalid', `${file} is not a good backup: ${e.message}`);
        if (e.code === 'ENOENT') throw new AdminError('not-found', `There is no file ${file}.`);
        throw error;
      }
    },
  };
}
