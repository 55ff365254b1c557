// UID lists of the old server, so clients keep their caches: Dovecot's `dovecot-uidlist` (version 3:
// header `3 V<uidvalidity> N<nextuid> G<guid> ...`, entries `<uid> [<key><value> ...] :<name>`;
// version 1, shared with Courier's `courierimapuiddb`: header `1 <uidvalidity> <nextuid>`, entries
// `<uid> <name>`), and Dovecot's `dovecot-keywords` (`<index> <keyword>` per line).
// Names are the maildir base names (no `:2,` info). Lines that do not parse are counted, not guessed.

export interface UidList {
  uidValidity: number;
  uidNext: number;
  /** Base name → UID. */
  uids: Map<string, number>;
  /** Entry lines that could not be read. */
  badLines: number;
}

export class UidListError extends Error {
  override name = 'UidListError';
}

export function parseUidList(text: string): UidList {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').trim().split(/\s+/);
  let uidValidity: number | undefined;
  let uidNext: number | undefined;
  const uids = new Map<string, number>();
  let badLines = 0;
  if (header[0] === '3') {
    for (const field of header.slice(1)) {
      if (field[0] === 'V') uidValidity = Number(field.slice(1));
      if (field[0] === 'N') uidNext = Number(field.slice(1));
    }
    for (const line of lines) {
      const m = /^(\d+)(?: [^:]*)? ?:(.+)$/.exec(line);
      if (m) uids.set(m[2], Number(m[1]));
      else badLines++;
    }
  } else if (header[0] === '1' && header.length >= 3) {
    uidValidity = Number(header[1]);
    uidNext = Number(header[2]);
    for (const line of lines) {
      const m = /^(\d+) (\S+)$/.exec(line.trim());
      if (m) uids.set(m[2].split(':2,')[0], Number(m[1]));
      else badLines++;
    }
  } else {
    throw new UidListError(`unknown uid list version "${header[0] ?? ''}"`);
  }
  if (!Number.isSafeInteger(uidValidity) || !Number.isSafeInteger(uidNext)) throw new UidListError('the header has no UIDVALIDITY or next UID');
  // Dovecot rewrites the header lazily: the next UID is past the highest entry even when N lags.
  const highest = Math.max(0, ...uids.values());
  return { uidValidity: uidValidity!, uidNext: Math.max(uidNext!, highest + 1), uids, badLines };
}

/** `dovecot-keywords`: index → keyword. */
export function parseKeywords(text: string): Map<number, string> {
  const keywords = new Map<number, string>();
  for (const line of text.split('\n')) {
    const m = /^(\d+) (\S+)\s*$/.exec(line);
    if (m) keywords.set(Number(m[1]), m[2]);
  }
  return keywords;
}
