// Export of one account or all as Maildir (Dovecot's maildir++ layout, `<dir>/<domain>/<local>/Maildir`),
// so moving out is as easy as moving in: folders as `.Name` directories (levels joined by `.`, names in
// modified UTF-7), each message a file in cur/ named `<date>.M<uid>.mailroom,S=<size>,W=<size>:2,<info>`
// with its bytes exactly as stored (CRLF, as IMAP served them) and its mtime set to INTERNALDATE;
// `dovecot-uidlist` (version 3) keeps UIDVALIDITY and every UID, `dovecot-keywords` the keywords
// (the first 26 as info letters, as Dovecot does), `subscriptions` the subscribed names. Dovecot
// pointed at the result serves the same UIDs, so clients keep their caches. One message in memory.
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeMutf7 } from '../imap/wire/mutf7.js';
import type { Account } from '../store/accounts.js';
import type { Store } from '../store/index.js';
import { FLAG_BITS } from '../store/messages.js';

export interface ExportReport {
  accounts: number;
  folders: number;
  messages: number;
  bytes: number;
}

const INFO_LETTERS: Array<[number, string]> = [
  [FLAG_BITS['\\Draft'], 'D'],
  [FLAG_BITS['\\Flagged'], 'F'],
  [FLAG_BITS['\\Answered'], 'R'],
  [FLAG_BITS['\\Seen'], 'S'],
  [FLAG_BITS['\\Deleted'], 'T'],
];

/** The accounts to export: one by address, or every one. */
export async function accountsToExport(store: Pick<Store, 'accounts'>, user?: string): Promise<Account[]> {
  if (user === undefined) return store.accounts.list();
  const at = user.lastIndexOf('@');
  return [await store.accounts.require(user.slice(0, at), user.slice(at + 1).toLowerCase())];
}

export async function exportMaildir(store: Store, dir: string, options: { user?: string } = {}): Promise<ExportReport> {
  const report: ExportReport = { accounts: 0, folders: 0, messages: 0, bytes: 0 };
  for (const account of await accountsToExport(store, options.user)) {
    const root = join(dir, account.domain, account.localPart, 'Maildir');
    for (const mailbox of await store.mailboxes.list(account.id)) {
      const folder = mailbox.name === 'INBOX' ? root : join(root, `.${mailbox.name.split('/').map(encodeMutf7).join('.')}`);
      for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(folder, sub), { recursive: true, mode: 0o700 });
      const keywords = new Map<string, number>();
      const uidlist = [`3 V${mailbox.uidValidity} N${mailbox.uidNext} G${mailbox.id.toString(16).padStart(32, '0')}`];
      for (const m of await store.messages.list(mailbox.id)) {
        const bytes = await store.messages.read(m.id);
        if (!bytes) continue; // expunged meanwhile
        let info = INFO_LETTERS.filter(([bit]) => m.flags & bit).map(([, letter]) => letter).join('');
        for (const keyword of m.keywords) {
          if (!keywords.has(keyword)) keywords.set(keyword, keywords.size);
          const index = keywords.get(keyword)!;
          if (index < 26) info += String.fromCharCode(97 + index);
        }
        const base = `${Math.floor(m.internalDate / 1000)}.M${m.uid}.mailroom,S=${bytes.length},W=${bytes.length}`;
        const file = join(folder, 'cur', `${base}:2,${[...info].sort().join('')}`);
        await writeFile(file, bytes, { mode: 0o600 });
        await utimes(file, m.internalDate / 1000, m.internalDate / 1000);
        uidlist.push(`${m.uid} :${base}`);
        report.messages++;
        report.bytes += bytes.length;
      }
      await writeFile(join(folder, 'dovecot-uidlist'), uidlist.join('\n') + '\n', { mode: 0o600 });
      await writeFile(join(folder, 'dovecot-keywords'), [...keywords].map(([k, i]) => `${i} ${k}\n`).join(''), { mode: 0o600 });
      report.folders++;
    }
    const subscribed = await store.subscriptions.list(account.id);
    await writeFile(join(root, 'subscriptions'), `V\t2\n\n${subscribed.map((n) => `${n.split('/').map(encodeMutf7).join('\t')}\n`).join('')}`, { mode: 0o600 });
    report.accounts++;
  }
  return report;
}
