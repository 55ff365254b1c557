// Maildir file names (cr.yp.to/proto/maildir.html, maildir++ and Dovecot's extensions):
// `<unique>[,S=<size>][,W=<vsize>][:2,<info>]`. Info letters in ASCII order: P passed, R replied,
// S seen, T trashed, D draft, F flagged; lower-case a–z are keyword indexes into dovecot-keywords
// (Courier uses the same letters). The uidlists key messages by the name without the `:2,` part.
import type { SystemFlag } from '../source-message.js';

export interface MaildirName {
  /** The name without `:2,<info>`: what dovecot-uidlist and courierimapuiddb record. */
  base: string;
  /** `S=`: the file's size in bytes. */
  size?: number;
  /** `W=`: the size with CRLF line ends, as IMAP reports it. */
  virtualSize?: number;
  flags: SystemFlag[];
  /** `$Forwarded` for P (mutt's "passed"). */
  keywords: string[];
  /** Indexes from the lower-case info letters (a = 0). */
  keywordIndexes: number[];
}

const FLAG_LETTERS: Record<string, SystemFlag> = { R: '\\Answered', S: '\\Seen', T: '\\Deleted', D: '\\Draft', F: '\\Flagged' };

export function parseMaildirName(name: string): MaildirName {
  const colon = name.indexOf(':2,');
  const base = colon === -1 ? name : name.slice(0, colon);
  const info = colon === -1 ? '' : name.slice(colon + 3);
  const field = (letter: string) => {
    const m = new RegExp(`,${letter}=(\\d+)`).exec(base);
    return m ? Number(m[1]) : undefined;
  };
  const flags: SystemFlag[] = [];
  const keywords: string[] = [];
  const keywordIndexes: number[] = [];
  for (const ch of info) {
    if (FLAG_LETTERS[ch] && !flags.includes(FLAG_LETTERS[ch])) flags.push(FLAG_LETTERS[ch]);
    else if (ch === 'P' && !keywords.includes('$Forwarded')) keywords.push('$Forwarded');
    else if (ch >= 'a' && ch <= 'z') keywordIndexes.push(ch.charCodeAt(0) - 97);
  }
  return { base, size: field('S'), virtualSize: field('W'), flags, keywords, keywordIndexes };
}
