// Export of one account or all as mbox (mboxrd), for mail programs that import mbox (Thunderbird,
// mutt, Apple Mail): `<dir>/<domain>/<local>/<folder>`, one file per folder, a folder's children in
// `<folder>.sbd/` as Thunderbird keeps them. Each message is a `From ` line with its INTERNALDATE,
// the Status/X-Status/X-Keywords headers Dovecot and UW-IMAP write for flags and keywords, then its
// bytes with LF line ends and `>`-quoted `From ` lines (mboxrd: any number of `>` gains one), and an
// empty line. One message in memory at a time.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Store } from '../store/index.js';
import { FLAG_BITS } from '../store/messages.js';
import { accountsToExport, type ExportReport } from './export-maildir.js';

/** `Mon Jan  1 10:00:00 2024` (asctime, UTC). */
function asctime(ms: number): string {
  const d = new Date(ms);
  const [day, month] = [d.toUTCString().slice(0, 3), d.toUTCString().slice(8, 11)];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${day} ${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

export function mboxEntry(bytes: Buffer, flags: number, keywords: string[], internalDate: number): Buffer {
  const text = bytes.toString('latin1').replace(/\r\n/g, '\n');
  const status = `${flags & FLAG_BITS['\\Seen'] ? 'R' : ''}O`;
  const xStatus = [
    [FLAG_BITS['\\Answered'], 'A'],
    [FLAG_BITS['\\Flagged'], 'F'],
    [FLAG_BITS['\\Draft'], 'T'],
    [FLAG_BITS['\\Deleted'], 'D'],
  ]
    .filter(([bit]) => flags & (bit as number))
    .map(([, letter]) => letter)
    .join('');
  const meta = `Status: ${status}\n${xStatus ? `X-Status: ${xStatus}\n` : ''}${keywords.length ? `X-Keywords: ${keywords.join(' ')}\n` : ''}`;
  const body = text.replace(/^(>*From )/gm, '>$1');
  const ending = body.endsWith('\n') ? '' : '\n';
  return Buffer.from(`From MAILER-DAEMON ${asctime(internalDate)}\n${meta}${body}${ending}\n`, 'latin1');
}

export async function exportMbox(store: Store, dir: string, options: { user?: string } = {}): Promise<ExportReport> {
  const report: ExportReport = { accounts: 0, folders: 0, messages: 0, bytes: 0 };
  for (const account of await accountsToExport(store, options.user)) {
    const root = join(dir, account.domain, account.localPart);
    for (const mailbox of await store.mailboxes.list(account.id)) {
      const levels = mailbox.name.split('/');
      const file = join(root, ...levels.slice(0, -1).map((l) => `${l}.sbd`), levels[levels.length - 1]);
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      const out = createWriteStream(file, { mode: 0o600 });
      for (const m of await store.messages.list(mailbox.id)) {
        const bytes = await store.messages.read(m.id);
        if (!bytes) continue; // expunged meanwhile
        if (!out.write(mboxEntry(bytes, m.flags, m.keywords, m.internalDate))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        report.messages++;
        report.bytes += bytes.length;
      }
      await new Promise<void>((resolve, reject) => {
        out.once('error', reject);
        out.end(() => resolve());
      });
      report.folders++;
    }
    report.accounts++;
  }
  return report;
}
