// The folders of an mbox tree as Dovecot and UW-IMAP keep them (`~/mail`: one file per folder,
// directories for levels, `Lists/dev` is the file `Lists/dev`); names are UTF-8 or modified UTF-7
// file names. Hidden entries (Dovecot's `.imap` index folder, `.subscriptions`) are not folders.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { folderName } from '../maildir/folders.js';

export interface MboxFolder {
  name: string;
  path: string;
}

/** Every mbox file under `dir`, sorted by folder name. */
export async function listMboxFolders(dir: string): Promise<MboxFolder[]> {
  const found: MboxFolder[] = [];
  async function walk(path: string, levels: string[]): Promise<void> {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const next = [...levels, folderName(entry.name)];
      if (entry.isDirectory()) await walk(join(path, entry.name), next);
      else if (entry.isFile()) found.push({ name: next.join('/'), path: join(path, entry.name) });
    }
  }
  await walk(dir, []);
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
