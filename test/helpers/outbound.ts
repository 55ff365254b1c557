// Outbound test fixture: a server context over a temp data folder with a hand-moved clock, a fake
// DNS server the resolver asks, helpers to queue a message as the SMTP listener would, and to read
// what landed in an account's INBOX.
import { connect, type Socket } from 'node:net';
import { openContext } from '../../server/index.js';
import type { ServerContext } from '../../server/context.js';
import { createAdminApi } from '../../server/admin/api.js';
import { createPasswordHasher } from '../../server/auth/password-hash.js';
import { createDnsResolver } from '../../server/dns/resolver.js';
import type { Dialer } from '../../server/delivery/outbound/index.js';
import { INBOX } from '../../server/store/mailboxes.js';
import { parseAddress } from '../../server/mime/addr-spec.js';
import { startFakeDns, type FakeZone } from './fake-dns.js';
import { fakeClock, tempDir } from './temp.js';

type T = Parameters<typeof tempDir>[0];

export async function outboundFixture(t: T, zone: FakeZone = {}, dataDir = tempDir(t)) {
  const clock = fakeClock();
  const dns = await startFakeDns(t, zone);
  const opened: Array<ServerContext & { close(): Promise<void> }> = [];
  const open = async () => {
    const ctx = await openContext(dataDir, { clock, hasher: createPasswordHasher({ cost: 'test' }) });
    opened.push(ctx);
    return ctx;
  };
  const ctx = await open();
  t.after(async () => {
    for (const c of opened) await c.close();
  });
  const admin = createAdminApi({ ...ctx, log: ctx.log, status: () => ({ version: 't', startedAt: 0, listeners: {} }) });
  const resolver = createDnsResolver({ servers: () => [dns.server], timeoutMs: 1000, tries: 1 });
  /** Log rows land in batches; waits until rows for `filter` have been written. */
  const logged = async (filter: Parameters<typeof admin.queryLog>[0] & { event: string }) => {
    for (;;) {
      const rows = await admin.queryLog(filter);
      if (rows.length > 0) return admin.queryLog({ ...filter, event: undefined });
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { ctx, admin, clock, dns, resolver, dataDir, reopen: open, logged };
}

/** Queues `bytes` for remote `recipients` as the SMTP listener does after DATA. */
export async function enqueue(ctx: Pick<ServerContext, 'store'>, sender: string, recipients: string[], bytes: Buffer | string, dsn?: unknown): Promise<string> {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes.replace(/\r?\n/g, '\r\n'), 'utf8') : bytes;
  const id = /^Message-ID:\s*(.+)$/im.exec(buf.toString('latin1'))?.[1].trim() ?? null;
  const { result } = await ctx.store.deliver({ bytes: buf, local: [], remote: { sender, recipients, messageId: id, dsn } });
  return result.queueId!;
}

/** The raw messages (prefix included) of an account's INBOX, oldest first. */
export async function inbox(ctx: Pick<ServerContext, 'store'>, address: string): Promise<string[]> {
  const { local, domain } = parseAddress(address);
  const account = (await ctx.store.accounts.find(local, domain))!;
  const mailbox = (await ctx.store.mailboxes.get(account.id, INBOX))!;
  const texts: string[] = [];
  for (const m of await ctx.store.messages.list(mailbox.id)) texts.push((await ctx.store.messages.read(m.id))!.toString('utf8'));
  return texts;
}

/** A dialer that records what it dials and lets the test redirect it (fake MX hosts answer on an ephemeral port, not 25). */
export function mappedDialer(map: (target: { host: string; port: number }) => { host: string; port: number }, dialled: Array<{ host: string; port: number }> = []): Dialer {
  return (target) =>
    new Promise<Socket>((resolve, reject) => {
      dialled.push(target);
      const socket = connect(map(target));
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(socket);
      });
      socket.once('error', reject);
    });
}

export const sampleMessage = (from: string, to: string, subject = 'Hello', id = '<m1@example.test>') =>
  `From: ${from}\nTo: ${to}\nSubject: ${subject}\nDate: Thu, 1 Jan 2026 00:00:00 +0000\nMessage-ID: ${id}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nHello there.\n`;
