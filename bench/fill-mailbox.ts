// The benchmarks' test data: a data folder with one domain, the accounts asked for, and one INBOX
// filled with generated messages stored as delivery stores them (CRLF, ENVELOPE/BODYSTRUCTURE/part
// tree cached). Every 10th message has "Quarterly report" in its Subject, every 100th the word
// "zebra" in its body; the senders cycle through sender0..49@example.org; odd messages are \Seen.
import { createAdminApi } from '../server/admin/api.js';
import { createPasswordHasher } from '../server/auth/password-hash.js';
import { describeMessage } from '../server/delivery/describe.js';
import { openContext } from '../server/index.js';
import type { SettingsPatch } from '../server/settings.js';
import type { Delivery } from '../server/store/index.js';
import { INBOX } from '../server/store/mailboxes.js';

const FILL_BATCH = 500;
export const BENCH_DOMAIN = 'bench.example';
export const BENCH_PASSWORD = 'bench-password';

const WORDS = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango'.split(' ');

/** The bench message number `i` (from 1) addressed to `to`, CRLF. */
export function messageText(i: number, to: string): string {
  const word = (k: number) => WORDS[(i * 7 + k * 13) % WORDS.length];
  const subject = i % 10 === 0 ? `Quarterly report ${i}` : `Meeting notes ${word(1)} ${i}`;
  const lines: string[] = [];
  for (let k = 0; k < 20 + (i % 40); k++) lines.push(`${word(k)} ${word(k + 1)} ${word(k + 2)} line ${k} of message ${i}${i % 100 === 0 && k === 3 ? ' zebra' : ''}`);
  return [
    `From: Sender ${i % 50} <sender${i % 50}@example.org>`,
    `To: ${to}`,
    i % 3 === 0 ? 'Cc: Team <team@example.org>' : null,
    `Subject: ${subject}`,
    `Date: Tue, 14 May 2024 09:${String(i % 60).padStart(2, '0')}:00 +0200`,
    `Message-ID: <bench-${i}@example.org>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    ...lines,
    '',
  ]
    .filter((l) => l !== null)
    .join('\r\n');
}

export interface FillOptions {
  /** Local parts of the accounts to create (password BENCH_PASSWORD); the first one's INBOX is filled. */
  accounts: string[];
  messages: number;
  hash: 'test' | 'default';
  settings?: SettingsPatch;
}

/** Creates the domain and accounts in `dir` and fills the first account's INBOX. */
export async function fillMailbox(dir: string, options: FillOptions): Promise<void> {
  const setup = await openContext(dir, { hasher: createPasswordHasher({ cost: options.hash }) });
  try {
    const admin = createAdminApi({ store: setup.store, settingsCache: setup.settingsCache, credentials: setup.credentials, clock: setup.clock, bus: setup.bus, log: setup.log, status: () => ({ version: 'bench', startedAt: 0, listeners: {} }) });
    if (options.settings) await admin.updateSettings(options.settings);
    await admin.addDomain({ name: BENCH_DOMAIN });
    for (const local of options.accounts) await admin.addAccount({ address: `${local}@${BENCH_DOMAIN}`, password: BENCH_PASSWORD });
    const to = `${options.accounts[0]}@${BENCH_DOMAIN}`;
    const account = await setup.store.accounts.require(options.accounts[0], BENCH_DOMAIN);
    const inbox = (await setup.store.mailboxes.require(account.id, INBOX)).id;
    for (let from = 0; from < options.messages; from += FILL_BATCH) {
      const batch: Delivery[] = [];
      for (let i = from; i < Math.min(options.messages, from + FILL_BATCH); i++) {
        const bytes = Buffer.from(messageText(i + 1, to));
        const d = describeMessage(bytes).forCopy(0);
        batch.push({
          bytes,
          local: [{ mailboxId: inbox, prefix: Buffer.alloc(0), flags: i % 2 ? 1 : 0, keywords: [], internalDate: Date.UTC(2024, 4, 14) + i * 60_000, ...d }],
        });
      }
      await setup.store.deliverMany(batch);
    }
  } finally {
    await setup.close();
  }
}
