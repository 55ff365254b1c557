// Bulk writes for moving in (issue 12; migrations/0009). The directory is written in one transaction;
// mail is written folder by folder in batches, each batch one transaction that also advances the
// folder's progress row, so a stopped import resumes after the last committed message and never
// writes one twice or half.
// Invariants: a folder keeps its old UIDVALIDITY and UIDs only when its mailbox is new or has never
// held a message (uidnext 1); a kept UID must be above every UID the mailbox has used (rows and
// expunge tombstones), otherwise the message gets the next UID here and counts as renumbered. The
// UIDVALIDITY high-water mark (counters) is raised to any value taken over, so a mailbox created later
// never gets an imported value. Imported messages are not \Recent (no session has a claim on them).
import type { Clock } from '../clock.js';
import type { AccountRepo } from './accounts.js';
import type { AliasRepo } from './aliases.js';
import type { BlobRepo } from './blobs.js';
import type { StoreChange, WithChanges } from './changes.js';
import type { Db } from './db.js';
import type { DomainRepo } from './domains.js';
import type { MailboxRepo } from './mailboxes.js';
import type { MessageRepo, NewMessage } from './messages.js';
import type { SubscriptionRepo } from './subscriptions.js';
import type { TransportRepo, TransportRoute } from './transports.js';

/** A directory in Mailroom's terms, already checked by the import plan. */
export interface DirectoryRows {
  domains: Array<{ name: string; active: boolean; defaultQuota: number }>;
  accounts: Array<{ domain: string; localPart: string; displayName: string; passwordHash: string; quotaBytes: number; active: boolean }>;
  /** `*` as the local part is the catch-all; an alias on an account's own address is its forwarding. */
  aliases: Array<{ domain: string; localPart: string; destinations: string[]; active: boolean }>;
  transports: Array<{ domain: string; route: TransportRoute }>;
}

export interface ImportJob {
  job: string;
  kind: string;
  startedAt: number;
  directoryAt: number | null;
  finishedAt: number | null;
  /** The last run's report (JSON as the importer wrote it), or null while it runs. */
  report: string | null;
}

export interface ImportFolder {
  job: string;
  accountId: number;
  /** The folder's name in the source (the progress key). */
  folder: string;
  /** The mailbox it goes to here. */
  mailbox: string;
  uidValidity?: number;
  uidNext?: number;
}

export interface FolderState {
  mailboxId: number;
  uidValidity: number;
  /** The source's UIDs are kept in this mailbox. */
  keepUids: boolean;
  /** The source's UIDVALIDITY when an earlier run of the job first opened the folder. */
  sourceUidValidity: number | null;
  lastSourceUid: number;
  /** Messages without a source UID written so far, in the reader's order. */
  unnumbered: number;
  messages: number;
}

export interface ImportedMessage extends Omit<NewMessage, 'blobId' | 'size' | 'prefix'> {
  bytes: Buffer;
  /** The bytes' SHA-256, when the importer computed it (off the store's thread). */
  sha256?: Buffer;
  sourceUid?: number;
}

export interface ImportRepo {
  /** The job's row, created on first use. */
  startJob(job: string, kind: string): ImportJob;
  jobs(): ImportJob[];
  /** Creates the directory in one transaction and marks the job's directory as written. */
  writeDirectory(job: string, rows: DirectoryRows): void;
  /** The mailbox for a source folder (created with superiors when missing) and what was written so far. */
  openFolder(folder: ImportFolder): WithChanges<FolderState>;
  /**
   * One batch of one folder's messages with the folder's progress, in one transaction. `passed`: how
   * many messages without a source UID the reader gave before these that could not be read (they
   * keep their place in the order a resumed run counts).
   */
  appendBatch(job: string, accountId: number, folder: string, messages: ImportedMessage[], passed?: number): WithChanges<{ renumbered: number }>;
  /** After a folder's last batch: the next UID is at least the source's, nothing imported is \Recent. */
  finishFolder(mailboxId: number, uidNext: number | undefined): void;
  /** Replaces the account's subscriptions. */
  setSubscriptions(accountId: number, names: string[]): void;
  finishJob(job: string, report: string): void;
}

export interface JobRow {
  job: string;
  kind: string;
  started_at: number;
  directory_at: number | null;
  finished_at: number | null;
  report: string | null;
}

export const toJob = (r: JobRow): ImportJob => ({
  job: r.job,
  kind: r.kind,
  startedAt: r.started_at,
  directoryAt: r.directory_at,
  finishedAt: r.finished_at,
  report: r.report,
});

/**
 * Which source UIDs a batch keeps and what it adds to the folder's progress (shared by both backends):
 * a UID is kept when the folder keeps UIDs and it is above every UID the mailbox has used.
 */
export function batchNumbering(keep: boolean, highest: number, passed: number) {
  let renumbered = 0;
  let last = 0;
  let unnumbered = passed;
  return {
    /** The UID a message with `sourceUid` keeps, or undefined (it gets the next one). */
    atUid(sourceUid: number | undefined): number | undefined {
      const atUid = keep && sourceUid !== undefined && sourceUid > highest ? sourceUid : undefined;
      if (sourceUid === undefined) unnumbered++;
      else {
        last = Math.max(last, sourceUid);
        if (keep && atUid === undefined) renumbered++;
      }
      return atUid;
    },
    appended(uid: number) {
      highest = Math.max(highest, uid);
    },
    totals: () => ({ renumbered, last, unnumbered }),
  };
}

interface Parts {
  blobs: BlobRepo;
  accounts: AccountRepo;
  domains: DomainRepo;
  aliases: AliasRepo;
  transports: TransportRepo;
  mailboxes: MailboxRepo;
  messages: MessageRepo;
  subscriptions: SubscriptionRepo;
}

export function createImportRepo(db: Db, clock: Clock, p: Parts): ImportRepo {
  const insertJob = db.prepare<[string, string, number]>('INSERT INTO import_jobs (job, kind, started_at) VALUES (?, ?, ?) ON CONFLICT (job) DO NOTHING');
  const jobRow = db.prepare<[string], JobRow>('SELECT * FROM import_jobs WHERE job = ?');
  const jobRows = db.prepare<[], JobRow>('SELECT * FROM import_jobs ORDER BY started_at DESC, job');
  const restart = db.prepare<[number, string]>('UPDATE import_jobs SET started_at = ?, finished_at = NULL, report = NULL WHERE job = ?');
  const directoryDone = db.prepare<[number, string]>('UPDATE import_jobs SET directory_at = ? WHERE job = ?');
  const jobDone = db.prepare<[number, string, string]>('UPDATE import_jobs SET finished_at = ?, report = ? WHERE job = ?');
  const folderRow = db.prepare<[string, number, string], { mailbox_id: number; source_uidvalidity: number | null; last_source_uid: number; unnumbered: number; messages: number }>(
    'SELECT * FROM import_folders WHERE job = ? AND account_id = ? AND folder = ?',
  );
  const insertFolder = db.prepare<[string, number, string, number, number | null]>(
    'INSERT INTO import_folders (job, account_id, folder, mailbox_id, source_uidvalidity) VALUES (?, ?, ?, ?, ?)',
  );
  const advance = db.prepare<{ job: string; account: number; folder: string; last: number; unnumbered: number; messages: number }>(`
    UPDATE import_folders SET last_source_uid = max(last_source_uid, @last), unnumbered = unnumbered + @unnumbered, messages = messages + @messages
    WHERE job = @job AND account_id = @account AND folder = @folder`);
  const takeValidity = db.prepare<[number, number]>('UPDATE mailboxes SET uidvalidity = ? WHERE id = ?');
  const raiseCounter = db.prepare<[number]>("UPDATE counters SET value = max(value, ?) WHERE name = 'uidvalidity'");
  const raiseUidNext = db.prepare<[number, number]>('UPDATE mailboxes SET uidnext = max(uidnext, ?) WHERE id = ?');
  const notRecent = db.prepare<[number]>('UPDATE mailboxes SET first_recent_uid = uidnext WHERE id = ?');
  const highestUid = db
    .prepare<[number, number], number>('SELECT max(coalesce((SELECT max(uid) FROM messages WHERE mailbox_id = ?), 0), coalesce((SELECT max(uid) FROM expunged WHERE mailbox_id = ?), 0))')
    .pluck();
  const clearSubscriptions = db.prepare<[number]>('DELETE FROM subscriptions WHERE account_id = ?');

  const openFolder = (f: ImportFolder): WithChanges<FolderState> => {
    const changes: StoreChange[] = [];
    const done = folderRow.get(f.job, f.accountId, f.folder);
    let mailbox = done ? p.mailboxes.byId(done.mailbox_id) : p.mailboxes.get(f.accountId, f.mailbox);
    if (!mailbox) {
      const created = p.mailboxes.createPath(f.accountId, f.mailbox);
      changes.push(...created.changes);
      mailbox = created.result;
    }
    if (!done) {
      // Take the old UIDVALIDITY only where no client can have seen a UID of this mailbox yet.
      if (f.uidValidity !== undefined && f.uidValidity > 0 && mailbox.uidNext === 1 && highestUid.get(mailbox.id, mailbox.id) === 0) {
        takeValidity.run(f.uidValidity, mailbox.id);
        raiseCounter.run(f.uidValidity);
        if (f.uidNext !== undefined) raiseUidNext.run(f.uidNext, mailbox.id);
        mailbox = p.mailboxes.byId(mailbox.id)!;
      }
      insertFolder.run(f.job, f.accountId, f.folder, mailbox.id, f.uidValidity ?? null);
    }
    const row = folderRow.get(f.job, f.accountId, f.folder)!;
    return {
      result: {
        mailboxId: mailbox.id,
        uidValidity: mailbox.uidValidity,
        keepUids: f.uidValidity !== undefined && row.source_uidvalidity === f.uidValidity && mailbox.uidValidity === f.uidValidity,
        sourceUidValidity: row.source_uidvalidity,
        lastSourceUid: row.last_source_uid,
        unnumbered: row.unnumbered,
        messages: row.messages,
      },
      changes,
    };
  };

  const appendBatch = (job: string, accountId: number, folder: string, batch: ImportedMessage[], passed: number): WithChanges<{ renumbered: number }> => {
    const state = folderRow.get(job, accountId, folder);
    if (!state) throw new Error(`import folder ${folder} was not opened`);
    const mailbox = p.mailboxes.byId(state.mailbox_id);
    if (!mailbox) throw new Error(`mailbox ${state.mailbox_id} is missing`);
    const keep = state.source_uidvalidity !== null && state.source_uidvalidity === mailbox.uidValidity;
    const numbering = batchNumbering(keep, highestUid.get(mailbox.id, mailbox.id)!, passed);
    const changes: StoreChange[] = [];
    for (const m of batch) {
      const { bytes, sourceUid, sha256, ...row } = m;
      const atUid = numbering.atUid(sourceUid);
      const blobId = p.blobs.acquire(bytes, 1, sha256);
      const added = p.messages.append(mailbox.id, { ...row, prefix: Buffer.alloc(0), blobId, size: bytes.length }, atUid);
      numbering.appended(added.result.uid);
      changes.push(...added.changes);
    }
    const { last, unnumbered, renumbered } = numbering.totals();
    advance.run({ job, account: accountId, folder, last, unnumbered, messages: batch.length });
    return { result: { renumbered }, changes };
  };

  return {
    startJob(job, kind) {
      return db.transaction(() => {
        insertJob.run(job, kind, clock.now());
        if (jobRow.get(job)!.finished_at !== null) restart.run(clock.now(), job);
        return toJob(jobRow.get(job)!);
      })();
    },
    jobs: () => jobRows.all().map(toJob),
    writeDirectory(job, rows) {
      db.transaction(() => {
        for (const d of rows.domains) {
          p.domains.add(d.name, d.defaultQuota);
          if (!d.active) p.domains.update(d.name, { active: false });
        }
        for (const a of rows.accounts) {
          const domain = p.domains.require(a.domain);
          const created = p.accounts.add({ domainId: domain.id, localPart: a.localPart, displayName: a.displayName, passwordHash: a.passwordHash, scramSecret: null, quotaBytes: a.quotaBytes });
          p.mailboxes.createDefaults(created.id);
          if (!a.active) p.accounts.update(created.id, { active: false });
        }
        for (const a of rows.aliases) {
          const created = p.aliases.add(p.domains.require(a.domain).id, a.localPart, a.destinations);
          if (!a.active) p.aliases.setActive(created.id, false);
        }
        for (const t of rows.transports) p.transports.set(t.domain, t.route);
        directoryDone.run(clock.now(), job);
      })();
    },
    openFolder: (f) => db.transaction(() => openFolder(f))(),
    // A batch commits without an fsync (synchronous=NORMAL); the folder's last commit, finishFolder's,
    // is FULL and makes them all durable. A crash of the process loses none of them; a power loss at
    // most the folder's last batches, with their progress rows, so the resumed run writes them again.
    appendBatch: (job, accountId, folder, batch, passed = 0) => {
      db.pragma('synchronous = NORMAL');
      try {
        return db.transaction(() => appendBatch(job, accountId, folder, batch, passed))();
      } finally {
        db.pragma('synchronous = FULL');
      }
    },
    finishFolder(mailboxId, uidNext) {
      db.transaction(() => {
        if (uidNext !== undefined) raiseUidNext.run(uidNext, mailboxId);
        notRecent.run(mailboxId);
      })();
    },
    setSubscriptions(accountId, names) {
      db.transaction(() => {
        clearSubscriptions.run(accountId);
        for (const name of names) p.subscriptions.add(accountId, name);
      })();
    },
    finishJob(job, report) {
      jobDone.run(clock.now(), report, job);
    },
  };
}
