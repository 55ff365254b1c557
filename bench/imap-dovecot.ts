// The Dovecot side of bench/imap's comparison (issue 17): Dovecot 2.3 from Debian, started by the bench
// in a temp folder (test/helpers/dovecot.ts: plain IMAP on a free loopback port, any password, mail owned
// by `nobody` when we are root), maildir without any FTS plugin, filled with the same messages as
// fillMailbox gives Mailroom: same bytes, INTERNALDATE as the file's mtime, odd messages \Seen.
import { spawnSync } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDovecot } from '../test/helpers/dovecot.js';
import { isRoot, UNPRIVILEGED } from '../test/helpers/daemon.js';
import { messageText } from './fill-mailbox.js';

export interface BenchDovecot {
  port: number;
  stop(): Promise<void>;
}

/** Dovecot with `address`'s INBOX holding `messages` bench messages. */
export async function startBenchDovecot(address: string, messages: number): Promise<BenchDovecot> {
  const dovecot = await startDovecot({ imap: true, extraConfig: 'mail_max_userip_connections = 100\n' });
  try {
    const maildir = dovecot.maildir(address);
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
    for (let i = 0; i < messages; i++) {
      const bytes = Buffer.from(messageText(i + 1, address));
      // The names Dovecot's own deliveries get, with S= (the size, so it needs no stat) and the flags.
      const file = join(maildir, 'cur', `${1715670000 + i}.M${i}P1.bench,S=${bytes.length},W=${bytes.length}:2,${i % 2 ? 'S' : ''}`);
      writeFileSync(file, bytes);
      const seconds = (Date.UTC(2024, 4, 14) + i * 60_000) / 1000;
      utimesSync(file, seconds, seconds);
    }
    if (isRoot) spawnSync('chown', ['-R', `${UNPRIVILEGED.uid}:${UNPRIVILEGED.gid}`, dovecot.mailRoot]);
    return { port: dovecot.imapPort!, stop: () => dovecot.stop() };
  } catch (error) {
    await dovecot.stop();
    throw error;
  }
}
