// Streams one user's Maildir (Dovecot or Courier maildir++): for each folder a folder item (with the
// old UIDVALIDITY and next UID when a uid list exists), then its messages — those the uid list knows
// in UID order with their source UID, then any it does not know (delivered since, or no list at all)
// by file name, which starts with the delivery time. Flags and keywords come from the `:2,` info,
// INTERNALDATE from the file's mtime (Dovecot's received date), bytes are read only by read().
// Memory holds one folder's directory listing and uid list, never message bodies.
// Anything that cannot be read (a folder, a uid list, a message file) is yielded as `unreadable`.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errorText, toCrlf, type SourceItem, type SourceMessage } from '../source-message.js';
import { parseMaildirName } from './file-name.js';
import { listFolders, type MaildirFolder } from './folders.js';
import { parseKeywords, parseUidList, type UidList } from './uid-list.js';

/** Courier's name (`courierimapuiddb`) and the one some migration guides use. */
const UID_LISTS = ['dovecot-uidlist', 'courierimapuiddb', 'courierimapuidlist'];

interface Candidate {
  name: string;
  path: string;
  uid?: number;
}

async function readUidList(dir: string): Promise<{ list?: UidList; problem?: SourceItem }> {
  for (const file of UID_LISTS) {
    const path = join(dir, file);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      return { problem: { kind: 'unreadable', path, reason: errorText(error) } };
    }
    try {
      return { list: parseUidList(text) };
    } catch (error) {
      return { problem: { kind: 'unreadable', path, reason: errorText(error) } };
    }
  }
  return {};
}

async function messageFiles(folder: MaildirFolder, list: UidList | undefined): Promise<{ files: Candidate[]; problems: SourceItem[] }> {
  const files: Candidate[] = [];
  const problems: SourceItem[] = [];
  for (const sub of ['cur', 'new']) {
    const dir = join(folder.dir, sub);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push({ kind: 'unreadable', path: dir, folder: folder.name, reason: errorText(error) });
      continue;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      files.push({ name, path: join(dir, name), uid: list?.uids.get(parseMaildirName(name).base) });
    }
  }
  const known = files.filter((f) => f.uid !== undefined).sort((a, b) => a.uid! - b.uid!);
  const unknown = files.filter((f) => f.uid === undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { files: [...known, ...unknown], problems };
}

/** Files stat'ed at once (their mtime is the INTERNALDATE): the round trips overlap. */
const STAT_AHEAD = 64;

async function message(folder: string, file: Candidate, keywordNames: Map<number, string>): Promise<SourceItem> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file.path);
  } catch (error) {
    return { kind: 'unreadable', path: file.path, folder, reason: errorText(error) };
  }
  const parsed = parseMaildirName(file.name);
  const keywords = [...parsed.keywords];
  for (const index of parsed.keywordIndexes) {
    const keyword = keywordNames.get(index);
    if (keyword !== undefined && !keywords.includes(keyword)) keywords.push(keyword);
  }
  const item: SourceMessage = {
    kind: 'message',
    folder,
    flags: parsed.flags,
    keywords,
    internalDate: Math.floor(info.mtimeMs / 1000) * 1000,
    size: parsed.virtualSize ?? info.size,
    origin: file.path,
    read: async () => toCrlf(await readFile(file.path)),
    file: file.path,
  };
  if (file.uid !== undefined) item.sourceUid = file.uid;
  return item;
}

export async function* readMaildir(root: string): AsyncGenerator<SourceItem> {
  let folders: MaildirFolder[];
  try {
    folders = await listFolders(root);
  } catch (error) {
    yield { kind: 'unreadable', path: root, reason: errorText(error) };
    return;
  }
  for (const folder of folders) {
    const { list, problem } = await readUidList(folder.dir);
    if (problem) yield { ...problem, folder: folder.name } as SourceItem;
    yield { kind: 'folder', name: folder.name, ...(list ? { uidValidity: list.uidValidity, uidNext: list.uidNext } : {}) };
    const keywordNames = parseKeywords(await readFile(join(folder.dir, 'dovecot-keywords'), 'utf8').catch(() => ''));
    const { files, problems } = await messageFiles(folder, list);
    yield* problems;
    for (let from = 0; from < files.length; from += STAT_AHEAD) {
      yield* await Promise.all(files.slice(from, from + STAT_AHEAD).map((file) => message(folder.name, file, keywordNames)));
    }
  }
}
