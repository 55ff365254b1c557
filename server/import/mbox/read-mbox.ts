// Streams an mbox file (one folder) message by message. A message starts at a `From ` line at the
// start of the file or after an empty line (the mboxrd/mboxo separator); the empty line before the
// next `From ` belongs to the separator. `>From ` lines (any number of `>`) lose one `>` (mboxrd, and
// the only quoting mboxo has). The metadata headers mail servers keep in mbox — `Status` (R seen),
// `X-Status` (A answered, F flagged, T draft, D deleted), `X-Keywords`, `X-UID`, `X-IMAP`/
// `X-IMAPbase` (UIDVALIDITY and next UID) — become flags, keywords and UIDs and are removed from the
// bytes, as Dovecot hides them from IMAP clients. A `Content-Length` header (Dovecot and Solaris
// write one, and then quote nothing) is trusted: `From ` lines inside that many body bytes do not split,
// and nothing is unquoted. Dovecot's pseudo message carrying `X-IMAP` (FOLDER INTERNAL DATA) is not mail:
// it gives the folder's UIDVALIDITY and is skipped. INTERNALDATE is the From_ line's date.
// Memory: one message at a time (read() hands back the bytes already split off).
import { createReadStream } from 'node:fs';
import { errorText, toCrlf, type SourceItem, type SourceMessage, type SystemFlag } from '../source-message.js';

const FROM = Buffer.from('From ');
const META = /^(status|x-status|x-keywords|x-uid|x-imap|x-imapbase|content-length):/i;
const X_STATUS: Record<string, SystemFlag> = { A: '\\Answered', F: '\\Flagged', T: '\\Draft', D: '\\Deleted' };

interface Parsed {
  message: Omit<SourceMessage, 'folder' | 'origin' | 'kind' | 'read'>;
  bytes: Buffer;
  base?: { uidValidity: number; uidNext: number };
  /** Dovecot's FOLDER INTERNAL DATA message. */
  pseudo: boolean;
}

/** `From sender Mon Jan  1 10:00:00 2024` (asctime, UTC by convention) → ms, or undefined. */
function fromLineDate(line: string): number | undefined {
  const m = /([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2})(?::(\d{2}))?(?: +[A-Z]{3,4})? (\d{4})\s*$/.exec(line);
  if (!m) return undefined;
  const month = 'JanFebMarAprMayJunJulAugSepOctNovDec'.indexOf(m[1]) / 3;
  if (month < 0 || !Number.isInteger(month)) return undefined;
  return Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5] ?? 0));
}

function unquote(line: Buffer): Buffer {
  let i = 0;
  while (line[i] === 0x3e) i++;
  return i > 0 && line.subarray(i, i + 5).equals(FROM) ? line.subarray(1) : line;
}

function parseMessage(fromLine: string, lines: Buffer[], counted: boolean): Parsed {
  const flags: SystemFlag[] = [];
  const keywords: string[] = [];
  let sourceUid: number | undefined;
  let base: Parsed['base'];
  let pseudo = false;
  const kept: Buffer[] = [];
  let inHeader = true;
  let dropping = false;
  for (const line of lines) {
    if (inHeader) {
      const text = line.toString('latin1');
      if (text === '' || text === '\r') inHeader = false;
      else if (/^[ \t]/.test(text)) {
        if (dropping) continue;
      } else {
        dropping = META.test(text);
        if (dropping) {
          const [name, ...rest] = text.split(':');
          const value = rest.join(':').trim();
          switch (name.toLowerCase()) {
            case 'status':
              if (value.includes('R')) flags.push('\\Seen');
              break;
            case 'x-status':
              for (const ch of value) if (X_STATUS[ch] && !flags.includes(X_STATUS[ch])) flags.push(X_STATUS[ch]);
              break;
            case 'x-keywords':
              keywords.push(...value.split(/[\s,]+/).filter((k) => k !== '' && !keywords.includes(k)));
              break;
            case 'x-uid':
              if (/^\d+$/.test(value)) sourceUid = Number(value);
              break;
            case 'x-imap':
            case 'x-imapbase': {
              const m = /^(\d+) +(\d+)/.exec(value);
              // c-client's value is the last UID used; Dovecot updates it lazily (see SourceFolder.uidNext).
              if (m) base = { uidValidity: Number(m[1]), uidNext: Number(m[2]) + 1 };
              pseudo ||= name.toLowerCase() === 'x-imap';
            }
          }
          continue;
        }
      }
    }
    kept.push(inHeader || counted ? line : unquote(line));
  }
  const bytes = toCrlf(Buffer.from(kept.map((l) => l.toString('latin1')).join('\n') + '\n', 'latin1'));
  const internalDate = fromLineDate(fromLine) ?? Date.now();
  return { message: { flags, keywords, internalDate, size: bytes.length, ...(sourceUid !== undefined ? { sourceUid } : {}) }, bytes, base, pseudo };
}

/** Yields a folder item (with X-IMAPbase's UIDVALIDITY when present) and then each message. */
export async function* readMbox(path: string, folder: string): AsyncGenerator<SourceItem> {
  let rest = Buffer.alloc(0);
  let fromLine: string | undefined;
  let lines: Buffer[] = [];
  let previousBlank = true;
  let count = 0;
  let announced = false;
  let junk = false;
  /** Body bytes still covered by Content-Length; undefined while in the header or without one. */
  let bodyLeft: number | undefined;
  let inHeader = false;
  let counted = false;

  function* finish(): Generator<SourceItem> {
    if (fromLine === undefined) return;
    if (lines.length > 0 && lines[lines.length - 1].length === 0) lines.pop(); // the separator's empty line
    const parsed = parseMessage(fromLine, lines, counted);
    if (!announced) {
      announced = true;
      yield { kind: 'folder', name: folder, ...(parsed.base ?? {}) };
    }
    if (parsed.pseudo) return;
    count++;
    const bytes = parsed.bytes;
    yield { kind: 'message', folder, origin: `${path}#${count}`, ...parsed.message, read: async () => bytes };
  }

  function* line(l: Buffer): Generator<SourceItem> {
    const blank = l.length === 0 || (l.length === 1 && l[0] === 0x0d);
    if (inHeader) {
      lines.push(l);
      if (blank) {
        inHeader = false;
        const length = lines.map((h) => /^content-length:\s*(\d+)\s*$/i.exec(h.toString('latin1'))?.[1]).find((v) => v !== undefined);
        bodyLeft = length === undefined ? undefined : Number(length);
        counted = bodyLeft !== undefined;
      }
    } else if (bodyLeft !== undefined && bodyLeft > 0) {
      lines.push(l);
      bodyLeft -= l.length + 1;
    } else if (previousBlank && l.subarray(0, 5).equals(FROM)) {
      yield* finish();
      fromLine = l.toString('latin1');
      lines = [];
      inHeader = true;
      counted = false;
      bodyLeft = undefined;
    } else if (fromLine !== undefined) lines.push(l);
    else if (l.length > 0) junk = true;
    previousBlank = blank;
  }

  try {
    for await (const chunk of createReadStream(path)) {
      let data = rest.length > 0 ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
      let nl: number;
      while ((nl = data.indexOf(0x0a)) !== -1) {
        yield* line(data.subarray(0, nl));
        data = data.subarray(nl + 1);
      }
      rest = Buffer.from(data);
    }
  } catch (error) {
    yield { kind: 'unreadable', path, folder, reason: errorText(error) };
    return;
  }
  if (rest.length > 0) yield* line(rest);
  yield* finish();
  if (!announced) yield { kind: 'folder', name: folder };
  if (junk) yield { kind: 'unreadable', path, folder, reason: 'text before the first "From " line is not a message' };
}
