// Writes what a mail reader yields (Maildir, mbox, IMAP) into one account, folder by folder, in batches
// that each commit with the folder's progress (store/imports.ts). A second run of the same job skips
// what the first committed: by source UID where the source has UIDs, else by position among the
// folder's messages without one (readers yield those in a stable order, oldest first). Memory holds at
// most one batch of message bytes. Every unreadable item is kept in the report; nothing is dropped
// silently. The caller publishes the returned store changes (IDLE sessions, the GUI).
import { FLAG_BITS } from '../store/messages.js';
import type { Store, StoreChange } from '../store/index.js';
import type { FolderState, ImportedMessage } from '../store/imports.js';
import { createPreparer, describeForStore, type PreparedMessage, type Preparer } from './prepare.js';
import { errorText, type SourceItem, type SourceMessage, type UnreadableItem } from './source-message.js';

/** A batch commits at this many messages or bytes, whichever comes first. */
const BATCH_MESSAGES = 500;
const BATCH_BYTES = 4 * 1024 * 1024;
/** Files read ahead at most (messages, bytes by their size in the name or directory). */
const AHEAD_MESSAGES = 128;
const AHEAD_BYTES = 4 * 1024 * 1024;

export interface MailWritten {
  address: string;
  folders: number;
  /** Messages written by this run. */
  messages: number;
  bytes: number;
  /** Messages a previous run of the job had written already. */
  alreadyImported: number;
  /** Messages whose old UID could not be kept (the mailbox here already used it). */
  renumbered: number;
  /** Folders whose old UIDs could not be kept because the mailbox here already held mail. */
  foldersRenumbered: string[];
  problems: UnreadableItem[];
}

export interface MailTarget {
  job: string;
  accountId: number;
  address: string;
  /** The source's subscriptions; undefined keeps the account's, with every imported folder added. */
  subscriptions?: string[];
  /** Replace the account's subscriptions by the source's (an account this import created). */
  replaceSubscriptions?: boolean;
}

export interface MailHooks {
  /** After each committed batch: messages and bytes it wrote. */
  progress?(event: { folder: string; messages: number; bytes: number }): void;
  publish?(changes: StoreChange[]): void;
  /** Messages per batch (tests make it small to see batches commit). */
  batchMessages?: number;
  /** Reads and describes message files off this thread; null: all on this thread. Default: a new one, closed at the end. */
  preparer?: Preparer | null;
}

function flagBits(flags: SourceMessage['flags']): number {
  return flags.reduce((bits, flag) => bits | FLAG_BITS[flag], 0);
}

export async function writeMail(store: Store, target: MailTarget, items: AsyncIterable<SourceItem>, hooks: MailHooks = {}): Promise<MailWritten> {
  const report: MailWritten = { address: target.address, folders: 0, messages: 0, bytes: 0, alreadyImported: 0, renumbered: 0, foldersRenumbered: [], problems: [] };
  const folders: string[] = [];
  /** `stale`: the source's UIDVALIDITY changed since an earlier run, so its UIDs no longer say what was copied. */
  let current: { name: string; state: FolderState; uidNext?: number; unnumberedSeen: number; stale?: { from: number; to: number; skipped: number } } | undefined;
  let batch: ImportedMessage[] = [];
  let batchBytes = 0;
  /** Unreadable messages without a source UID since the last batch: they keep their place in the order. */
  let passed = 0;

  let writeFailed = false;
  const flush = async () => {
    if (!current || (batch.length === 0 && passed === 0)) return;
    const { result, changes } = await store.imports.appendBatch(target.job, target.accountId, current.name, batch, passed).catch((error: unknown) => {
      writeFailed = true;
      throw error;
    });
    passed = 0;
    report.renumbered += result.renumbered;
    report.messages += batch.length;
    report.bytes += batchBytes;
    hooks.publish?.(changes);
    hooks.progress?.({ folder: current.name, messages: batch.length, bytes: batchBytes });
    batch = [];
    batchBytes = 0;
  };

  const closeFolder = async () => {
    if (!current) return;
    const stale = current.stale;
    if (stale && stale.skipped > 0) {
      const reason = `the old server's UIDVALIDITY changed from ${stale.from} (when an earlier run copied ${current.state.messages} messages) to ${stale.to}: its UIDs no longer tell which messages were copied, so ${stale.skipped} were not copied again`;
      report.problems.push({ kind: 'unreadable', path: current.name, folder: current.name, reason });
    }
    await flush();
    await store.imports.finishFolder(current.state.mailboxId, current.state.keepUids ? current.uidNext : undefined);
  };

  // Messages being read and described ahead, in the reader's order (files on the reading thread).
  const ahead: Array<{ item: SourceMessage; ready: Promise<PreparedMessage> }> = [];
  let aheadBytes = 0;
  let ownPreparer: Preparer | undefined;
  const preparer = (): Preparer | null => (hooks.preparer === undefined ? (ownPreparer ??= createPreparer()) : hooks.preparer);

  const take = async () => {
    const { item, ready } = ahead.shift()!;
    aheadBytes -= item.size ?? 0;
    let prepared: PreparedMessage;
    try {
      prepared = await ready;
    } catch (error) {
      report.problems.push({ kind: 'unreadable', path: item.origin, folder: item.folder, reason: errorText(error) });
      if (item.sourceUid === undefined) passed++;
      return;
    }
    const { bytes, sha256, description } = prepared;
    batch.push({
      bytes,
      ...(sha256 ? { sha256 } : {}),
      flags: flagBits(item.flags),
      keywords: item.keywords,
      internalDate: item.internalDate,
      sentDate: description.sentDate,
      envelope: description.envelope,
      envelopeWire: description.envelopeWire,
      bodystructure: description.bodystructure,
      parts: description.parts,
      ...(item.sourceUid !== undefined ? { sourceUid: item.sourceUid } : {}),
    });
    batchBytes += bytes.length;
    if (batch.length >= (hooks.batchMessages ?? BATCH_MESSAGES) || batchBytes >= BATCH_BYTES) await flush();
  };
  const readAhead = (item: SourceMessage, ready: Promise<PreparedMessage>) => {
    ready.catch(() => undefined); // settled by take(), later: not an unhandled rejection meanwhile
    ahead.push({ item, ready });
    aheadBytes += item.size ?? 0;
  };
  const drain = async () => {
    while (ahead.length > 0) await take();
  };
  const prepareHere = async (item: SourceMessage): Promise<PreparedMessage> => {
    const bytes = await item.read();
    return { bytes, description: describeForStore(bytes) };
  };

  try {
    for await (const item of items) {
      if (item.kind !== 'message') await drain();
      if (item.kind === 'unreadable') {
        report.problems.push(item);
        continue;
      }
      if (item.kind === 'folder') {
        await closeFolder();
        const { result, changes } = await store.imports.openFolder({
          job: target.job,
          accountId: target.accountId,
          folder: item.name,
          mailbox: item.name,
          ...(item.uidValidity !== undefined ? { uidValidity: item.uidValidity } : {}),
          ...(item.uidNext !== undefined ? { uidNext: item.uidNext } : {}),
        });
        hooks.publish?.(changes);
        current = { name: item.name, state: result, unnumberedSeen: 0, ...(item.uidNext !== undefined ? { uidNext: item.uidNext } : {}) };
        if (item.uidValidity !== undefined && result.sourceUidValidity !== null && result.sourceUidValidity !== item.uidValidity && result.messages > 0) {
          current.stale = { from: result.sourceUidValidity, to: item.uidValidity, skipped: 0 };
        }
        if (item.uidValidity !== undefined && !result.keepUids && result.messages === 0) report.foldersRenumbered.push(item.name);
        folders.push(item.name);
        report.folders++;
        continue;
      }
      if (!current || current.name !== item.folder) throw new Error(`the reader yielded a message of ${item.folder} outside its folder`);
      if (current.stale) {
        current.stale.skipped++;
        continue;
      }
      // Written by an earlier run of this job?
      const done = item.sourceUid !== undefined ? item.sourceUid <= current.state.lastSourceUid : current.unnumberedSeen++ < current.state.unnumbered;
      if (done) {
        report.alreadyImported++;
        continue;
      }
      // A file is read ahead on the reading thread; a reader's own read() is awaited in turn (an IMAP
      // reader fetches in windows of its own and must be asked in order).
      const file = item.file;
      const reading = file !== undefined ? preparer() : null;
      if (file !== undefined && reading !== null) {
        readAhead(item, reading.prepare(file));
        if (ahead.length >= AHEAD_MESSAGES || aheadBytes >= AHEAD_BYTES) await take();
      } else {
        readAhead(item, prepareHere(item));
        await drain();
      }
    }
    await drain();
    await closeFolder();
  } catch (error) {
    // The reader failed (a stopped import): what it gave before is written, in full batches, as it
    // would have been without reading ahead. After a failed write nothing more is tried.
    if (!writeFailed) await drain().catch(() => undefined);
    throw error;
  } finally {
    // Settle what was asked for before stopping the thread (a failed write leaves reads in flight).
    await Promise.allSettled(ahead.map((a) => a.ready));
    await ownPreparer?.close();
  }

  if (target.subscriptions !== undefined && target.replaceSubscriptions) await store.imports.setSubscriptions(target.accountId, target.subscriptions);
  else for (const name of target.subscriptions ?? folders) await store.subscriptions.add(target.accountId, name);
  return report;
}
