// The backup file: a gzip stream of named entries, each a JSON header line
// `{"name":…,"size":…,"sha256":…}` followed by exactly `size` bytes, after the magic line
// `MAILROOM-BACKUP 1`. The first entry is manifest.json. Our own format rather than tar: one small
// reader with a hash per entry, no dependency, and a torn or altered file fails with the entry named.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

const MAGIC = 'MAILROOM-BACKUP 1\n';
const MAX_HEADER = 4096;

export interface EntryHeader {
  name: string;
  size: number;
  sha256: string;
}

export class BadBackupError extends Error {
  override name = 'BadBackupError';
}

/** Writes `entries` (files on disk, or bytes) into `file`; returns their headers. */
export async function writeArchive(file: string, entries: Array<{ name: string; path?: string; bytes?: Buffer }>): Promise<EntryHeader[]> {
  const headers: EntryHeader[] = [];
  async function* chunks() {
    yield Buffer.from(MAGIC);
    for (const entry of entries) {
      const hash = createHash('sha256');
      let size = 0;
      if (entry.bytes) {
        hash.update(entry.bytes);
        size = entry.bytes.length;
      } else {
        for await (const chunk of createReadStream(entry.path!)) {
          hash.update(chunk as Buffer);
          size += (chunk as Buffer).length;
        }
      }
      const header: EntryHeader = { name: entry.name, size, sha256: hash.digest('hex') };
      headers.push(header);
      yield Buffer.from(JSON.stringify(header) + '\n');
      if (entry.bytes) yield entry.bytes;
      else for await (const chunk of createReadStream(entry.path!)) yield chunk as Buffer;
    }
  }
  await pipeline(chunks, createGzip({ level: 6 }), createWriteStream(file, { mode: 0o600 }));
  const handle = await open(file, 'r+');
  await handle.sync();
  await handle.close();
  return headers;
}

/**
 * Reads `file`, handing each entry to `take` (which decides where its bytes go: `undefined` skips
 * it); checks every size and hash. Throws BadBackupError naming what is wrong.
 */
export async function readArchive(file: string, take: (header: EntryHeader) => NodeJS.WritableStream | Buffer[] | undefined): Promise<EntryHeader[]> {
  const headers: EntryHeader[] = [];
  let buffered: Buffer = Buffer.alloc(0);
  let magicSeen = false;
  let current: { header: EntryHeader; left: number; hash: ReturnType<typeof createHash>; sink: ReturnType<typeof take> } | undefined;
  const write = async (sink: NonNullable<ReturnType<typeof take>>, chunk: Buffer) => {
    if (Array.isArray(sink)) sink.push(chunk);
    else if (!sink.write(chunk)) await new Promise((resolve) => sink.once('drain', resolve));
  };
  const finishEntry = async () => {
    const { header, hash, sink } = current!;
    if (hash.digest('hex') !== header.sha256) throw new BadBackupError(`the backup's ${header.name} does not match its checksum: the file is damaged`);
    if (sink && !Array.isArray(sink)) await new Promise<void>((resolve) => sink.end(() => resolve()));
    headers.push(header);
    current = undefined;
  };
  try {
    for await (const chunk of createReadStream(file).pipe(createGunzip())) {
      buffered = buffered.length === 0 ? (chunk as Buffer) : Buffer.concat([buffered, chunk as Buffer]);
      while (buffered.length > 0) {
        if (current) {
          const n = Math.min(current.left, buffered.length);
          const part = buffered.subarray(0, n);
          current.hash.update(part);
          if (current.sink) await write(current.sink, Buffer.from(part));
          current.left -= n;
          buffered = buffered.subarray(n);
          if (current.left === 0) await finishEntry();
          continue;
        }
        const newline = buffered.indexOf(0x0a);
        if (newline === -1) {
          if (buffered.length > MAX_HEADER) throw new BadBackupError('this is not a Mailroom backup (no entry header)');
          break;
        }
        const line = buffered.subarray(0, newline + 1).toString('utf8');
        buffered = buffered.subarray(newline + 1);
        if (!magicSeen) {
          if (line !== MAGIC) throw new BadBackupError('this is not a Mailroom backup');
          magicSeen = true;
          continue;
        }
        const header = parseHeader(line);
        current = { header, left: header.size, hash: createHash('sha256'), sink: take(header) };
        if (header.size === 0) await finishEntry();
      }
    }
  } catch (error) {
    if (error instanceof BadBackupError) throw error;
    throw new BadBackupError(`the backup cannot be read: ${(error as Error).message}`);
  }
  if (!magicSeen) throw new BadBackupError('this is not a Mailroom backup');
  if (current || buffered.length > 0) throw new BadBackupError('the backup is cut short: it was not written completely');
  return headers;
}

function parseHeader(line: string): EntryHeader {
  try {
    const h = JSON.parse(line) as Partial<EntryHeader>;
    if (typeof h.name === 'string' && Number.isSafeInteger(h.size) && h.size! >= 0 && typeof h.sha256 === 'string') return h as EntryHeader;
  } catch {
    // reported below
  }
  throw new BadBackupError('the backup is damaged (an entry header cannot be read)');
}
