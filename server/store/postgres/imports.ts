// Moving in on PostgreSQL, with the contract and invariants of ../imports.ts: the directory in one
// transaction, mail in batches that each advance the folder's progress row in the same transaction.
import type { Clock } from '../../clock.js';
import type { Async } from '../index.js';
import type { AccountRepo } from '../accounts.js';
import type { AliasRepo } from '../aliases.js';
import type { BlobRepo } from '../blobs.js';
import type { StoreChange } from '../changes.js';
import type { DomainRepo } from '../domains.js';
import { batchNumbering, toJob, type ImportRepo, type JobRow } from '../imports.js';
import type { MailboxRepo } from '../mailboxes.js';
import type { MessageRepo } from '../messages.js';
import type { SubscriptionRepo } from '../subscriptions.js';
import type { TransportRepo } from '../transports.js';
import type { Sql } from './sql.js';

interface Parts {
  blobs: Async<BlobRepo>;
  accounts: Async<AccountRepo>;
  domains: Async<DomainRepo>;
  aliases: Async<AliasRepo>;
  transports: Async<TransportRepo>;
  mailboxes: Async<MailboxRepo>;
  messages: Async<MessageRepo>;
  subscriptions: Async<SubscriptionRepo>;
}

interface FolderRow {
  mailbox_id: number;
  source_uidvalidity: number | null;
  last_source_uid: number;
  unnumbered: number;
  messages: number;
}

export function createImportRepo(sql: Sql, clock: Clock, p: Parts): Async<ImportRepo> {
  const jobRow = async (job: string) => (await sql.one<JobRow>('SELECT * FROM import_jobs WHERE job = ?', [job]))!;
  const folderRow = (job: string, accountId: number, folder: string) =>
    sql.one<FolderRow>('SELECT * FROM import_folders WHERE job = ? AND account_id = ? AND folder = ? FOR UPDATE', [job, accountId, folder]);
  const highestUid = async (mailboxId: number) =>
    (await sql.value<number>(
      'SELECT greatest(coalesce((SELECT max(uid) FROM messages WHERE mailbox_id = ?), 0), coalesce((SELECT max(uid) FROM expunged WHERE mailbox_id = ?), 0))',
      [mailboxId, mailboxId],
    ))!;
  const raiseUidNext = (uidNext: number, mailboxId: number) => sql.run('UPDATE mailboxes SET uidnext = greatest(uidnext, ?) WHERE id = ?', [uidNext, mailboxId]);

  return {
    async startJob(job, kind) {
      await sql.run('INSERT INTO import_jobs (job, kind, started_at) VALUES (?, ?, ?) ON CONFLICT (job) DO NOTHING', [job, kind, clock.now()]);
      if ((await jobRow(job)).finished_at !== null) await sql.run('UPDATE import_jobs SET started_at = ?, finished_at = NULL, report = NULL WHERE job = ?', [clock.now(), job]);
      return toJob(await jobRow(job));
    },
    jobs: async () => (await sql.all<JobRow>('SELECT * FROM import_jobs ORDER BY started_at DESC, job COLLATE "C"')).map(toJob),
    async writeDirectory(job, rows) {
      for (const d of rows.domains) {
        await p.domains.add(d.name, d.defaultQuota);
        if (!d.active) await p.domains.update(d.name, { active: false });
      }
      for (const a of rows.accounts) {
        const domain = await p.domains.require(a.domain);
        const created = await p.accounts.add({ domainId: domain.id, localPart: a.localPart, displayName: a.displayName, passwordHash: a.passwordHash, scramSecret: null, quotaBytes: a.quotaBytes });
        await p.mailboxes.createDefaults(created.id);
        if (!a.active) await p.accounts.update(created.id, { active: false });
      }
      for (const a of rows.aliases) {
        const created = await p.aliases.add((await p.domains.require(a.domain)).id, a.localPart, a.destinations);
        if (!a.active) await p.aliases.setActive(created.id, false);
      }
      for (const t of rows.transports) await p.transports.set(t.domain, t.route);
      await sql.run('UPDATE import_jobs SET directory_at = ? WHERE job = ?', [clock.now(), job]);
    },
    async openFolder(f) {
      const changes: StoreChange[] = [];
      const done = await folderRow(f.job, f.accountId, f.folder);
      let mailbox = done ? await p.mailboxes.byId(done.mailbox_id) : await p.mailboxes.get(f.accountId, f.mailbox);
      if (!mailbox) {
        const created = await p.mailboxes.createPath(f.accountId, f.mailbox);
        changes.push(...created.changes);
        mailbox = created.result;
      }
      if (!done) {
        // Take the old UIDVALIDITY only where no client can have seen a UID of this mailbox yet.
        if (f.uidValidity !== undefined && f.uidValidity > 0 && mailbox.uidNext === 1 && (await highestUid(mailbox.id)) === 0) {
          await sql.run('UPDATE mailboxes SET uidvalidity = ? WHERE id = ?', [f.uidValidity, mailbox.id]);
          await sql.run("UPDATE counters SET value = greatest(value, ?) WHERE name = 'uidvalidity'", [f.uidValidity]);
          if (f.uidNext !== undefined) await raiseUidNext(f.uidNext, mailbox.id);
          mailbox = (await p.mailboxes.byId(mailbox.id))!;
        }
        await sql.run('INSERT INTO import_folders (job, account_id, folder, mailbox_id, source_uidvalidity) VALUES (?, ?, ?, ?, ?)', [
          f.job,
          f.accountId,
          f.folder,
          mailbox.id,
          f.uidValidity ?? null,
        ]);
      }
      const row = (await folderRow(f.job, f.accountId, f.folder))!;
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
    },
    async appendBatch(job, accountId, folder, batch, passed = 0) {
      const state = await folderRow(job, accountId, folder);
      if (!state) throw new Error(`import folder ${folder} was not opened`);
      const mailbox = await p.mailboxes.byId(state.mailbox_id);
      if (!mailbox) throw new Error(`mailbox ${state.mailbox_id} is missing`);
      const keep = state.source_uidvalidity !== null && state.source_uidvalidity === mailbox.uidValidity;
      const numbering = batchNumbering(keep, await highestUid(mailbox.id), passed);
      const changes: StoreChange[] = [];
      for (const m of batch) {
        const { bytes, sourceUid, sha256, ...row } = m;
        const atUid = numbering.atUid(sourceUid);
        const blobId = await p.blobs.acquire(bytes, 1, sha256);
        const added = await p.messages.append(mailbox.id, { ...row, prefix: Buffer.alloc(0), blobId, size: bytes.length }, atUid);
        numbering.appended(added.result.uid);
        changes.push(...added.changes);
      }
      const { last, unnumbered, renumbered } = numbering.totals();
      await sql.run(
        `UPDATE import_folders SET last_source_uid = greatest(last_source_uid, ?), unnumbered = unnumbered + ?, messages = messages + ?
         WHERE job = ? AND account_id = ? AND folder = ?`,
        [last, unnumbered, batch.length, job, accountId, folder],
      );
      return { result: { renumbered }, changes };
    },
    async finishFolder(mailboxId, uidNext) {
      if (uidNext !== undefined) await raiseUidNext(uidNext, mailboxId);
      await sql.run('UPDATE mailboxes SET first_recent_uid = uidnext WHERE id = ?', [mailboxId]);
    },
    async setSubscriptions(accountId, names) {
      await sql.run('DELETE FROM subscriptions WHERE account_id = ?', [accountId]);
      for (const name of names) await p.subscriptions.add(accountId, name);
    },
    async finishJob(job, report) {
      await sql.run('UPDATE import_jobs SET finished_at = ?, report = ? WHERE job = ?', [clock.now(), report, job]);
    },
  };
}
