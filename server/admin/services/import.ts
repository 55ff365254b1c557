// Moving in (issue 12): the import runs as the CLI and the admin service start them, over the server's
// store, with the store changes they cause published on the event bus (IDLE sessions, the GUI see the
// mail arrive). Progress goes to the caller's callback: the CLI draws a bar, the GUI polls.
import type { EventBus } from '../../events.js';
import type { Logger } from '../../log.js';
import {
  importImap,
  importMaildir,
  importMbox,
  importSql,
  type ImapImportOptions,
  type ImportHooks,
  type ImportProgress,
  type ImportReport,
  type MaildirOptions,
  type MboxOptions,
} from '../../import/run-import.js';
import type { PresetName } from '../../import/directory/presets.js';
import type { Store } from '../../store/index.js';

export interface ImportService {
  sql(options: { url: string; preset: PresetName; dryRun: boolean }, progress?: (p: ImportProgress) => void): Promise<ImportReport>;
  maildir(options: MaildirOptions, progress?: (p: ImportProgress) => void): Promise<ImportReport>;
  mbox(options: MboxOptions, progress?: (p: ImportProgress) => void): Promise<ImportReport>;
  imap(options: ImapImportOptions, progress?: (p: ImportProgress) => void): Promise<ImportReport>;
}

export function createImportService(deps: { store: Store; bus: EventBus; log: Logger }): ImportService {
  const hooks = (progress?: (p: ImportProgress) => void): ImportHooks => ({
    progress,
    publish: (changes) => {
      for (const change of changes) deps.bus.emit('change', change);
    },
  });
  const logged = (report: ImportReport) => {
    if (!report.dryRun) {
      const messages = report.mail.reduce((n, m) => n + m.messages, 0);
      const problems = report.problems.length + report.mail.reduce((n, m) => n + m.problems.length, 0);
      deps.log.info('import.finished', { job: report.job, accounts: report.directory?.accounts ?? 0, messages, problems, conflicts: report.plan.conflicts.length });
    }
    return report;
  };
  return {
    sql: async (options, progress) => logged(await importSql(deps.store, options, hooks(progress))),
    maildir: async (options, progress) => logged(await importMaildir(deps.store, options, hooks(progress))),
    mbox: async (options, progress) => logged(await importMbox(deps.store, options, hooks(progress))),
    imap: async (options, progress) => logged(await importImap(deps.store, options, hooks(progress))),
  };
}
