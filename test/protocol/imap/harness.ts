// Starts the IMAP listeners on ephemeral 127.0.0.1 ports over a real store in a temp folder, with one
// account (alice@example.com, plus bob@example.com for isolation checks) created through the admin
// service, and the real authenticator (with the fast test hasher). Mail is put into a mailbox with
// the store's deliver and the cached structure delivery computes, as SMTP would. Everything stops
// when the test ends.
import type { TestContext } from 'node:test';
import { createAdminApi } from '../../../server/admin/api.js';
import type { AdminApi } from '../../../server/admin/contract.js';
import type { Clock } from '../../../server/clock.js';
import { createPasswordHasher } from '../../../server/auth/password-hash.js';
import { describeMessage } from '../../../server/delivery/describe.js';
import { createImapListeners } from '../../../server/imap/server.js';
import { openContext } from '../../../server/index.js';
import type { Listener, ServerContext } from '../../../server/context.js';
import { toCrlf } from '../../../server/mime/index.js';
import type { StoreChange } from '../../../server/store/changes.js';
import { INBOX } from '../../../server/store/mailboxes.js';
import { plainCredentials } from '../../helpers/admin.js';
import { tempDir } from '../../helpers/temp.js';
import { fixtureDatabase } from '../../helpers/fixture-database.js';
import { ImapTestClient } from './client.js';

export const ADDRESS = 'alice@example.com';
export const PASSWORD = 'correct horse';
export const OTHER = 'bob@example.com';

export interface ImapFixture {
  ctx: ServerContext;
  admin: AdminApi;
  ports: { imap: number; imaps: number };
  accountId: number;
  /** Every change broadcast on the bus. */
  changes: StoreChange[];
  /** Stores a message (CRLF-normalised, structure cached) in a mailbox of alice's; returns its UID. */
  deliver(raw: string | Buffer, options?: { mailbox?: string; flags?: number; keywords?: string[]; internalDate?: number; accountId?: number }): Promise<number>;
  connect(options?: { tls?: boolean; localAddress?: string }): Promise<ImapTestClient>;
  /** Connects and logs in as alice with LOGIN. */
  login(options?: { tls?: boolean }): Promise<ImapTestClient>;
  /** login(), then SELECT the mailbox. */
  selected(mailbox?: string): Promise<ImapTestClient>;
}

export async function startImap(t: TestContext, options: { plaintextFromTrusted?: boolean; quotaBytes?: number; clock?: Clock } = {}): Promise<ImapFixture> {
  // The folder goes last, after the listeners stopped and the store closed.
  const removals: Array<() => void> = [];
  const drops: Array<() => Promise<void>> = [];
  const ctx = await openContext(tempDir({ after: (fn: () => void) => removals.push(fn) }, 'mailroom-imap-'), {
    hasher: createPasswordHasher({ cost: 'test' }),
    databaseUrl: await fixtureDatabase((drop) => drops.push(drop)),
    ...(options.clock && { clock: options.clock }),
  });
  const admin = createAdminApi({
    store: ctx.store,
    settingsCache: ctx.settingsCache,
    credentials: plainCredentials,
    clock: ctx.clock,
    bus: ctx.bus,
    log: ctx.log.child({ component: 'admin' }),
    status: () => ({ version: 'test', startedAt: 0, listeners: {} }),
  });
  await admin.addDomain({ name: 'example.com' });
  await admin.addAccount({ address: ADDRESS, password: PASSWORD, ...(options.quotaBytes !== undefined && { quota: options.quotaBytes }) });
  await admin.addAccount({ address: OTHER, password: PASSWORD });
  if (options.plaintextFromTrusted ?? true) await admin.updateSettings({ allowPlaintextAuthFromTrusted: true });
  const accountId = (await ctx.store.accounts.find('alice', 'example.com'))!.id;
  const changes: StoreChange[] = [];
  ctx.bus.on('change', (c) => changes.push(c));

  const listeners: Listener[] = createImapListeners(ctx);
  t.after(async () => {
    for (const l of listeners) await l.stop();
    await ctx.close();
    for (const drop of drops) await drop();
    for (const remove of removals) remove();
  });
  const [imap, imaps] = [await listeners[0].start('127.0.0.1', 0), await listeners[1].start('127.0.0.1', 0)];

  const fixture: ImapFixture = {
    ctx,
    admin,
    ports: { imap, imaps },
    accountId,
    changes,
    async deliver(raw, o = {}) {
      const bytes = toCrlf(Buffer.from(raw));
      const d = describeMessage(bytes).forCopy(0);
      const { result, changes: delivered } = await ctx.store.deliver({
        bytes,
        local: [
          {
            mailboxId: (await ctx.store.mailboxes.require(o.accountId ?? accountId, o.mailbox ?? INBOX)).id,
            prefix: Buffer.alloc(0),
            flags: o.flags ?? 0,
            keywords: o.keywords ?? [],
            internalDate: o.internalDate ?? ctx.clock.now(),
            sentDate: d.sentDate,
            envelope: d.envelope,
            bodystructure: d.bodystructure,
            parts: d.parts,
          },
        ],
      });
      for (const c of delivered) ctx.bus.emit('change', c);
      return result.uids[0].uid;
    },
    connect: (o = {}) => ImapTestClient.connect(o.tls ? imaps : imap, o),
    async login(o = {}) {
      const client = await fixture.connect(o);
      await client.login(ADDRESS, PASSWORD);
      return client;
    },
    async selected(mailbox = INBOX) {
      const client = await fixture.login();
      await client.transact('OK', `SELECT ${mailbox}`);
      return client;
    },
  };
  return fixture;
}

/** A small message with CRLF lines. */
export function message(subject: string, body = 'Hello.\r\n', extra = ''): string {
  return `From: Bob <bob@example.net>\r\nTo: ${ADDRESS}\r\nSubject: ${subject}\r\nDate: Thu, 01 Jan 2026 10:00:00 +0000\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.net>\r\n${extra}\r\n${body}`;
}
