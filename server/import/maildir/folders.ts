// Maildir++ folders (Dovecot and Courier): the root is INBOX, every `.Name` directory beside its
// cur/new is a folder, `.` separates hierarchy levels (`.Lists.dev` is `Lists/dev`) and names are
// modified UTF-7 (`.Entw&APw-rfe` is `Entwürfe`). Subscriptions come from Dovecot's `subscriptions`
// (version 2: `V\t2` header, `\t` between levels; version 1: one name per line, `.` between levels) or
// Courier's `courierimapsubscribed` (`INBOX.Sent`).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeMutf7 } from '../../imap/wire/mutf7.js';

export interface MaildirFolder {
  /** UTF-8 name with `/` between levels; `INBOX` for the root. */
  name: string;
  dir: string;
}

export async function isMaildir(dir: string): Promise<boolean> {
  for (const sub of ['cur', 'new']) {
    if (await stat(join(dir, sub)).then((s) => s.isDirectory(), () => false)) return true;
  }
  return false;
}

/** A maildir++ directory name (without the leading dot) as a mailbox name; the raw name if not mUTF-7. */
export function folderName(dotted: string): string {
  return dotted
    .split('.')
    .map((level) => decodeMutf7(level) ?? level)
    .join('/');
}

/** INBOX first, then the folders sorted by name. */
export async function listFolders(root: string): Promise<MaildirFolder[]> {
  const entries = await readdir(root, { withFileTypes: true });
  const folders: MaildirFolder[] = [];
  for (const entry of entries) {
    if (!entry.name.startsWith('.') || entry.name === '.' || entry.name === '..' || !entry.isDirectory()) continue;
    const dir = join(root, entry.name);
    if (await isMaildir(dir)) folders.push({ name: folderName(entry.name.slice(1)), dir });
  }
  folders.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [{ name: 'INBOX', dir: root }, ...folders];
}

/** Subscribed names (UTF-8, `/` between levels); empty when the maildir has no subscription file. */
export async function readSubscriptions(root: string): Promise<string[]> {
  const dovecot = await readFile(join(root, 'subscriptions'), 'utf8').catch(() => undefined);
  if (dovecot !== undefined) {
    const lines = dovecot.split('\n');
    if (lines[0]?.startsWith('V\t2')) {
      return lines.slice(1).filter((l) => l !== '').map((l) => l.split('\t').map((level) => decodeMutf7(level) ?? level).join('/'));
    }
    return lines.filter((l) => l.trim() !== '').map((l) => folderName(l.trim()));
  }
  const courier = await readFile(join(root, 'courierimapsubscribed'), 'utf8').catch(() => undefined);
  if (courier === undefined) return [];
  return courier
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => (l === 'INBOX' ? 'INBOX' : folderName(l.replace(/^INBOX\./, ''))));
}
