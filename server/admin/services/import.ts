// Moving in (issue 12): the import runs as the CLI and the admin service start them, over the server's
// store, with the store changes they cause published on the event bus (IDLE sessions, the GUI see the
// mail arrive). Progress goes to the caller's callback: the CLI draws a bar; the admin slice below
// (the "Move in" wizard) sends it out as live `import` events.
import type { Clock } from '../../clock.js';
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
  type SqlOptions,
  withoutPassword,
} from '../../import/run-import.js';
import type { CustomMapping } from '../../import/directory/custom-maps.js';
import type { Store } from '../../store/index.js';
import { AdminError, AdminSchemas, ImportSourceSchema, type AdminApi, type ImportRunView, type ImportSource } from '../contract.js';

export interface ImportService {
  sql(options: SqlOptions, progress?: (p: ImportProgress) => void): Promise<ImportReport>;
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

export type ImportAdmin = Pick<AdminApi, 'previewImport' | 'startImport' | 'importStatus' | 'listImportJobs'>;

/** Progress goes out at most this often (the last event of a run always goes out). */
const PROGRESS_EVERY_MS = 250;

/** What is imported, as people name it, never with a password. */
export function sourceLabel(source: ImportSource): string {
  switch (source.kind) {
    case 'sql':
      return withoutPassword(source.url);
    case 'maildir':
    case 'mbox':
      return source.path;
    case 'imap':
      return `imap://${source.user}@${source.host}:${source.port}`;
  }
}

/** The pasted queries without the empty ones (the contract has checked that the accounts query is there). */
function customMapping(queries: { accounts?: string | undefined; domains?: string | undefined; aliases?: string | undefined; transports?: string | undefined }): CustomMapping {
  const { accounts, ...rest } = queries;
  return { accounts: accounts!, ...Object.fromEntries(Object.entries(rest).filter(([, query]) => query !== undefined)) };
}

/** A source that cannot be read is the admin's to fix: a sentence, not an internal error. */
function refusal(error: unknown): never {
  const e = error as NodeJS.ErrnoException;
  if (['SqlSourceError', 'LayoutError', 'ImapSourceError'].includes(e.name) || typeof e.code === 'string') throw new AdminError('invalid', e.message);
  throw error;
}

/** The admin side of moving in: the wizard's dry run, one import at a time in the background with live progress. */
export function createImportAdmin(deps: { store: Store; bus: EventBus; log: Logger; clock: Clock }): ImportAdmin {
  const service = createImportService(deps);
  let run: ImportRunView = { state: 'idle', source: '', startedAt: 0, finishedAt: null, progress: null, report: null, error: null };
  let emitted = 0;
  const publish = (force: boolean) => {
    const now = deps.clock.now();
    if (!force && now - emitted < PROGRESS_EVERY_MS) return;
    emitted = now;
    deps.bus.emit('import', { ...run });
  };
  const execute = (input: ImportSource, dryRun: boolean, progress?: (p: ImportProgress) => void): Promise<ImportReport> => {
    const source = ImportSourceSchema.parse(input);
    switch (source.kind) {
      case 'sql':
        return service.sql({ url: source.url, mapping: source.preset === 'custom' ? customMapping(source.queries!) : source.preset, dryRun }, progress);
      case 'maildir':
        return service.maildir({ path: source.path, dryRun, ...(source.user ? { user: source.user } : { layout: source.layout! }) }, progress);
      case 'mbox':
        return service.mbox({ path: source.path, user: source.user, dryRun, ...(source.folder ? { folder: source.folder } : {}) }, progress);
      case 'imap': {
        const { kind: _, to, masterUser, ...connection } = source;
        return service.imap({ ...connection, dryRun, ...(to ? { to } : {}), ...(masterUser ? { masterUser } : {}) }, progress);
      }
    }
  };
  return {
    async previewImport(input) {
      const { source } = AdminSchemas.previewImport.parse(input);
      return execute(source, true).catch(refusal);
    },
    async startImport(input) {
      const { source } = AdminSchemas.startImport.parse(input);
      if (run.state === 'running') throw new AdminError('conflict', `An import of ${run.source} is running; wait for it to finish.`);
      run = { state: 'running', source: sourceLabel(source), startedAt: deps.clock.now(), finishedAt: null, progress: null, report: null, error: null };
      publish(true);
      execute(source, false, (progress) => {
        run = { ...run, progress };
        publish(false);
      }).then(
        (report) => {
          run = { ...run, state: 'done', finishedAt: deps.clock.now(), report };
          publish(true);
        },
        (error: unknown) => {
          run = { ...run, state: 'failed', finishedAt: deps.clock.now(), error: error instanceof Error ? error.message : String(error) };
          deps.log.error('import.failed', { source: run.source, error: run.error });
          publish(true);
        },
      );
      return { ...run };
    },
    async importStatus() {
      return { ...run };
    },
    async listImportJobs() {
      return (await deps.store.imports.jobs()).map((j) => ({ job: j.job, kind: j.kind, startedAt: j.startedAt, finishedAt: j.finishedAt }));
    },
  };
}
