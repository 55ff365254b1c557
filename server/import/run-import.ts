// The import runs the CLI and the admin service start: read the source, plan (the dry run stops
// there), then write the directory and each user's mail, reporting progress as it goes and a final
// report. A job is named by its source, so running the same command again resumes or, once finished,
// copies only what is new (store/imports.ts keeps what was written).
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Store, StoreChange } from '../store/index.js';
import { readDirectory } from './directory/read-directory.js';
import type { PresetName } from './directory/presets.js';
import type { CustomMapping } from './directory/custom-maps.js';
import { openSqlSource } from './directory/sql-source.js';
import { discoverMaildirs } from './maildir/layout.js';
import { readSubscriptions } from './maildir/folders.js';
import { readMaildir } from './maildir/read-maildir.js';
import { openImapSource, type ImapSourceOptions } from './imap/read-imap.js';
import { listMboxFolders } from './mbox/mbox-folders.js';
import { readMbox } from './mbox/read-mbox.js';
import { planImport, summarizeMail, type ExistingLookup, type ImportPlan, type MailSummary } from './plan.js';
import type { SourceItem, UnreadableItem } from './source-message.js';
import { writeDirectory, type DirectoryWritten } from './write-directory.js';
import { writeMail, type MailWritten } from './write-mail.js';

export interface Counter {
  done: number;
  total: number;
}

export interface ImportProgress {
  stage: 'reading' | 'directory' | 'mail' | 'done';
  users: Counter;
  messages: Counter;
  bytes: Counter;
  user?: string;
  folder?: string;
}

export interface ImportReport {
  job: string;
  dryRun: boolean;
  plan: ImportPlan;
  warnings: string[];
  /** Problems found before any mail was read (unreadable directories under a layout root). */
  problems: UnreadableItem[];
  directory?: DirectoryWritten;
  mail: MailWritten[];
}

export interface ImportHooks {
  progress?(progress: ImportProgress): void;
  publish?(changes: StoreChange[]): void;
}

/** What Mailroom already holds, as the planner asks for it. */
export function existingIn(store: Pick<Store, 'domains' | 'accounts' | 'aliases'>): ExistingLookup {
  const split = (address: string) => {
    const at = address.lastIndexOf('@');
    return { local: address.slice(0, at), domain: address.slice(at + 1) };
  };
  return {
    domainExists: async (name) => (await store.domains.get(name)) !== undefined,
    async exists(address) {
      const { local, domain } = split(address);
      return (local !== '*' && (await store.accounts.find(local, domain)) !== undefined) || (await store.aliases.find(local, domain)) !== undefined;
    },
    async accountQuota(address) {
      const { local, domain } = split(address);
      return (await store.accounts.find(local, domain))?.quotaBytes;
    },
  };
}

/** `mysql://user:secret@host/db` → `mysql://user@host/db`: job names and reports never hold a password. */
export function withoutPassword(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1@');
}

export interface SqlOptions {
  url: string;
  /** A preset schema, or the lookup queries the old Postfix/Dovecot used (a custom mapping). */
  mapping: PresetName | CustomMapping;
  dryRun: boolean;
}

export async function importSql(store: Store, options: SqlOptions, hooks: ImportHooks = {}): Promise<ImportReport> {
  const job = `sql:${withoutPassword(options.url)}`;
  const source = await openSqlSource(options.url);
  let reading;
  try {
    reading = await readDirectory(source, options.mapping);
  } finally {
    await source.close();
  }
  const { started, plan } = await planOrResume(store, job, 'sql', options.dryRun, () => planImport({ directory: reading }, existingIn(store)));
  const report: ImportReport = { job, dryRun: options.dryRun, plan, warnings: reading.warnings, problems: [], mail: [] };
  if (options.dryRun) return report;
  hooks.progress?.({ stage: 'directory', users: { done: 0, total: plan.totals.accounts }, messages: { done: 0, total: 0 }, bytes: { done: 0, total: 0 } });
  if (started.directoryAt === null) report.directory = await writeDirectory(store, job, plan);
  else report.warnings.push('the directory was written by an earlier run of this import; nothing was changed');
  return finish(store, report, hooks);
}

export interface MaildirOptions {
  path: string;
  /** One user's Maildir at `path`. */
  user?: string;
  /** Every user's Maildir under the root `path` (`%d/%n/Maildir`). */
  layout?: string;
  dryRun: boolean;
}

export async function importMaildir(store: Store, options: MaildirOptions, hooks: ImportHooks = {}): Promise<ImportReport> {
  const root = resolve(options.path);
  const job = `maildir:${root}${options.layout ? `:${options.layout}` : ''}`;
  const { found, problems } = options.layout
    ? await discoverMaildirs(root, options.layout)
    : { found: [{ address: options.user!, path: root }], problems: [] as UnreadableItem[] };
  hooks.progress?.({ stage: 'reading', users: { done: 0, total: found.length }, messages: { done: 0, total: 0 }, bytes: { done: 0, total: 0 } });
  const summaries: MailSummary[] = [];
  for (const maildir of found) summaries.push(await summarizeMail(maildir.address, maildir.path, readMaildir(maildir.path)));
  const { plan } = await planOrResume(store, job, 'maildir', options.dryRun, () => planImport({ mail: summaries }, existingIn(store)));
  const report: ImportReport = { job, dryRun: options.dryRun, plan, warnings: [], problems, mail: [] };
  if (options.dryRun) return report;
  await writeUsers(
    store,
    job,
    plan,
    (address) => {
      const path = found.find((f) => f.address.toLowerCase() === address.toLowerCase())!.path;
      return { items: readMaildir(path), subscriptions: readSubscriptions(path) };
    },
    report,
    hooks,
  );
  return finish(store, report, hooks);
}

export interface ImapImportOptions extends ImapSourceOptions {
  /** The account here; the login name when omitted (it must then be an address). */
  to?: string;
  dryRun: boolean;
}

/** One account's mail from an IMAP server, imapsync-style: a second run copies only what is new. */
export async function importImap(store: Store, options: ImapImportOptions, hooks: ImportHooks = {}): Promise<ImportReport> {
  const address = options.to ?? options.user;
  const job = `imap:${options.masterUser ? `${options.user};master=${options.masterUser}` : options.user}@${options.host}:${options.port}`;
  hooks.progress?.({ stage: 'reading', users: { done: 0, total: 1 }, messages: { done: 0, total: 0 }, bytes: { done: 0, total: 0 } });
  const listing = await openImapSource(options);
  let summary: MailSummary;
  try {
    summary = await summarizeMail(address, listing.origin, listing.items());
  } finally {
    await listing.close();
  }
  const { plan } = await planOrResume(store, job, 'imap', options.dryRun, () => planImport({ mail: [summary] }, existingIn(store)));
  const warnings = listing.skipped.length > 0 ? [`not imported, outside the user's own namespace: ${listing.skipped.join(', ')}`] : [];
  const report: ImportReport = { job, dryRun: options.dryRun, plan, warnings, problems: [], mail: [] };
  if (options.dryRun) return report;
  await writeUsers(
    store,
    job,
    plan,
    () => {
      const session = openImapSource(options);
      async function* items() {
        const source = await session;
        try {
          yield* source.items();
        } finally {
          await source.close();
        }
      }
      return { items: items(), subscriptions: session.then((s) => s.subscriptions) };
    },
    report,
    hooks,
  );
  return finish(store, report, hooks);
}

export interface MboxOptions {
  /** An mbox file (one folder) or a folder tree of them (`~/mail`). */
  path: string;
  user: string;
  /** The folder a single file goes to (INBOX when omitted). */
  folder?: string;
  dryRun: boolean;
}

/** One user's mbox files: a file is one folder; in a tree, `inbox` in any case is INBOX. */
export async function importMbox(store: Store, options: MboxOptions, hooks: ImportHooks = {}): Promise<ImportReport> {
  const path = resolve(options.path);
  const job = `mbox:${path}`;
  const files = (await stat(path)).isDirectory()
    ? (await listMboxFolders(path)).map((f) => ({ ...f, name: f.name.toUpperCase() === 'INBOX' ? 'INBOX' : f.name }))
    : [{ name: options.folder ?? 'INBOX', path }];
  async function* items(): AsyncGenerator<SourceItem> {
    for (const file of files) yield* readMbox(file.path, file.name);
  }
  hooks.progress?.({ stage: 'reading', users: { done: 0, total: 1 }, messages: { done: 0, total: 0 }, bytes: { done: 0, total: 0 } });
  const summary = await summarizeMail(options.user, path, items());
  const { plan } = await planOrResume(store, job, 'mbox', options.dryRun, () => planImport({ mail: [summary] }, existingIn(store)));
  const report: ImportReport = { job, dryRun: options.dryRun, plan, warnings: [], problems: [], mail: [] };
  if (options.dryRun) return report;
  await writeUsers(store, job, plan, () => ({ items: items(), subscriptions: Promise.resolve([]) }), report, hooks);
  return finish(store, report, hooks);
}

async function planOrResume(store: Store, job: string, kind: string, dryRun: boolean, plan: () => Promise<ImportPlan>) {
  const made = await plan();
  return { started: dryRun ? { directoryAt: null } : await store.imports.startJob(job, kind), plan: made };
}

/** Each planned user's mail in turn, with progress across all of them. */
export async function writeUsers(
  store: Store,
  job: string,
  plan: ImportPlan,
  open: (address: string) => { items: AsyncIterable<SourceItem>; subscriptions: Promise<string[]> },
  report: ImportReport,
  hooks: ImportHooks,
): Promise<void> {
  const progress: ImportProgress = {
    stage: 'mail',
    users: { done: 0, total: plan.create.mail.length },
    messages: { done: 0, total: plan.totals.messages },
    bytes: { done: 0, total: plan.totals.bytes },
  };
  for (const mail of plan.create.mail) {
    const at = mail.address.lastIndexOf('@');
    const account = (await store.accounts.find(mail.address.slice(0, at), mail.address.slice(at + 1).toLowerCase()))!;
    const source = open(mail.address);
    const subscriptions = await source.subscriptions;
    progress.user = account.address;
    hooks.progress?.({ ...progress });
    const written = await writeMail(
      store,
      {
        job,
        accountId: account.id,
        address: account.address,
        ...(subscriptions.length > 0 ? { subscriptions, replaceSubscriptions: account.usedBytes === 0 } : {}),
      },
      source.items,
      {
        publish: hooks.publish,
        progress(event) {
          progress.folder = event.folder;
          progress.messages.done += event.messages;
          progress.bytes.done += event.bytes;
          hooks.progress?.({ ...progress });
        },
      },
    );
    progress.messages.done += written.alreadyImported;
    progress.users.done++;
    report.mail.push(written);
  }
}

async function finish(store: Store, report: ImportReport, hooks: ImportHooks): Promise<ImportReport> {
  await store.imports.finishJob(report.job, JSON.stringify({ directory: report.directory, mail: report.mail, problems: report.problems, conflicts: report.plan.conflicts }));
  const mail = report.mail;
  const sum = (f: (m: MailWritten) => number) => mail.reduce((n, m) => n + f(m), 0);
  hooks.progress?.({
    stage: 'done',
    users: { done: mail.length, total: mail.length },
    messages: { done: sum((m) => m.messages + m.alreadyImported), total: report.plan.totals.messages },
    bytes: { done: sum((m) => m.bytes), total: report.plan.totals.bytes },
  });
  return report;
}
