// One account on the old server over IMAP, as a mail reader (source-message.ts): every selectable
// folder of the personal namespace (EXAMINE, so nothing changes there: no \Seen, no \Recent taken),
// with its UIDVALIDITY and UIDNEXT, then its messages in UID order with UID, flags, keywords,
// INTERNALDATE and RFC822.SIZE from one metadata FETCH; bodies are fetched only when read() asks,
// a window of following messages at a time (one round trip for many small messages, at most
// WINDOW_BYTES held). A message gone from the server between listing and fetching is yielded as
// unreadable by its read(); a folder that cannot be opened is an unreadable item; the import lists both.
// Names: modified UTF-7 decoded, the server's delimiter becomes `/`, a personal namespace prefix
// (Courier's and Cyrus's `INBOX.`) is taken off, so `INBOX.Sent` is `Sent` here.
import { decodeMutf7, normalizeMailboxName } from '../../imap/wire/mutf7.js';
import { parseImapDateTime } from '../../imap/wire/date-time.js';
import type { SourceItem, SourceMessage, SystemFlag } from '../source-message.js';
import { ImapClient, ImapCommandError, type CommandPart, type ImapConnectOptions } from './client.js';
import { fetchItems, text, type Value } from './response.js';

export interface ImapSourceOptions extends ImapConnectOptions {
  user: string;
  password: string;
  /** Log in as this master user on `user`'s behalf (AUTHENTICATE PLAIN with an authorization identity). */
  masterUser?: string;
}

export interface ImapFolder {
  /** The name here (`/` between levels). */
  name: string;
  /** The name on the wire, sent back as it came. */
  wire: Buffer;
}

export interface ImapSource {
  /** `imap://user@host:port`, for reports. */
  origin: string;
  folders: ImapFolder[];
  subscriptions: string[];
  /** Folders outside the personal namespace (shared, other users'), which are not imported. */
  skipped: string[];
  items(): AsyncGenerator<SourceItem>;
  close(): Promise<void>;
}

const WINDOW_MESSAGES = 200;
const WINDOW_BYTES = 16 * 1024 * 1024;

const SYSTEM_FLAGS = new Map<string, SystemFlag>(['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'].map((f) => [f.toUpperCase(), f as SystemFlag]));

interface Meta {
  uid: number;
  flags: SystemFlag[];
  keywords: string[];
  internalDate: number;
  size: number;
}

interface Listed {
  wire: Buffer;
  delimiter: string | null;
  attributes: string[];
}

function listed(values: Value[]): Listed | undefined {
  const [attributes, delimiter, name] = values;
  const wire = typeof name === 'string' ? Buffer.from(name, 'latin1') : Buffer.isBuffer(name) ? name : undefined;
  if (!Array.isArray(attributes) || wire === undefined) return undefined;
  return { wire, delimiter: text(delimiter) ?? null, attributes: attributes.map((a) => (text(a) ?? '').toUpperCase()) };
}

/** The personal namespace's prefix and delimiter (RFC 2342), when the server has NAMESPACE. */
async function personalNamespace(client: ImapClient): Promise<{ prefix: string; delimiter: string | null } | undefined> {
  if (!client.capabilities.has('NAMESPACE')) return undefined;
  let found: { prefix: string; delimiter: string | null } | undefined;
  await client.command(['NAMESPACE'], (data) => {
    const personal = data.name === 'NAMESPACE' ? data.values[0] : undefined;
    const first = Array.isArray(personal) ? personal[0] : undefined;
    if (Array.isArray(first)) found = { prefix: text(first[0]) ?? '', delimiter: text(first[1]) ?? null };
  });
  return found;
}

function localName(wire: Buffer, delimiter: string | null, prefix: string): string {
  let raw = wire.toString('latin1');
  if (prefix !== '' && raw.toUpperCase() !== 'INBOX' && raw.startsWith(prefix)) raw = raw.slice(prefix.length);
  const levels = delimiter ? raw.split(delimiter) : [raw];
  return normalizeMailboxName(levels.map((level) => decodeMutf7(level) ?? level).join('/'));
}

function meta(values: Value[]): Meta | undefined {
  const items = fetchItems(values);
  const uid = Number(text(items.get('UID')));
  if (!Number.isInteger(uid) || uid <= 0) return undefined;
  const flags: SystemFlag[] = [];
  const keywords: string[] = [];
  const listedFlags = items.get('FLAGS');
  for (const flag of Array.isArray(listedFlags) ? listedFlags : []) {
    const name = text(flag);
    if (name === undefined) continue;
    const system = SYSTEM_FLAGS.get(name.toUpperCase());
    if (system) flags.push(system);
    else if (!name.startsWith('\\')) keywords.push(name);
  }
  const date = parseImapDateTime(text(items.get('INTERNALDATE')) ?? '');
  return { uid, flags, keywords, internalDate: date ? date.getTime() : Date.now(), size: Number(text(items.get('RFC822.SIZE')) ?? 0) };
}

/** Logs in and lists the folders and subscriptions; items() then streams them. */
export async function openImapSource(options: ImapSourceOptions): Promise<ImapSource> {
  const origin = `imap://${options.masterUser ? `${options.user};master=${options.masterUser}` : options.user}@${options.host}:${options.port}`;
  const client = await ImapClient.connect(options);
  try {
    await client.login(options.user, options.password, options.masterUser);
    const namespace = await personalNamespace(client);
    const all: Listed[] = [];
    const subscribed: Listed[] = [];
    await client.command(['LIST', '""', '"*"'], (data) => {
      const entry = data.name === 'LIST' ? listed(data.values) : undefined;
      if (entry) all.push(entry);
    });
    await client.command(['LSUB', '""', '"*"'], (data) => {
      const entry = data.name === 'LSUB' ? listed(data.values) : undefined;
      if (entry) subscribed.push(entry);
    });
    const prefix = namespace?.prefix ?? '';
    const inPersonal = (l: Listed) => prefix === '' || l.wire.toString('latin1').toUpperCase() === 'INBOX' || l.wire.toString('latin1').startsWith(prefix);
    const selectable = all.filter((l) => !l.attributes.includes('\\NOSELECT') && !l.attributes.includes('\\NONEXISTENT'));
    const folders = selectable
      .filter(inPersonal)
      .map((l) => ({ name: localName(l.wire, l.delimiter, prefix), wire: l.wire }))
      .sort((a, b) => (a.name === 'INBOX' ? -1 : b.name === 'INBOX' ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return {
      origin,
      folders,
      subscriptions: subscribed.filter(inPersonal).map((l) => localName(l.wire, l.delimiter, prefix)),
      skipped: selectable.filter((l) => !inPersonal(l)).map((l) => l.wire.toString('latin1')),
      items: () => readFolders(client, origin, folders),
      close: () => client.close(),
    };
  } catch (error) {
    await client.close();
    throw error;
  }
}

async function* readFolders(client: ImapClient, origin: string, folders: ImapFolder[]): AsyncGenerator<SourceItem> {
  for (const folder of folders) {
    const box: CommandPart = ImapClient.string(folder.wire.toString('latin1'));
    let uidValidity: number | undefined;
    let uidNext: number | undefined;
    let exists = 0;
    try {
      await client.command(
        ['EXAMINE', box],
        (data) => {
          if (data.name === 'EXISTS' && data.number !== undefined) exists = data.number;
        },
        (status) => {
          if (status.code === 'UIDVALIDITY') uidValidity = Number(status.codeArgs);
          if (status.code === 'UIDNEXT') uidNext = Number(status.codeArgs);
        },
      );
    } catch (error) {
      if (!(error instanceof ImapCommandError)) throw error;
      yield { kind: 'unreadable', path: `${origin}/${folder.name}`, folder: folder.name, reason: `the server refused to open it: ${error.message}` };
      continue;
    }
    yield { kind: 'folder', name: folder.name, ...(uidValidity ? { uidValidity } : {}), ...(uidNext ? { uidNext } : {}) };
    if (exists === 0) continue;
    const metas: Meta[] = [];
    await client.command(['UID', 'FETCH', '1:*', '(UID FLAGS INTERNALDATE RFC822.SIZE)'], (data) => {
      const m = data.name === 'FETCH' ? meta(data.values) : undefined;
      if (m) metas.push(m);
    });
    metas.sort((a, b) => a.uid - b.uid);
    const bodies = windowedBodies(client, metas);
    for (const [index, m] of metas.entries()) {
      const item: SourceMessage = {
        kind: 'message',
        folder: folder.name,
        flags: m.flags,
        keywords: m.keywords,
        internalDate: m.internalDate,
        sourceUid: m.uid,
        size: m.size,
        origin: `${origin}/${folder.name};UID=${m.uid}`,
        read: () => bodies(index),
      };
      yield item;
    }
  }
}

/** read() for the index-th message: fetches it with the messages after it, up to a window. */
function windowedBodies(client: ImapClient, metas: Meta[]): (index: number) => Promise<Buffer> {
  let window = new Map<number, Buffer>();
  let fetched = new Set<number>();
  return async (index) => {
    const uid = metas[index].uid;
    if (!fetched.has(uid)) {
      const uids: number[] = [];
      let bytes = 0;
      for (let i = index; i < metas.length && uids.length < WINDOW_MESSAGES && (uids.length === 0 || bytes + metas[i].size <= WINDOW_BYTES); i++) {
        uids.push(metas[i].uid);
        bytes += metas[i].size;
      }
      window = new Map();
      fetched = new Set(uids);
      await client.command(['UID', 'FETCH', uids.join(','), '(UID BODY.PEEK[])'], (data) => {
        if (data.name !== 'FETCH') return;
        const items = fetchItems(data.values);
        const body = items.get('BODY[]');
        const got = Number(text(items.get('UID')));
        if (Buffer.isBuffer(body) && fetched.has(got)) window.set(got, body);
      });
    }
    const body = window.get(uid);
    window.delete(uid);
    if (body === undefined) throw new Error('the server no longer has this message (expunged since the folder was listed)');
    return body;
  };
}
